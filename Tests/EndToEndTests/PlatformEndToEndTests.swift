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
    @Test("cross-compiled in a native build stage, smoke-tested under emulation: the report says emulated, the binary says arm64")
    func arm64() async throws {
        try await withTemporaryDirectory { dir in
            try writeFiles(
                [
                    "a/scenario.yaml": """
                    context: app
                    images: { builder: imagebench-local/go-builder:bookworm }
                    build-args: { BUILDER: "${images.builder}" }
                    axes:
                      platform:
                        arm64: { platform: linux/arm64, builder: buildkit }
                    smoke: { expect-output: hello from arm64 }
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
            let db = dir + "/r.sqlite"
            let run = try await imagebench(["run", dir + "/a", "--db", db, "--repeat", "1", "--phases", "cold", "--image-label", "imagebench.test=1"])
            #expect(run.exitCode == 0, "\(run.stderr)")
            #expect(run.stdout.contains("Emulated: platform=arm64 (arm64 on an amd64 engine)"), "\(run.stdout)")
            let json = try await imagebench(["report", "--db", db, "--format", "json"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let result = try #require((object["results"] as? [[String: Any]])?.first)
            #expect(result["status"] as? String == "ok", "\(result["problem"] ?? "")")
            #expect(result["emulated"] as? String == "arm64" && result["platform"] as? String == "linux/arm64")
            let insight = try #require(result["insight"] as? [String: Any])
            #expect((insight["linkage"] as? [String: Any])?["architecture"] as? String == "arm64", "\(insight["linkage"] ?? "")")
            let go = try #require((insight["go_binaries"] as? [[String: Any]])?.first)
            #expect("\(go)".contains("arm64"), "\(go)")
        }
    }
}
