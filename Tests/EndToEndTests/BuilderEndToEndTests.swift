import Foundation
import ImageBenchDocker
import ImageBenchTestSupport
import Testing

/// Debian's 20.10 client has BuildKit built in; the newer client on PATH may lack buildx. Both must work.
@Suite(
    "BuildKit and classic builders with Debian's docker 20.10 client", .serialized,
    .enabled("needs /usr/bin/docker (Debian's docker.io) and the offline bases") {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/docker") else { return false }
        return await DockerEngine.hasOfflineBases()
    })
struct BuilderEndToEndTests {
    static func writeScenario(in dir: String) throws {
        try writeFiles(
            [
                "b/scenario.yaml": """
                images: { base: imagebench-local/musl-busybox:1 }
                build-args: { BASE: "${images.base}" }
                axes:
                  builder:
                    buildkit: { builder: buildkit }
                    classic: { builder: classic }
                smoke: { expect-output: hi }
                """,
                "b/Dockerfile": "ARG BASE\nFROM ${BASE}\nCOPY data.txt /data.txt\nENTRYPOINT [\"cat\", \"/data.txt\"]\n",
                "b/data.txt": "hi " + String(repeating: "x", count: 5000) + "\n",
            ], under: dir)
    }

    @Test("a builder axis: both builders build, each build records its builder and docker's context size")
    func builderAxis() async throws {
        try await withTemporaryDirectory { dir in
            try Self.writeScenario(in: dir)
            let db = dir + "/r.sqlite"
            let r = try await imagebench([
                "run", dir + "/b", "--db", db, "--docker", "/usr/bin/docker", "--repeat", "1", "--phases", "cold,warm", "--image-label",
                "imagebench.test=1",
            ])
            #expect(r.exitCode == 0, "\(r.stderr)")
            let json = try await imagebench(["report", "--db", db, "--format", "json"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let runs = try #require(object["runs"] as? [[String: Any]])
            let environment = try #require(runs.first?["environment"] as? [String: Any])
            #expect((environment["docker_client"] as? String)?.hasPrefix("20.10") == true)
            #expect(environment["buildkit_available"] as? Bool == true)
            let results = try #require(object["results"] as? [[String: Any]])
            for (variant, builder) in [("builder=buildkit", "buildkit"), ("builder=classic", "classic")] {
                let result = try #require(results.first { $0["variant"] as? String == variant })
                #expect(result["status"] as? String == "ok")
                let builds = try #require(result["builds"] as? [[String: Any]])
                #expect(builds.count == 2)
                #expect(builds.allSatisfy { $0["builder"] as? String == builder })
                // BuildKit sends only what the Dockerfile needs, the classic builder a tar of the whole context.
                let context = try #require(result["context_bytes"] as? Int)
                #expect(context > 5000 && context < 20000, "\(variant): \(context)")
            }
        }
    }

    @Test("with the default client: BuildKit variants build when it has BuildKit, else they are skipped with the fix and the run succeeds")
    func defaultClient() async throws {
        try await withTemporaryDirectory { dir in
            try Self.writeScenario(in: dir)
            let db = dir + "/r.sqlite"
            let r = try await imagebench(["run", dir + "/b", "--db", db, "--repeat", "1", "--phases", "cold", "--image-label", "imagebench.test=1"])
            #expect(r.exitCode == 0, "\(r.stderr)")
            let json = try await imagebench(["report", "--db", db, "--format", "json"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let environment = try #require((object["runs"] as? [[String: Any]])?.first?["environment"] as? [String: Any])
            let results = try #require(object["results"] as? [[String: Any]])
            let buildkit = try #require(results.first { $0["variant"] as? String == "builder=buildkit" })
            #expect(results.first { $0["variant"] as? String == "builder=classic" }?["status"] as? String == "ok")
            if environment["buildkit_available"] as? Bool == true {
                #expect(buildkit["status"] as? String == "ok")
            } else {
                #expect(buildkit["status"] as? String == "skipped")
                #expect((buildkit["builds"] as? [Any])?.isEmpty == true)
                #expect(r.stderr.contains("imagebench: skipped b builder=buildkit: ") && r.stderr.contains("--docker /usr/bin/docker"), "\(r.stderr)")
                #expect(r.stdout.contains("skipped"))
            }
        }
    }
}
