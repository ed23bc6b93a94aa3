import Foundation
import ImageBenchDocker
import ImageBenchTestSupport
import Testing

/// The shipped dockerignore scenario on a real engine: what imagebench computes matches what docker sent.
@Suite("build context end to end", .enabled("needs a Docker engine and the offline base images") { await DockerEngine.hasOfflineBases() })
struct ContextEndToEndTests {
    @Test("with and without a .dockerignore: files, bytes and secrets in the context, next to docker's figure")
    func dockerignoreScenario() async throws {
        try await withTemporaryDirectory { dir in
            let db = dir + "/r.sqlite"
            let run = try await imagebench([
                "run", PackagePaths.scenarios + "/dockerignore", "--profile", "offline", "--db", db, "--repeat", "1", "--phases", "cold",
                "--only", "builder=classic", "--image-label", "imagebench.test=1", "--fail-on-secrets",
            ])
            // Without a .dockerignore, COPY . . puts .env and id_rsa into the image: exit 6, results kept.
            #expect(run.exitCode == 6, "\(run.stderr)")
            #expect(
                run.stderr.contains(
                    "secret-looking files inside images: dockerignore ignore=without,builder=classic: /app/.env (layer 2), /app/id_rsa (layer 2)"))
            #expect(
                run.stdout.contains(
                    "ignore=without,builder=classic: secret-looking files inside the image: /app/.env (layer 2), /app/id_rsa (layer 2)"))
            #expect(run.stdout.contains("ignore=without,builder=classic: secret-looking files in the build context: .env, id_rsa"))
            let json = try await imagebench(["report", "--db", db, "--format", "json"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let results = try #require(object["results"] as? [[String: Any]])
            func find(_ variant: String) throws -> [String: Any] { try #require(results.first { $0["variant"] as? String == variant }) }
            let with = try find("ignore=with,builder=classic")
            let without = try find("ignore=without,builder=classic")
            let withContext = try #require(with["context"] as? [String: Any])
            let withoutContext = try #require(without["context"] as? [String: Any])
            #expect(withContext["files"] as? Int == 3)  // Dockerfile, .dockerignore, src/hello.sh
            #expect(withContext["secrets"] as? [String] == [])
            #expect(withoutContext["files"] as? Int == 9)
            #expect(withoutContext["secrets"] as? [String] == [".env", "id_rsa"])
            #expect((with["insight"] as? [String: Any])?["secrets"] as? [String] == [])
            // Both variants share the base layer; only their own layers are unique.
            let shared = try #require(with["shared_bytes"] as? Int)
            let uniqueWith = try #require(with["unique_bytes"] as? Int)
            let uniqueWithout = try #require(without["unique_bytes"] as? Int)
            #expect(shared > 2_000_000 && uniqueWith < 10_000 && uniqueWithout > 3_000_000, "\(shared) \(uniqueWith) \(uniqueWithout)")
            // docker's own figure (a tar stream) is at least the file bytes imagebench counted, and not far above.
            for (result, context) in [(with, withContext), (without, withoutContext)] {
                let reported = try #require(result["context_bytes"] as? Int)
                let counted = try #require(context["bytes"] as? Int)
                #expect(reported >= counted && reported < counted + 20_000, "docker \(reported) vs counted \(counted)")
            }
        }
    }
}
