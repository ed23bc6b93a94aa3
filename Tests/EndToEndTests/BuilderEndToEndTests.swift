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
    @Test("a builder axis: both builders build, each build records its builder and docker's context size")
    func builderAxis() async throws {
        try await withTemporaryDirectory { dir in
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
}
