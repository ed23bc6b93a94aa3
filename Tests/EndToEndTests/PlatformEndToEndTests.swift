import Foundation
import ImageBenchCore
import ImageBenchDocker
import ImageBenchTestSupport
import Testing

/// A variant for linux/arm64 on this amd64 machine: its Go build stage runs natively on $BUILDPLATFORM and
/// cross-compiles with GOARCH=$TARGETARCH, its final stage and smoke test are arm64, run under the QEMU user
/// emulation scripts/setup registers. Skipped where no arm64 emulation is registered.
@Suite(
    "platform: an arm64 variant on an amd64 engine", .serialized,
    .enabled("needs a Docker engine, the offline base images and arm64 emulation (scripts/setup registers it)") {
        guard FileManager.default.fileExists(atPath: "/proc/sys/fs/binfmt_misc/qemu-aarch64") else { return false }
        return await DockerEngine.hasOfflineBases()
    })
struct PlatformEndToEndTests {
    /// A Go hello that prints its GOARCH, cross-compiled in a build stage on $BUILDPLATFORM for each
    /// $TARGETARCH, on scratch: one axis value named `value` whose `platform:` is `platform`.
    static func writeScenario(in dir: String, value: String, platform: String, expect: String) throws {
        try writeFiles(
            [
                "a/scenario.yaml": """
                context: app
                images: { builder: imagebench-local/go-builder:bookworm }
                build-args: { BUILDER: "${images.builder}" }
                axes:
                  platform:
                    \(value): { platform: "\(platform)", builder: buildkit }
                smoke: { expect-output: \(expect) }
                """,
                "a/app/go.mod": "module example.com/hello\n\ngo 1.19\n",
                "a/app/main.go":
                    "package main\n\nimport (\n\t\"fmt\"\n\t\"runtime\"\n)\n\nfunc main() { fmt.Println(\"hello from\", runtime.GOARCH) }\n",
                "a/app/Dockerfile": """
                ARG BUILDER
                FROM --platform=$BUILDPLATFORM ${BUILDER} AS build
                ARG TARGETARCH
                WORKDIR /src
                COPY go.mod main.go ./
                RUN CGO_ENABLED=0 GOARCH=$TARGETARCH go build -trimpath -o /hello .

                FROM scratch
                COPY --from=build /hello /hello
                ENTRYPOINT ["/hello"]
                """,
            ], under: dir)
    }

