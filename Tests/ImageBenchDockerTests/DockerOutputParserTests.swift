import Foundation
import ImageBenchCore
import ImageBenchDocker
import Testing

/// Real output captured from docker 28.2 (classic) and 20.10 (BuildKit) clients on a 20.10 engine.
@Suite("Parsing real docker output")
struct DockerOutputParserTests {
    static func fixture(_ name: String) throws -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
        return try String(contentsOf: url, encoding: .utf8)
    }

    @Test("docker info: the engine's architecture as OCI platforms name it")
    func architecture() {
        var environment = RunEnvironment()
        DockerOutputParser.applyInfo(#"{"Architecture":"x86_64","Driver":"overlay2","NCPU":2}"#, to: &environment)
        #expect(environment.architecture == "amd64" && environment.engineRecord.architecture == "amd64")
        DockerOutputParser.applyInfo(#"{"Architecture":"aarch64","Driver":"overlay2"}"#, to: &environment)
        #expect(environment.architecture == "arm64")
        var podman = RunEnvironment()
        DockerOutputParser.applyPodmanInfo(#"{"host":{"arch":"amd64"},"store":{"graphDriverName":"overlay"}}"#, to: &podman)
        #expect(podman.architecture == "amd64")
    }

    @Test("classic builder: Sending build context to Docker daemon")
    func classicContext() throws {
        #expect(DockerOutputParser.contextBytes(try Self.fixture("classic-build.txt")) == 5632)
    }

    @Test("classic builder: the step images a build made, never the base image nor a cached step")
    func createdImages() throws {
        #expect(DockerOutputParser.createdImages(try Self.fixture("classic-build.txt")) == ["d9ac8d358805", "c19c5aba37f1"])
        let warm = """
            Step 1/4 : FROM imagebench-local/go-builder:bookworm AS build
             ---> 957daf7d83b2
            Step 2/4 : COPY . /src
             ---> Using cache
             ---> d9ac8d358805
            Step 3/4 : FROM scratch
             ---> 
            Step 4/4 : COPY --from=build /src/app /app
             ---> 0123456789ab
            Successfully built 0123456789ab
            """
        #expect(DockerOutputParser.createdImages(warm) == ["0123456789ab"])
    }

    @Test("BuildKit: the load-build-context step, not the .dockerignore step")
    func buildkitContext() throws {
        #expect(DockerOutputParser.contextBytes(try Self.fixture("buildkit-build.txt")) == 3030)
        #expect(DockerOutputParser.contextBytes("no context here") == nil)
    }

    @Test(
        "docker's human sizes",
        arguments: [
            ("512B", 512), ("2.048kB", 2048), ("1.2MB", 1_200_000), ("3GB", 3_000_000_000), ("1KiB", 1024), ("2MiB", 2_097_152),
        ] as [(String, Int64)])
    func humanBytes(_ text: String, _ bytes: Int64) {
        #expect(DockerOutputParser.humanBytes(text) == bytes)
    }

    @Test("docker stats's memory in use: docker's binary units, podman's SI ones; the limit after the slash is not it")
    func memoryInUse() {
        #expect(DockerOutputParser.memoryInUse("3.27MiB / 23.43GiB\n") == 3_428_844)
        #expect(DockerOutputParser.memoryInUse("896KiB / 23.43GiB") == 917_504)
        #expect(DockerOutputParser.memoryInUse("3.4MB / 25.2GB") == 3_400_000)
        #expect(DockerOutputParser.memoryInUse("0B / 0B") == 0)
        #expect(DockerOutputParser.memoryInUse("") == nil)
        #expect(DockerOutputParser.memoryInUse("-- / --") == nil)
    }

    @Test("image inspect: id, .Size and .RootFS.Layers")
    func inspect() throws {
        let parsed = try #require(DockerOutputParser.inspect(try Self.fixture("inspect.json")))
        #expect(parsed.id == "sha256:c19c5aba37f1a373693c8f86efb37f82b88dafef5d7db2abb98dba4380191643")
        #expect(parsed.layers == 3)
        #expect(parsed.size > 3000)
        #expect(DockerOutputParser.inspect("[]") == nil)
    }

    @Test("history: bytes per instruction, oldest first, <missing> ids dropped")
    func history() throws {
        let layers = DockerOutputParser.history(try Self.fixture("history.jsonl"))
        #expect(layers.count >= 3)
        #expect(layers.map(\.position) == Array(0..<layers.count))
        let last = try #require(layers.last)
        #expect(last.createdBy == "/bin/sh -c echo hi > /b.txt")
        #expect(last.sizeBytes == 3)
        #expect(layers[layers.count - 2].sizeBytes == 3000)
        #expect(layers.allSatisfy { $0.id != "<missing>" })
    }

    @Test("version: client and server; no server when no engine answers")
    func versions() throws {
        let both = try #require(DockerOutputParser.versions(try Self.fixture("version.json")))
        #expect(both.client == "28.2.2")
        #expect(both.server == "20.10.24+dfsg1")
        let clientOnly = try #require(DockerOutputParser.versions(try Self.fixture("version-no-engine.json")))
        #expect(clientOnly.client == "28.2.2")
        #expect(clientOnly.server == nil)
    }
}

@Suite("podman output")
struct PodmanOutputTests {
    @Test("podman history: one JSON array with lower-case size and id, read like docker's")
    func history() throws {
        let layers = DockerOutputParser.history(try DockerOutputParserTests.fixture("podman-history.json"))
        #expect(layers.count >= 3)
        #expect(layers.map(\.position) == Array(0..<layers.count))
        let last = try #require(layers.last)
        #expect(last.createdBy == "/bin/sh -c echo hi > /b.txt")
        // podman counts a layer's tar stream: a 3-byte file is 2,560 bytes with its headers and padding.
        #expect(last.sizeBytes == 2560)
        #expect(layers[layers.count - 2].sizeBytes == 8704)
        #expect(last.id?.hasPrefix("ec1896912f95") == true)
    }

    @Test("podman info and version: engine facts from podman's own JSON")
    func info() throws {
        var environment = RunEnvironment()
        DockerOutputParser.applyPodmanInfo(try DockerOutputParserTests.fixture("podman-info.json"), to: &environment)
        #expect(environment.storageDriver == "overlay")
        #expect(environment.cpus == 2)
        #expect(environment.memoryBytes > 1_000_000_000)
        #expect(environment.os == "debian 12")
        #expect(!environment.host.isEmpty && !environment.kernel.isEmpty)
        let versions = try #require(DockerOutputParser.versions(try DockerOutputParserTests.fixture("podman-version.json")))
        #expect(versions.client == "4.3.1" && versions.server == nil)
    }
}
