import Foundation
import ImageBenchCore
import ImageBenchDocker
import ImageBenchTestSupport
import Testing

/// imagebench's view of a build context against what the builders really copy: a CRLF `.dockerignore`
/// with a Latin-1 comment and a `[^...]` class, and a `Dockerfile.dockerignore`, built with BuildKit and
/// the classic builder of docker 20.10 and the classic builder of the docker client on PATH. The files
/// `list --files` says `COPY . /ctx/` copies must be the files the image's layers hold under /ctx.
@Suite(
    "dockerignore end to end", .serialized,
    .enabled("needs a Docker engine, the offline base images and Debian's docker 20.10 client") {
        await DockerEngine.hasOfflineBases() && FileManager.default.isExecutableFile(atPath: "/usr/bin/docker")
    })
struct DockerignoreEndToEndTests {
    static func writeScenario(in dir: String) throws -> String {
        let root = dir + "/ig"
        try writeFiles(
            [
                "scenario.yaml": """
                images: { base: imagebench-local/musl-busybox:1 }
                build-args: { BASE: "${images.base}" }
                axes:
                  builder:
                    buildkit: { builder: buildkit }
                    classic: { builder: classic }
                smoke: { expect-output: ok }
                """,
                "Dockerfile": "ARG BASE\nFROM ${BASE}\nCOPY . /ctx/\nRUN echo ok > /ok\nENTRYPOINT [\"cat\", \"/ok\"]\n",
                "a.txt": "a", "d.txt": "d", "x.log": "log", "build/keep.txt": "keep", "build/out.o": "o", "secret.env": "TOKEN=1",
                "ab.md": "ab", "cd.md": "cd",
            ], under: root)
        // CRLF line endings, a comment in Latin-1 (0xE9 is no UTF-8), a negated class.
        let ignore: [UInt8] = Array("# caf".utf8) + [0xE9] + Array("\r\n*.log\r\n[^a].txt\r\nbuild\r\n!build/keep.txt\r\n".utf8)
        try Data(ignore).write(to: URL(fileURLWithPath: root + "/.dockerignore"))
        try Data("secret.env\r\n[^ab]?.md\r\n".utf8).write(to: URL(fileURLWithPath: root + "/Dockerfile.dockerignore"))
        return root
    }

    /// The files `imagebench list --files` lists as COPY-able, per variant.
    static func listed(_ output: String) -> [String: [String]] {
        var files: [String: [String]] = [:]
        var variant: String?
        var inContext = false
        for line in output.split(separator: "\n").map(String.init) {
            if line.hasPrefix("builder=") {
                variant = line
                inContext = false
            } else if line.hasPrefix("  context (") {
                inContext = true
            } else if inContext, line.hasPrefix("    "), let variant {
                if !line.hasSuffix("(sent, not COPY-able)") { files[variant, default: []].append(String(line.dropFirst(4))) }
            } else {
                inContext = false
            }
        }
        return files
    }

    @Test("CRLF .dockerignore, Dockerfile.dockerignore and [^...] on BuildKit and classic: imagebench's file lists equal what COPY put in the image")
    func contextMatchesImage() async throws {
        try await withTemporaryDirectory { dir in
            let scenario = try Self.writeScenario(in: dir)
            let (mine, labels) = FaultEndToEndTests.labels()
            let clients = [("/usr/bin/docker", ["builder=buildkit", "builder=classic"]), (DockerEngine.executable, ["builder=classic"])]
            for (client, variants) in clients {
                let db = dir + "/\(variants.count).sqlite"
                let only = variants.count == 1 ? ["--only", variants[0]] : []
                let run = try await imagebench(
                    ["run", scenario, "--db", db, "--repeat", "1", "--phases", "cold", "--keep-images", "--docker", client] + only + labels)
                #expect(run.exitCode == 0, "\(client): \(run.stderr)")
                let list = try await imagebench(["list", scenario, "--files", "--docker", client] + only)
                #expect(list.exitCode == 0, "\(list.stderr)")
                let listed = Self.listed(list.stdout)
                let (_, results) = try await FaultEndToEndTests.results(db)
                for result in results {
                    let name = try #require(result["variant"] as? String)
                    let context = try #require(result["context"] as? [String: Any])
                    let ref = try #require((result["image"] as? [String: Any])?["ref"] as? String)
                    let layers = try await DockerClient(docker: client).layers(of: ref, source: .save)
                    let copied = layers.files.flatMap { $0 }.filter { !$0.isDirectory && $0.path.hasPrefix("ctx/") }.map {
                        String($0.path.dropFirst(4))
                    }
                    let expected = name == "builder=buildkit" ? "Dockerfile.dockerignore" : ".dockerignore"
                    #expect(context["ignore_file"] as? String == expected, "\(client) \(name)")
                    #expect(
                        listed[name]?.sorted() == copied.sorted(), "\(client) \(name): imagebench \(listed[name] ?? []) vs image \(copied.sorted())")
                    #expect(context["copyable_files"] as? Int == copied.count, "\(client) \(name)")
                    // What each builder's ignore file leaves in, as the builder itself decided.
                    if name == "builder=buildkit" {
                        #expect(Set(copied).isSuperset(of: ["d.txt", "x.log", "build/out.o", "ab.md"]) && !copied.contains("secret.env"))
                        #expect(!copied.contains("cd.md"), "[^ab]?.md excludes cd.md")
                    } else {
                        #expect(Set(copied).isSuperset(of: ["a.txt", "build/keep.txt", "secret.env", "cd.md"]), "\(copied)")
                        #expect(!copied.contains("d.txt") && !copied.contains("x.log") && !copied.contains("build/out.o"), "\(copied)")
                    }
                }
                let table = try await imagebench(["report", "--db", db])
                let line =
                    variants.count == 2
                    ? "Ignore files: Dockerfile.dockerignore for builder=buildkit; .dockerignore for builder=classic."
                    : "Ignore file: .dockerignore, for every variant."
                #expect(table.stdout.contains(line), "\(table.stdout)")
            }
            let left = try await FaultEndToEndTests.leftovers(mine).split(separator: "\n").map(String.init)
            if !left.isEmpty { _ = try await DockerEngine.output(["image", "rm", "--force"] + left) }
        }
    }
}
