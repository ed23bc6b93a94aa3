import Foundation
import ImageBenchCore
import ImageBenchDocker
import ImageBenchTestSupport
import Testing

/// Go's build cache in a BuildKit cache mount against none, on the smallest Go build that shows it (a
/// program of fmt alone): the edit build of the mount variant reuses the compiled packages the cold build
/// left in the mount, its twin compiles them again, and the step records say it is the go build step.
@Suite(
    "build options end to end: cache mounts", .serialized,
    .enabled("needs a Docker engine and the offline base images") { await DockerEngine.hasOfflineBases() })
struct BuildOptionsEndToEndTests {
    static func writeScenario(in dir: String) throws {
        let dockerfile = { (mount: String) in
            """
            ARG BUILDER
            FROM ${BUILDER} AS build
            WORKDIR /src
            COPY go.mod main.go ./
            RUN \(mount)CGO_ENABLED=0 go build -trimpath -o /app .

            FROM imagebench-local/static-base:1
            COPY --from=build /app /app
            ENTRYPOINT ["/app"]
            """
        }
        try writeFiles(
            [
                "g/scenario.yaml": """
                context: app
                images: { builder: imagebench-local/go-builder:bookworm, runtime: imagebench-local/static-base:1 }
                build-args: { BUILDER: "${images.builder}" }
                axes:
                  cache:
                    none: { builder: buildkit }
                    mount: { builder: buildkit, dockerfile: Dockerfile.cache }
                smoke: { expect-output: hello }
                edit: main.go
                """,
                "g/app/go.mod": "module example.com/hello\n\ngo 1.19\n",
                "g/app/main.go": "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hello\") }\n",
                "g/app/Dockerfile": dockerfile(""),
                "g/app/Dockerfile.cache": dockerfile("--mount=type=cache,target=/root/.cache/go-build "),
            ], under: dir)
    }

    @Test("a cache-mount variant's edit build is faster than its twin's, and its go build step is why")
    func cacheMount() async throws {
        try await withTemporaryDirectory { dir in
            try Self.writeScenario(in: dir)
            let db = dir + "/r.sqlite"
            let run = try await imagebench(
                ["run", dir + "/g", "--db", db, "--repeat", "1", "--phases", "cold,edit", "--image-label", "imagebench.test=1"])
            #expect(run.exitCode == 0, "\(run.stderr)")
            let json = try await imagebench(["report", "--db", db, "--format", "json"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let results = try #require(object["results"] as? [[String: Any]])
            var edit: [String: Double] = [:]
            var goBuild: [String: Double] = [:]
            for result in results {
                let name = result["variant"] as? String ?? "?"
                #expect(result["status"] as? String == "ok", "\(name): \(result["problem"] ?? "")")
                edit[name] = ((result["phases"] as? [String: Any])?["edit"] as? [String: Any])?["median_s"] as? Double
                let steps = ((result["steps"] as? [String: Any])?["edit"] as? [[String: Any]]) ?? []
                let step = steps.first { ($0["instruction"] as? String)?.contains("go build") == true }
                goBuild[name] = (step?["summary"] as? [String: Any])?["median_s"] as? Double
                #expect(step?["cached_builds"] as? Int == 0, "\(name): the edit changes main.go, so go build runs: \(steps)")
            }
            let none = try #require(edit["cache=none"]), mount = try #require(edit["cache=mount"])
            #expect(mount < none, "edit builds: mount \(mount) s, none \(none) s")
            let noneStep = try #require(goBuild["cache=none"], "\(results)"), mountStep = try #require(goBuild["cache=mount"])
            #expect(mountStep < noneStep, "go build step in the edit build: mount \(mountStep) s, none \(noneStep) s")
        }
    }
}