    @Test("cross-compiled in a native build stage, smoke-tested under emulation: the report says emulated, the binary says arm64")
    func arm64() async throws {
        try await withTemporaryDirectory { dir in
            try Self.writeScenario(in: dir, value: "arm64", platform: "linux/arm64", expect: "hello from arm64")
            let db = dir + "/r.sqlite"
            let run = try await imagebench(["run", dir + "/a", "--db", db, "--repeat", "1", "--phases", "cold", "--image-label", "imagebench.test=1"])
            #expect(run.exitCode == 0, "\(run.stderr)")
            // Its one RUN step ran natively on $BUILDPLATFORM: a native build time, an emulated smoke test.
            #expect(run.stdout.contains("Cross-built: platform=arm64 (arm64 on an amd64 engine) ran every RUN step natively"), "\(run.stdout)")
            let json = try await imagebench(["report", "--db", db, "--format", "json"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let result = try #require((object["results"] as? [[String: Any]])?.first)
            #expect(result["status"] as? String == "ok", "\(result["problem"] ?? "")")
            #expect(result["emulated"] as? String == "arm64" && result["platform"] as? String == "linux/arm64")
            #expect(result["target_platform_runs"] as? Int == 0 && result["build_emulated"] as? Bool == false)
            // The containerd store unpacks only the engine's platform: the history then comes from the image's config.
            let history = try #require((result["image"] as? [String: Any])?["history"] as? [[String: Any]])
            #expect(history.contains { ($0["created_by"] as? String)?.hasPrefix("COPY /hello /hello") == true }, "\(history)")
            let insight = try #require(result["insight"] as? [String: Any])
            #expect((insight["linkage"] as? [String: Any])?["architecture"] as? String == "arm64", "\(insight["linkage"] ?? "")")
            let go = try #require((insight["go_binaries"] as? [[String: Any]])?.first)
            #expect("\(go)".contains("arm64"), "\(go)")
        }
    }

    @Test(
        "cross-built against emulated, offline: the same work in a stage on $BUILDPLATFORM and in an arm64 stage; the note gives both times and sizes"
    )
    func crossAgainstEmulated() async throws {
        try await withTemporaryDirectory { dir in
            // The work: a shell loop, as CPU-bound as a compiler, in busybox: natively in the cross variant's
            // build stage, under QEMU in the emulated one's (the arm64 stand-in of alpine:3.20).
            let work = "RUN i=0; while [ $i -lt 500000 ]; do i=$((i+1)); done; echo $i > /count\n"
            let final = "\nFROM ${RUNTIME}\nCOPY --from=build /count /count\nCMD [\"cat\", \"/count\"]\n"
            try writeFiles(
                [
                    "c/scenario.yaml": """
                    images: { native: imagebench-local/musl-busybox:1, runtime: "alpine:3.20" }
                    build-args: { NATIVE: "${images.native}", RUNTIME: "${images.runtime}" }
                    axes:
                      build:
                        cross: { platform: linux/arm64, builder: buildkit, dockerfile: Dockerfile.cross }
                        emulated: { platform: linux/arm64, builder: buildkit, dockerfile: Dockerfile.emulated }
                    smoke: { expect-output: "500000" }
                    """,
                    "c/Dockerfile.cross": "ARG NATIVE\nARG RUNTIME\nFROM --platform=$BUILDPLATFORM ${NATIVE} AS build\n" + work + final,
                    "c/Dockerfile.emulated": "ARG RUNTIME\nFROM ${RUNTIME} AS build\n" + work + final,
                ], under: dir)
            let db = dir + "/r.sqlite"
            let run = try await imagebench(
                ["run", dir + "/c", "--db", db, "--profile", "offline", "--repeat", "1", "--phases", "cold", "--image-label", "imagebench.test=1"])
            #expect(run.exitCode == 0, "\(run.stderr)")
            let json = try await imagebench(["report", "--db", db, "--format", "json"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let results = try #require(object["results"] as? [[String: Any]])
            let cross = try #require(results.first { $0["variant"] as? String == "build=cross" })
            let emulated = try #require(results.first { $0["variant"] as? String == "build=emulated" })
            #expect(
                cross["status"] as? String == "ok" && emulated["status"] as? String == "ok", "\(cross["problem"] ?? "") \(emulated["problem"] ?? "")")
            #expect(cross["target_platform_runs"] as? Int == 0 && emulated["target_platform_runs"] as? Int == 1)
            #expect(cross["build_emulated"] as? Bool == false && emulated["build_emulated"] as? Bool == true)
            func cold(_ r: [String: Any]) -> Double { ((r["phases"] as? [String: Any])?["cold"] as? [String: Any])?["median_s"] as? Double ?? 0 }
            // The loop under emulation takes several times as long (6.2× here for the whole build); over 1.5× beside the suite.
            #expect(cold(emulated) > 1.5 * cold(cross), "cold \(cold(cross)) s cross against \(cold(emulated)) s emulated")
            func size(_ r: [String: Any]) -> Int? { (r["image"] as? [String: Any])?["size_bytes"] as? Int }
            #expect(size(cross) != nil && size(cross) == size(emulated), "the same files: \(size(cross) ?? 0) and \(size(emulated) ?? 0)")
            let table = try await imagebench(["report", "--db", db])
            #expect(table.stdout.contains("build=cross against build=emulated (linux/arm64): cold "), "\(table.stdout)")
            #expect(table.stdout.contains("; images the same size, "), "\(table.stdout)")
            #expect(table.stdout.contains("Emulated: build=emulated (arm64 on an amd64 engine)"), "\(table.stdout)")
        }
    }

    @Test("a list of platforms is one index: each platform's size and layers, the native one smoke-tested; skipped on a graph driver")
    func platformList() async throws {
        let containerd = await DockerEngine.usesContainerdStore()
        try await withTemporaryDirectory { dir in
            try Self.writeScenario(in: dir, value: "both", platform: "linux/arm64,linux/amd64", expect: "hello from amd64")
            let db = dir + "/r.sqlite"
            let run = try await imagebench(["run", dir + "/a", "--db", db, "--repeat", "1", "--phases", "cold", "--image-label", "imagebench.test=1"])
            #expect(run.exitCode == 0, "\(run.stderr)")
            let json = try await imagebench(["report", "--db", db, "--format", "json"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let result = try #require((object["results"] as? [[String: Any]])?.first)
            guard containerd else {
                // overlay2 keeps one platform's image under a name: the line says where a list can be kept.
                #expect(result["status"] as? String == "skipped")
                #expect((result["problem"] as? String)?.contains("--store containerd") == true, "\(result["problem"] ?? "")")
                return
            }
            #expect(result["status"] as? String == "ok", "\(result["problem"] ?? "")")
            let index = try #require(result["platform_index"] as? [String: Any], "\(result)")
            let members = try #require(index["members"] as? [[String: Any]])
            #expect(members.compactMap { $0["platform"] as? String }.sorted() == ["linux/amd64", "linux/arm64"])
            let sizes = members.compactMap { $0["bytes"] as? Int }
            let compressed = members.compactMap { $0["compressed_bytes"] as? Int }
            #expect(sizes.count == 2 && sizes.allSatisfy { $0 > 1_000_000 }, "a Go hello is over a megabyte: \(sizes)")
            #expect(sizes[0] != sizes[1], "two architectures' binaries differ in size: \(sizes)")
            #expect(members.allSatisfy { $0["layers"] as? Int == 1 })
            // Each platform's Go binary was read from its own layers: its build info says its GOARCH.
            for member in members {
                let architecture = (member["platform"] as? String)?.split(separator: "/").last.map(String.init) ?? "?"
                let settings = (member["go_binaries"] as? [[String: Any]])?.first?["settings"] as? [[String: Any]] ?? []
                #expect(settings.contains { $0["key"] as? String == "GOARCH" && $0["value"] as? String == architecture }, "\(member)")
            }
            // The index holds both platforms' layers, so it stores more than either alone.
            let stored = try #require(index["stored_bytes"] as? Int)
            #expect(stored > compressed.reduce(0, +), "\(stored) vs \(compressed)")
            // The table row is the engine's own platform's image: its size is the amd64 member's.
            let amd = try #require(members.first { $0["platform"] as? String == "linux/amd64" })
            #expect((result["image"] as? [String: Any])?["size_bytes"] as? Int == amd["bytes"] as? Int)
            let table = try await imagebench(["report", "--db", db])
            #expect(table.stdout.contains("linux/amd64") && table.stdout.contains("smoke-tested"), "\(table.stdout)")
        }
    }

    @Test("offline, an arm64 variant FROM alpine:3.20 builds on the arm64 stand-in and runs under emulation; a list FROM it is skipped")
    func arm64StandIn() async throws {
        let containerd = await DockerEngine.usesContainerdStore()
        try await withTemporaryDirectory { dir in
            try writeFiles(
                [
                    "b/scenario.yaml": """
                    images: { alpine: "alpine:3.20" }
                    build-args: { RUNTIME: "${images.alpine}" }
                    axes:
                      platform:
                        arm64: { platform: linux/arm64, builder: buildkit }
                        both: { platform: "linux/amd64,linux/arm64", builder: buildkit }
                    smoke: { expect-output: aarch64 }
                    """,
                    "b/Dockerfile": "ARG RUNTIME\nFROM ${RUNTIME}\nRUN uname -m > /arch\nCMD [\"cat\", \"/arch\"]\n",
                ], under: dir)
            let db = dir + "/r.sqlite"
            let run = try await imagebench(
                ["run", dir + "/b", "--db", db, "--profile", "offline", "--repeat", "1", "--phases", "cold", "--image-label", "imagebench.test=1"])
            #expect(run.exitCode == 0, "\(run.stderr)")
            #expect(run.stdout.contains("for linux/arm64: imagebench-local/musl-busybox:1-arm64"), "\(run.stdout)")
            let json = try await imagebench(["report", "--db", db, "--format", "json"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let results = try #require(object["results"] as? [[String: Any]])
            let arm = try #require(results.first { $0["variant"] as? String == "platform=arm64" })
            // Its RUN step and its smoke test ran the stand-in's arm64 busybox under emulation.
            #expect(arm["status"] as? String == "ok", "\(arm["problem"] ?? "")")
            #expect(arm["emulated"] as? String == "arm64")
            let both = try #require(results.first { $0["variant"] as? String == "platform=both" })
            #expect(both["status"] as? String == "skipped")
            // One name is one platform's image: on the containerd store the amd64 stand-in cannot serve arm64, and BuildKit
            // would ask a registry; on a graph driver the list itself cannot be kept.
            let said = containerd ? "for linux/arm64, but the engine holds it for linux/amd64 only" : "--store containerd"
            #expect((both["problem"] as? String)?.contains(said) == true, "\(both["problem"] ?? "")")
        }
    }
}
