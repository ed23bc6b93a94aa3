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
            // Without a .dockerignore, COPY . . puts .env and id_rsa into the image: exit 6, results kept. Both are found by
            // what they hold (a token assigned in .env, a private key block), with their layer and line.
            #expect(run.exitCode == 6, "\(run.stderr)")
            let inImage = "assigned-secret /app/.env (layer 2, line 1), private-key /app/id_rsa (layer 2, line 1)"
            #expect(run.stderr.contains("secrets inside images: dockerignore ignore=without,builder=classic: \(inImage)"), "\(run.stderr)")
            #expect(run.stdout.contains("ignore=without,builder=classic: secrets inside the image: \(inImage)"), "\(run.stdout)")
            #expect(
                run.stdout.contains(
                    "ignore=without,builder=classic: secrets in the build context: assigned-secret .env (line 1), private-key id_rsa (line 1)"))
            // The alpine stand-in's CA bundle is public: no warning of any kind.
            #expect(!run.stdout.contains("named like secrets"), "\(run.stdout)")
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
            #expect(withoutContext["secrets"] as? [String] == ["assigned-secret .env (line 1)", "private-key id_rsa (line 1)"])
            #expect((with["insight"] as? [String: Any])?["secrets"] as? [String] == [])
            // Every finding has its rule, place and a masked excerpt: the secret itself is in no output.
            let findings = try #require((without["insight"] as? [String: Any])?["secret_findings"] as? [[String: Any]])
            #expect(findings.map { $0["rule"] as? String ?? "" } == ["assigned-secret", "private-key"])
            #expect(findings.allSatisfy { ($0["excerpt"] as? String)?.isEmpty == false && $0["line"] as? Int == 1 && $0["layer"] as? Int == 2 })
            for format in ["json", "markdown", "html", "csv", "table"] {
                let out = try await imagebench(["report", "--db", db, "--format", format])
                #expect(!out.stdout.contains("not-a-real-token") && !out.stdout.contains("ZmFrZSBrZXkg"), "\(format) shows a secret")
            }
            // Accepted by the command line's allowlist (a rule id and a path glob), the run gates on nothing.
            let allowed = try await imagebench([
                "run", PackagePaths.scenarios + "/dockerignore", "--profile", "offline", "--db", dir + "/allowed.sqlite", "--repeat", "1", "--phases",
                "cold", "--only", "builder=classic", "--only", "ignore=without", "--image-label", "imagebench.test=1", "--fail-on-secrets",
                "--allow-secret", "private-key", "--allow-secret", "**/.env",
            ])
            #expect(allowed.exitCode == 0, "\(allowed.stderr)")
            #expect(!allowed.stdout.contains("secrets inside the image"), "\(allowed.stdout)")
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
