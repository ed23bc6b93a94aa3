import Foundation
import ImageBenchDocker
import ImageBenchTestSupport
import Testing

/// One Dockerfile and context built in one run on three engines an axis names: Debian 12's dockerd 20.10
/// with overlay2 (the suite's engine), Debian 13's dockerd 26.1 with overlay2, and 26.1 with the containerd
/// image store (both `scripts/engine`), with the compressed sizes from a registry on loopback. Whatever each
/// engine's `.Size` says, imagebench's figures are the layers' and agree.
@Suite(
    "one build on 20.10/overlay2, 26.1/overlay2 and 26.1/containerd store", .serialized,
    .enabled("needs root, Debian 13's dockerd 26.1 (scripts/setup) and the offline bases") {
        guard getuid() == 0, OwnedEngine.missingNeeds() == nil, FileManager.default.isExecutableFile(atPath: OwnedEngine.modernDockerd) else {
            return false
        }
        return await DockerEngine.hasOfflineBases()
    })
struct ModernEngineEndToEndTests {
    static let port = "5083"

    /// A Go binary (one of the Go toolchain's own tools, from the Go stand-in), a file written and deleted
    /// again (waste), symlinks, and the distroless stand-in's files with its package database, on the
    /// musl stand-in.
    static func writeScenario(in dir: String) async throws {
        try writeFiles(
            [
                "s/scenario.yaml": """
                axes:
                  engine:
                    debian-20: { engine: docker, builder: buildkit }
                    docker-26-overlay2: { host: "unix:///tmp/imagebench-ib26o/docker.sock", builder: buildkit }
                    docker-26-containerd: { host: "unix:///tmp/imagebench-ib26c/docker.sock", builder: buildkit }
                smoke: { args: [cat, /done], expect-output: done }
                """,
                "s/Dockerfile": """
                FROM imagebench-local/musl-busybox:1
                COPY --from=imagebench-local/static-base:1 / /
                COPY tool /usr/local/bin/tool
                RUN head -c 300000 /dev/urandom > /junk && ln -s /usr/local/bin/tool /tool-link
                RUN rm /junk && echo done > /done
                LABEL imagebench.test=1

                """,
            ], under: dir)
        let copied = try await SubprocessExecutor().run(
            Command(
                DockerEngine.executable,
                [
                    "run", "--rm", "--label", "imagebench.test=1", "--volume", dir + "/s:/out", "imagebench-local/go-builder:bookworm", "cp",
                    "/usr/lib/go-1.19/pkg/tool/linux_amd64/addr2line", "/out/tool",
                ], timeout: 120))
        try #require(copied.succeeded, "\(copied.stderr)")
    }

    @Test(
        "size, layers, per-layer bytes, waste, packages, Go binaries and the registry's compressed size agree; .Size and the disk are each engine's own"
    )
    func sameFiguresOnEveryEngine() async throws {
        let bases = ["--bases", "musl,static"]
        try await EngineEndToEndTests.withSecondEngine("ib26o", options: ["--dockerd", "26.1", "--store", "overlay2"] + bases) { _ in
            try await EngineEndToEndTests.withSecondEngine("ib26c", options: ["--dockerd", "26.1", "--store", "containerd"] + bases) { _ in
                try await CIEndToEndTests.withRegistry(port: Self.port) { registry in
                    try await withTemporaryDirectory { dir in
                        try await Self.writeScenario(in: dir)
                        let (mine, labels) = FaultEndToEndTests.labels()
                        let db = dir + "/r.sqlite"
                        let r = try await imagebench(
                            ["run", dir + "/s", "--db", db, "--repeat", "1", "--phases", "cold", "--registry", registry] + labels)
                        #expect(r.exitCode == 0, "\(r.stderr)")
                        try await Self.check(db: db, stdout: r.stdout)
                        #expect(try await FaultEndToEndTests.leftovers(mine).isEmpty)
                    }
                }
            }
        }
    }

