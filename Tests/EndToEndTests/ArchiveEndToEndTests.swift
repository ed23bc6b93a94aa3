import Foundation
import ImageBenchDocker
import ImageBenchTestSupport
import Testing

/// `analyze` and `diff` of image files: a real `docker save` file and the OCI archives podman writes
/// (gzip and zstd layers, and `podman save --format oci-archive`), against the same image in the engine
/// and against dive reading the same file.
@Suite(
    "image archives", .serialized,
    .enabled("needs a Docker engine, the offline bases and podman") {
        guard (try? await SubprocessExecutor().run(Command("podman", ["--version"])))?.succeeded == true else { return false }
        return await DockerEngine.hasOfflineBases()
    })
struct ArchiveEndToEndTests {
    static func run(_ executable: String, _ arguments: [String]) async throws {
        let r = try await SubprocessExecutor().run(Command(executable, arguments, timeout: 300))
        #expect(r.succeeded, "\(executable) \(arguments.joined(separator: " ")): \(r.stderr)")
    }

    static func analysis(_ image: String, _ extra: [String] = []) async throws -> [String: Any] {
        let r = try await imagebench(["analyze", image, "--format", "json"] + extra)
        #expect(r.exitCode == 0, "\(image): \(r.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    }

    /// What must not depend on where the layers were read: per layer its size and changes, and the waste.
    static func figures(_ a: [String: Any]) -> String {
        let layers = (a["layers"] as? [[String: Any]] ?? []).map { l in
            ["size_bytes", "added", "changed", "deleted", "digest"].map { "\(l[$0] ?? "-")" }.joined(separator: "/")
        }
        return "\(layers) efficiency=\(a["efficiency"] ?? "-") wasted=\(a["wasted_bytes"] ?? "-") user=\(a["user_wasted_percent"] ?? "-")"
            + " files=\((a["inefficient_files"] as? [[String: Any]] ?? []).map { "\($0["path"] ?? "")" }.sorted())"
            + " packages=\((a["packages"] as? [[String: Any]] ?? []).map { "\($0["name"] ?? "")=\($0["bytes"] ?? "")" })"
    }

    @Test("docker-archive and oci-archive (gzip, zstd) equal the engine's analysis; dive-json equals dive's own export of the file")
    func archives() async throws {
        try await withTemporaryDirectory { dir in
            let tag = "imagebench-test/archive:\(UUID().uuidString.prefix(8).lowercased())"
            try writeFiles(
                [
                    "Dockerfile": """
                    FROM imagebench-local/debian-minbase:bookworm
                    LABEL imagebench.test=1
                    RUN head -c 300000 /dev/urandom > /big && echo a > /x
                    RUN rm /big && echo bb > /x && rm -rf /usr/share/doc
                    """
                ], under: dir)
            let build = try await DockerEngine.classicBuild(["--tag", tag, dir])
            try #require(build.result.succeeded, "\(build.result.stderr)")
            try await DockerEngine.removing(images: [tag] + build.steps) { try await Self.checkArchives(of: tag, in: dir) }
        }
    }

    /// `tag` saved by docker and pushed by podman as OCI archives: every file reads as the image in the engine.
    static func checkArchives(of tag: String, in dir: String) async throws {

        let saved = dir + "/saved.tar"
        try await Self.run(DockerEngine.executable, ["save", "--output", saved, tag])
        // podman reads the docker save file and writes OCI archives with each compression.
        try await Self.run("podman", ["load", "--quiet", "--input", saved])
        let podmanTag = "localhost/" + tag
        for compression in ["gzip", "zstd"] {
            try await Self.run("podman", ["push", "--quiet", "--compression-format", compression, tag, "oci-archive:\(dir)/\(compression).tar"])
        }
        try await Self.run("podman", ["save", "--quiet", "--format", "oci-archive", "--output", dir + "/podman-save.tar", tag])
        _ = try? await SubprocessExecutor().run(Command("podman", ["image", "rm", "--force", podmanTag]))

        let engine = Self.figures(try await Self.analysis(tag))
        #expect(engine.contains("packages=[") && engine.contains("coreutils="), "\(engine)")
        // No engine is needed for a file: a docker client that does not exist is never started.
        let file = try await Self.analysis("docker-archive:\(saved)", ["--docker", dir + "/no-such-docker"])
        #expect(Self.figures(file) == engine)
        #expect(file["source"] as? String == "docker-archive")
        for name in ["gzip", "zstd", "podman-save"] {
            let oci = try await Self.analysis("oci-archive:\(dir)/\(name).tar", ["--compressed"])
            #expect(Self.figures(oci) == engine, "\(name)")
            // Compressed blobs: their own sizes, exactly, summed per layer.
            #expect(oci["compressed_source"] as? String == "archive", "\(name)")
        }
        let zstdSizes = try await Self.analysis("oci-archive:\(dir)/zstd.tar", ["--compressed"])
        let gzipSizes = try await Self.analysis("oci-archive:\(dir)/gzip.tar", ["--compressed"])
        #expect(
            (zstdSizes["layers"] as? [[String: Any]])?.map { $0["compressed_bytes"] as? Int }
                != (gzipSizes["layers"] as? [[String: Any]])?.map { $0["compressed_bytes"] as? Int })

        // A diff of the same image as two files finds nothing.
        let diff = try await imagebench(["diff", "docker-archive:\(saved)", "oci-archive:\(dir)/zstd.tar", "--format", "json"])
        #expect(diff.exitCode == 0, "\(diff.stderr)")
        let diffJSON = try #require(try JSONSerialization.jsonObject(with: Data(diff.stdout.utf8)) as? [String: Any])
        #expect((diffJSON["files"] as? [[String: Any]])?.isEmpty == true, "\(diff.stdout.prefix(600))")

        // dive reads the same file: its --json export and ours agree, every layer's fileList included.
        if (try? await SubprocessExecutor().run(Command("dive", ["--version"])))?.succeeded == true {
            let theirsFile = dir + "/dive.json"
            try await Self.run("dive", ["--source", "docker-archive", saved, "--json", theirsFile])
            let theirs = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: theirsFile))) as? [String: Any])
            let r = try await imagebench(["analyze", "docker-archive:\(saved)", "--format", "dive-json"])
            let ours = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
            Self.expectSameExport(ours, theirs)
            // And of the image in the engine (read through docker save, as dive does).
            let engineExport = try await imagebench(["analyze", tag, "--format", "dive-json"])
            Self.expectSameExport(try #require(try JSONSerialization.jsonObject(with: Data(engineExport.stdout.utf8)) as? [String: Any]), theirs)
        }
    }

    static func expectSameExport(_ ours: [String: Any], _ theirs: [String: Any]) {
        let a = ours["image"] as? [String: Any] ?? [:]
        let b = theirs["image"] as? [String: Any] ?? [:]
        #expect(a["sizeBytes"] as? Int == b["sizeBytes"] as? Int && a["inefficientBytes"] as? Int == b["inefficientBytes"] as? Int)
        #expect(abs((a["efficiencyScore"] as? Double ?? -1) - (b["efficiencyScore"] as? Double ?? -2)) < 1e-12)
        func references(_ image: [String: Any]) -> [String] {
            (image["fileReference"] as? [[String: Any]] ?? []).map { "\($0["file"] ?? "") \($0["count"] ?? "") \($0["sizeBytes"] ?? "")" }.sorted()
        }
        #expect(references(a) == references(b))
        func layers(_ export: [String: Any]) -> [String] {
            (export["layer"] as? [[String: Any]] ?? []).map { l in
                ["index", "id", "digestId", "sizeBytes", "command"].map { "\(l[$0] ?? "-")" }.joined(separator: " | ")
            }
        }
        #expect(layers(ours) == layers(theirs))
        // Every layer's fileList, entry by entry: path, type flag, link, size, Go file mode, owner.
        let mine = (ours["layer"] as? [[String: Any]] ?? []).map { $0["fileList"] as? [[String: Any]] ?? [] }
        let dive = (theirs["layer"] as? [[String: Any]] ?? []).map { $0["fileList"] as? [[String: Any]] ?? [] }
        #expect(mine.map(\.count) == dive.map(\.count))
        func line(_ entry: [String: Any]) -> String { entry.keys.sorted().map { "\($0)=\(entry[$0]!)" }.joined(separator: " ") }
        for (layer, (a, b)) in zip(mine, dive).enumerated() {
            let differing = zip(a.map(line), b.map(line)).first { $0 != $1 }
            #expect(differing == nil, "layer \(layer): ours \(differing?.0 ?? "") vs dive \(differing?.1 ?? "")")
        }
    }

    @Test("a missing file, the wrong kind, a truncated file and --source with an archive are one line each, exit 66 or 64")
    func badArchives() async throws {
        try await withTemporaryDirectory { dir in
            let saved = dir + "/base.tar"
            try await Self.run(DockerEngine.executable, ["save", "--output", saved, "imagebench-local/musl-busybox:1"])
            let whole = try Data(contentsOf: URL(fileURLWithPath: saved))
            try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: dir + "/half.tar"))
            try Data("not a tar\n".utf8).write(to: URL(fileURLWithPath: dir + "/text.tar"))
            let cases: [([String], Int32, String)] = [
                (["analyze", "docker-archive:\(dir)/none.tar"], 66, "docker-archive:\(dir)/none.tar: no such file"),
                (["analyze", "oci-archive:\(saved)"], 66, "it is a docker save archive, give docker-archive:\(saved)"),
                (["analyze", "docker-archive:\(dir)/text.tar"], 66, "not a tar archive"),
                (["analyze", "docker-archive:\(dir)/half.tar"], 66, "truncated"),
                (["analyze", "docker-archive:\(saved)", "--source", "overlay2"], 64, "leave --source out"),
                (["diff", "docker-archive:\(saved)", "docker-archive:\(dir)/none.tar"], 66, "no such file"),
            ]
            for (arguments, status, words) in cases {
                let r = try await imagebench(arguments)
                #expect(r.exitCode == status, "\(arguments): \(r.stderr)")
                #expect(r.stderr.contains(words) && r.stderr.split(separator: "\n").count == 1, "\(arguments): \(r.stderr)")
            }
        }
    }
}
