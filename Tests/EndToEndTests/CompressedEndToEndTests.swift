import Foundation
import ImageBenchCore
import ImageBenchDocker
import ImageBenchTestSupport
import Testing

/// Compressed sizes against a real registry: Debian's docker-registry on loopback, started by
/// scripts/registry, and docker's own push.
@Suite(
    "compressed size: registry and estimate", .serialized,
    .enabled("needs a Docker engine and the offline base images") { await DockerEngine.hasOfflineBases() })
struct CompressedEndToEndTests {
    static let port = "5077"

    static func registry(_ action: String, port: String = port) async throws -> String {
        let r = try await SubprocessExecutor().run(Command(PackagePaths.root + "/scripts/registry", [action, port], timeout: 300))
        try #require(r.succeeded, "scripts/registry \(action) failed: \(r.stderr)")
        return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs `body` with a registry on loopback at `port`, stopped (and emptied) afterwards, also when `body` throws.
    static func withRegistry(port: String = port, _ body: (String) async throws -> Void) async throws {
        let address = try await registry("start", port: port)
        do {
            try await body(address)
        } catch {
            _ = try? await registry("stop", port: port)
            throw error
        }
        _ = try await registry("stop", port: port)
    }

    @Test("run --registry records the manifest's layer sizes; the gzip estimate is within 3% of them on go-http on scratch and on Debian")
    func registryAgainstEstimate() async throws {
        try await Self.withRegistry { try await check(registry: $0) }
    }

    func check(registry address: String) async throws {
        try await withTemporaryDirectory { dir in
            let db = dir + "/results.sqlite"
            let mine = "imagebench.test.case=\(UUID().uuidString.prefix(8).lowercased())"
            let run = try await imagebench([
                "run", PackagePaths.scenarios + "/go-http", "--profile", "offline", "--db", db, "--repeat", "1", "--phases", "cold",
                "--only", "linking=static", "--only", "runtime=scratch", "--only", "runtime=debian", "--registry", address, "--keep-images",
                "--image-label", "imagebench.test=1", "--image-label", mine,
            ])
            #expect(run.exitCode == 0, "\(run.stderr)")
            let json = try await imagebench(["report", "--db", db, "--format", "json"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let results = try #require(object["results"] as? [[String: Any]])
            // The smallest and the largest runtime: one layer of Go binary, and a Debian base under it.
            #expect(results.count == 2)
            let docker = DockerEngine.client()
            for result in results {
                let variant = result["variant"] as? String ?? "?"
                let insight = try #require(result["insight"] as? [String: Any], "\(variant) has no analysis")
                #expect(insight["compressed_source"] as? String == "registry")
                let pushed = try #require(insight["compressed_bytes"] as? Int, "\(variant) has no compressed size")
                let layers = try #require(insight["layers"] as? [[String: Any]])
                #expect(layers.compactMap { $0["compressed_bytes"] as? Int }.reduce(0, +) == pushed)
                let id = try #require((result["image"] as? [String: Any])?["id"] as? String)
                let estimate = try #require(try await docker.layers(of: id, estimateCompressed: true).compressed)
                #expect(estimate.source == .estimated)
                let deviation = abs(Double(estimate.total - Int64(pushed))) / Double(pushed)
                #expect(deviation <= 0.03, "\(variant): estimated \(estimate.total) B, registry \(pushed) B (\(deviation * 100)%)")
                // Compression is real: a layer of random-looking Go code shrinks, but not to nothing.
                #expect(pushed < (result["image"] as? [String: Any])?["size_bytes"] as? Int ?? 0)
            }
            let left = try await DockerEngine.output(["image", "ls", "--quiet", "--filter", "label=\(mine)"])
            if !left.isEmpty { _ = try await DockerEngine.output(["image", "rm", "--force"] + left.split(separator: "\n").map(String.init)) }

            // Without --registry the run estimates, and says so.
            let estimated = try await imagebench([
                "run", PackagePaths.scenarios + "/go-http", "--profile", "offline", "--db", db, "--repeat", "1", "--phases", "cold",
                "--only", "linking=static", "--only", "runtime=scratch", "--image-label", "imagebench.test=1",
            ])
            #expect(estimated.exitCode == 0, "\(estimated.stderr)")
            #expect(
                estimated.stdout.range(of: #" ~(1\.[5-9]|2\.[0-4])[0-9]* MB "#, options: .regularExpression) != nil,
                "the scratch variant's estimate is about 2 MB, marked ~: \(estimated.stdout)")
        }
    }

    @Test("--registry where none answers: one line and exit 69 before anything is built")
    func noRegistry() async throws {
        try await withTemporaryDirectory { dir in
            let r = try await imagebench([
                "run", PackagePaths.scenarios + "/go-http", "--profile", "offline", "--db", dir + "/r.sqlite", "--registry", "127.0.0.1:9",
            ])
            #expect(r.exitCode == 69)
            #expect(r.stderr.hasPrefix("imagebench: error: no registry answers at http://127.0.0.1:9/v2/"), "\(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1)
        }
    }
}