    static func check(db: String, stdout: String) async throws {
        let (run, results) = try await FaultEndToEndTests.results(db)
        #expect(results.count == 3 && results.allSatisfy { $0["status"] as? String == "ok" }, "\(results.map { $0["problem"] ?? "" })")
        let byName = Dictionary(results.map { ($0["variant"] as? String ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        func image(_ name: String) -> [String: Any] { byName["engine=\(name)"]?["image"] as? [String: Any] ?? [:] }
        func insight(_ name: String) -> [String: Any] { byName["engine=\(name)"]?["insight"] as? [String: Any] ?? [:] }
        let names = ["debian-20", "docker-26-overlay2", "docker-26-containerd"]
        let size = try #require(image("debian-20")["size_bytes"] as? Int)
        // A graph driver's .Size is the unpacked layers, but it leaves out the target lengths of the symlinks
        // in layers BuildKit made (docker 20.10 and 26.1 alike; docker's classic builder counts them): here the
        // distroless files' and /tool-link's, some bytes of the layers' millions.
        for name in ["debian-20", "docker-26-overlay2"] {
            let engineSize = try #require(image(name)["engine_size"] as? [String: Any])
            let bytes = try #require(engineSize["bytes"] as? Int)
            #expect(engineSize["meaning"] as? String == "unpacked" && bytes <= size && size - bytes < 20_000, "\(name): \(bytes) vs \(size)")
            #expect(engineSize["disk_bytes"] as? Int == bytes)
        }
        for name in names {
            #expect(image(name)["size_bytes"] as? Int == size, "\(name)")
            #expect(image(name)["layers"] as? Int == image("debian-20")["layers"] as? Int, "\(name)")
            let steps = (image(name)["history"] as? [[String: Any]] ?? []).map { $0["size_bytes"] as? Int ?? -1 }
            #expect(steps == (image("debian-20")["history"] as? [[String: Any]] ?? []).map { $0["size_bytes"] as? Int ?? -1 }, "\(name)")
            for key in ["wasted_bytes", "efficiency"] {
                #expect("\(insight(name)[key] ?? "-")" == "\(insight("debian-20")[key] ?? "+")", "\(name) \(key)")
            }
            // The registry stores each engine's gzip of the new layers: BuildKit's on the containerd store,
            // docker push's on a graph driver. They agree within a hundredth of a percent.
            let compressed = try #require(insight(name)["compressed_bytes"] as? Int)
            let reference = try #require(insight("debian-20")["compressed_bytes"] as? Int)
            #expect(abs(compressed - reference) * 10_000 <= reference, "\(name): \(compressed) vs \(reference)")
            #expect(insight(name)["compressed_source"] as? String == "registry")
            let packages = ((insight(name)["packages"] as? [String: Any])?["packages"] as? [[String: Any]] ?? []).map {
                "\($0["name"] ?? "") \($0["version"] ?? "") \($0["bytes"] ?? "")"
            }
            #expect(!packages.isEmpty)
            #expect(
                packages
                    == ((insight("debian-20")["packages"] as? [String: Any])?["packages"] as? [[String: Any]] ?? []).map {
                        "\($0["name"] ?? "") \($0["version"] ?? "") \($0["bytes"] ?? "")"
                    }, "\(name)")
            let binaries = (insight(name)["go_binaries"] as? [[String: Any]] ?? []).map { "\($0["path"] ?? "") \($0["go_version"] ?? "")" }
            #expect(binaries == ["/usr/local/bin/tool go1.19.8"], "\(name)")
        }
        #expect((insight("debian-20")["wasted_bytes"] as? Int ?? 0) >= 300_000)
        // 26.1 with overlay2: .Size is the unpacked size too. The containerd store: the packed content,
        // less than the layers hold, and the disk is the blobs and the snapshots together.
        let store = try #require(image("docker-26-containerd")["engine_size"] as? [String: Any])
        #expect(store["meaning"] as? String == "packed" && store["store"] as? String == "containerd", "\(store)")
        let packed = try #require(store["bytes"] as? Int)
        #expect(packed < size && (store["disk_bytes"] as? Int ?? 0) > size + packed / 2, "\(store)")
        // The run lists the three engines; the table warns which figures compare across them.
        let engines = (run["environment"] as? [String: Any])?["engines"] as? [[String: Any]] ?? []
        #expect(Set(engines.compactMap { $0["storage_driver"] as? String }) == ["overlay2", "overlayfs"] && engines.count == 3)
        #expect(stdout.contains("sizes, layers and compressed sizes compare (they are defined by the layers)"), "\(stdout)")
        #expect(stdout.contains(" disk ") && stdout.contains("containerd image store: docker image inspect .Size is the packed content"))
    }
}
