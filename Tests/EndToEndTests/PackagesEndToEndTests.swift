import Foundation
import ImageBenchDocker
import ImageBenchTestSupport
import Testing

/// OS packages, Go build information and `imagebench diff` on a real engine, checked against the tools
/// that own the formats: dpkg-query and stat inside the Debian stand-in, `go version -m` on a binary
/// taken out of an image.
@Suite(
    "packages, Go modules and diff end to end", .serialized,
    .enabled("needs a Docker engine and the offline base images") { await DockerEngine.hasOfflineBases() })
struct PackagesEndToEndTests {
    static let debian = "imagebench-local/debian-minbase:bookworm"

    static func json(_ arguments: [String]) async throws -> [String: Any] {
        let r = try await imagebench(arguments)
        #expect(r.exitCode == 0, "\(arguments): \(r.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stdout.prefix(300))")
    }

    static func docker(_ arguments: [String]) async throws -> CommandResult {
        let r = try await SubprocessExecutor().run(Command(DockerEngine.executable, arguments, environment: ["DOCKER_BUILDKIT": "0"], timeout: 300))
        #expect(r.succeeded, "docker \(arguments.joined(separator: " ")): \(r.stderr)")
        return r
    }

    @Test("the Debian stand-in: packages, versions and Installed-Size equal dpkg-query's; each package's bytes equal stat of its listed files")
    func dpkgAgainstDpkgQuery() async throws {
        let query = try await Self.docker(["run", "--rm", Self.debian, "dpkg-query", "-W", "-f=${Package} ${Version} ${Installed-Size}\n"])
        let theirs = Set(query.stdout.split(separator: "\n").map(String.init))
        // Inside the image: every listed path that is a regular file (not a symlink), once per inode.
        let script = """
            dpkg-query -W -f='${Package}\\n' | while read -r p; do
              s=$(dpkg-query -L "$p" 2>/dev/null | while read -r f; do if [ -f "$f" ] && [ ! -L "$f" ]; then stat -c '%i %s' "$f"; fi; done | sort -u | awk '{ s += $2 } END { print s + 0 }')
              echo "$p $s"
            done
            """
        let stat = try await Self.docker(["run", "--rm", Self.debian, "sh", "-c", script])
        let statBytes = Dictionary(
            stat.stdout.split(separator: "\n").map { line in (String(line.split(separator: " ")[0]), Int(line.split(separator: " ")[1]) ?? -1) },
            uniquingKeysWith: { a, _ in a })
        #expect(theirs.count > 80 && statBytes.count == theirs.count)
        for source in await DockerEngine.layerSources() {
            let analysis = try await Self.json(["analyze", Self.debian, "--format", "json", "--source", source])
            let packages = try #require(analysis["packages"] as? [[String: Any]])
            let ours = Set(
                packages.map { "\($0["name"] as? String ?? "") \($0["version"] as? String ?? "") \(($0["declared_bytes"] as? Int ?? 0) / 1024)" })
            #expect(
                ours == theirs,
                "\(source): only ours \(ours.subtracting(theirs).sorted().prefix(5)), only dpkg-query's \(theirs.subtracting(ours).sorted().prefix(5))"
            )
            for package in packages {
                let name = package["name"] as? String ?? ""
                #expect(
                    package["bytes"] as? Int == statBytes[name], "\(source): \(name) \(package["bytes"] ?? "-") B, stat says \(statBytes[name] ?? -1)"
                )
            }
            let database = try #require(analysis["package_database"] as? [String: Any])
            #expect(database["manager"] as? String == "dpkg")
            #expect((database["unowned_bytes"] as? Int ?? 0) > 0)
        }
        // The table says what the numbers are.
        let table = try await imagebench(["analyze", Self.debian])
        #expect(table.stdout.contains("Packages (dpkg): \(theirs.count), "), "\(table.stdout)")
        #expect(table.stdout.contains("in files no package lists"))
    }

    /// A module with a dependency replaced by a local folder, so `go version -m` has mod, dep and `=>`
    /// lines; built offline in the Go stand-in, static, on scratch. The classic builder keeps the finished
    /// build stage as an untagged image: it carries the test label and `imagebench.test.build=BUILD`, by
    /// which the test removes it.
    static func writeGoApp(in dir: String) throws {
        try writeFiles(
            [
                "go/go.mod": "module example.com/buildinfo\n\ngo 1.19\n\nrequire example.com/greet v1.2.3\n\nreplace example.com/greet => ./greet\n",
                "go/main.go": "package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/greet\"\n)\n\nfunc main() { fmt.Println(greet.Hello()) }\n",
                "go/greet/go.mod": "module example.com/greet\n\ngo 1.19\n",
                "go/greet/greet.go": "package greet\n\nfunc Hello() string { return \"hello\" }\n",
                "go/Dockerfile": """
                FROM imagebench-local/go-builder:bookworm AS build
                ARG BUILD
                LABEL imagebench.test=1 imagebench.test.build=$BUILD
                WORKDIR /src
                COPY . .
                RUN CGO_ENABLED=0 GOFLAGS=-mod=mod GOPROXY=off go build -ldflags="-s -w" -o /out/app .
                FROM scratch
                LABEL imagebench.test=1
                COPY --from=build /out/app /app
                ENTRYPOINT ["/app"]
                """,
            ], under: dir)
    }

    @Test(
        "a Go binary in an image: version, main module, modules with their replacement, build settings equal `go version -m` on the extracted binary")
    func goAgainstGoVersion() async throws {
        try await withTemporaryDirectory { dir in
            try Self.writeGoApp(in: dir)
            let build = UUID().uuidString.prefix(8).lowercased()
            let tag = "imagebench-test/buildinfo:\(build)"
            let built = try await DockerEngine.classicBuild(["--force-rm", "--build-arg", "BUILD=\(build)", "--tag", tag, dir + "/go"])
            #expect(built.result.succeeded, "\(built.result.stderr)")
            let stage = try await Self.docker(["image", "ls", "--quiet", "--no-trunc", "--filter", "label=imagebench.test.build=\(build)"])
            let made = [tag] + stage.stdout.split(separator: "\n").map(String.init) + built.steps
            #expect(stage.stdout.split(separator: "\n").count == 1, "the build stage's image: \(stage.stdout)")
            try await DockerEngine.removing(images: made) { try await Self.checkGoBinary(tag: tag, in: dir) }
        }
    }

    /// `go version -m` on the binary taken out of the image `tag` against imagebench's analysis of it.
    static func checkGoBinary(tag: String, in dir: String) async throws {
        let container = try await Self.docker(["create", tag]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try await Self.docker(["cp", container + ":/app", dir + "/app"])
        _ = try await Self.docker(["rm", container])
        let version = try await Self.docker([
            "run", "--rm", "--volume", dir + ":/x:ro", "imagebench-local/go-builder:bookworm", "go", "version", "-m", "/x/app",
        ])
        // `/x/app: go1.19.8` then tab-indented `path`, `mod`, `dep`, `=>` and `build` lines.
        let lines = version.stdout.split(separator: "\n").map(String.init)
        let goVersion = try #require(lines.first?.split(separator: " ").last.map(String.init))
        let fields = lines.dropFirst().map { $0.split(separator: "\t", omittingEmptySubsequences: false).dropFirst().map(String.init) }
        let deps = fields.filter { $0.first == "dep" }.map { "\($0[1]) \($0[2])" }
        let replacement = fields.first { $0.first == "=>" }.map { $0[1...].filter { !$0.isEmpty }.joined(separator: " ") }
        let settings = fields.filter { $0.first == "build" }.map { $0[1...].joined(separator: "\t") }
        #expect(deps == ["example.com/greet v1.2.3"] && replacement == "./greet (devel)", "\(version.stdout)")
        for source in await DockerEngine.layerSources() {
            let analysis = try await Self.json(["analyze", tag, "--format", "json", "--source", source])
            let binaries = try #require(analysis["go_binaries"] as? [[String: Any]])
            #expect(binaries.count == 1)
            let binary = try #require(binaries.first)
            #expect(binary["path"] as? String == "/app")
            #expect(binary["go_version"] as? String == goVersion)
            #expect(binary["main_path"] as? String == fields.first { $0.first == "path" }?[1])
            let main = try #require(binary["main_module"] as? [String: Any])
            #expect(main["path"] as? String == "example.com/buildinfo")
            let modules = try #require(binary["modules"] as? [[String: Any]])
            #expect(modules.map { "\($0["path"] as? String ?? "") \($0["version"] as? String ?? "")" } == deps)
            #expect(modules.first?["replacement"] as? String == replacement)
            // go version -m quotes a value with spaces; imagebench keeps the value itself.
            let ours = try #require(binary["settings"] as? [[String: String]]).map { setting -> String in
                let value = setting["value"] ?? ""
                return (setting["key"] ?? "") + "=" + (value.contains(" ") ? "\"\(value)\"" : value)
            }
            #expect(ours == settings, "\(source)")
            #expect(ours.contains("CGO_ENABLED=0") && ours.contains("-ldflags=\"-s -w\""))
        }
        let table = try await imagebench(["analyze", tag])
        #expect(
            table.stdout.contains("Go binary /app: \(goVersion) example.com/buildinfo (devel), 1 module; CGO_ENABLED=0 linux/amd64"),
            "\(table.stdout)")
        #expect(table.stdout.contains("Packages: no package database"))
    }

    static func writeScenario(in dir: String) throws {
        try writeFiles(
            [
                "p/scenario.yaml": """
                images:
                  debian: imagebench-local/debian-minbase:bookworm
                  distroless: imagebench-local/static-base:1
                axes:
                  runtime:
                    scratch: { build-args: { BASE: scratch } }
                    debian: { build-args: { BASE: "${images.debian}" } }
                    distroless: { build-args: { BASE: "${images.distroless}" } }
                # Only the Debian image has a program to run.
                expect-broken:
                  - { runtime: scratch }
                  - { runtime: distroless }
                """,
                "p/Dockerfile": """
                ARG BASE
                FROM ${BASE}
                COPY app /app
                """,
                "p/app": String(repeating: "imagebench\n", count: 100_000),
            ], under: dir)
    }

    @Test("a run stores packages and files: reports name the largest packages and why the largest image is larger; diff --run and diff of two images")
    func runAndDiff() async throws {
        try await withTemporaryDirectory { dir in
            try Self.writeScenario(in: dir)
            let db = dir + "/r.sqlite"
            let run = try await imagebench(["run", dir + "/p", "--db", db, "--repeat", "1", "--phases", "cold", "--image-label", "imagebench.test=1"])
            #expect(run.exitCode == 0, "\(run.stderr)")
            let table = try await imagebench(["report", "--db", db])
            #expect(table.stdout.contains("runtime=scratch: no package database"), "\(table.stdout)")
            #expect(table.stdout.contains("runtime=debian: 88 dpkg packages, "))
            #expect(table.stdout.contains("runtime=distroless: 2 dpkg packages, "))
            #expect(table.stdout.contains("Why runtime=debian (") && table.stdout.contains("is larger than runtime=scratch ("))
            #expect(table.stdout.contains("88 more packages +") && table.stdout.contains("coreutils +"))
            let markdown = try await imagebench(["report", "--db", db, "--format", "markdown"])
            #expect(markdown.stdout.contains("<details><summary>Inside the images: largest packages, Go binaries</summary>"))
            #expect(markdown.stdout.contains("Why `runtime=debian`"))
            let report = try await Self.json(["report", "--db", db, "--format", "json"])
            let variants = try #require(report["results"] as? [[String: Any]])
            let debian = try #require(variants.first { $0["variant"] as? String == "runtime=debian" })
            let insight = try #require(debian["insight"] as? [String: Any])
            #expect(((insight["packages"] as? [String: Any])?["packages"] as? [Any])?.count == 88)

            // Two variants of the stored run: their images are gone, the stored files are enough.
            let diff = try await Self.json([
                "diff", "--db", db, "--run", "latest", "runtime=scratch", "runtime=debian", "--format", "json", "--top", "5",
            ])
            let added = try #require(diff["added"] as? [String: Any])
            #expect((added["count"] as? Int ?? 0) > 1000)
            let packages = try #require(diff["packages"] as? [[String: Any]])
            #expect(packages.count == 5 && packages.allSatisfy { $0["change"] as? String == "added" })
            #expect(packages.first?["name"] as? String == "coreutils")
            // /app is in both, the same size: from one layer both share (the builder may make the same
            // COPY layer for both), or from layers they do not share, and then its contents are not compared.
            let layers = try #require(diff["layers"] as? [String: Any])
            let shared = (layers["shared"] as? [String: Any])?["count"] as? Int
            #expect((shared == 1 && diff["uncompared"] as? Int == 0) || (shared == 0 && diff["uncompared"] as? Int == 1), "\(layers)")
            let bytesA = try #require(diff["bytes_a"] as? Int)
            let bytesB = try #require(diff["bytes_b"] as? Int)
            #expect(diff["delta"] as? Int == bytesB - bytesA && bytesA == 1_100_000)
            let text = try await imagebench(["diff", "--db", db, "--run", "latest", "runtime=distroless", "runtime=debian"])
            #expect(text.exitCode == 0 && text.stdout.contains("packages: 87 added, 1 removed, 1 changed"), "\(text.stdout)")
            let markdownDiff = try await imagebench([
                "diff", "--db", db, "--run", "latest", "runtime=distroless", "runtime=debian", "--format", "markdown",
            ])
            #expect(markdownDiff.stdout.contains("| bytes | change | package | version |"))
            let unknown = try await imagebench(["diff", "--db", db, "--run", "latest", "runtime=alpine", "runtime=debian"])
            #expect(
                unknown.exitCode == 64 && unknown.stderr.hasPrefix("imagebench: error: run ")
                    && unknown.stderr.contains("has no variant runtime=alpine"))

            // Two images on the engine; an image against itself differs in nothing.
            let images = try await Self.json(["diff", "imagebench-local/static-base:1", Self.debian, "--format", "json"])
            #expect((images["removed"] as? [String: Any])?["count"] as? Int ?? 0 > 0)
            let same = try await Self.json(["diff", Self.debian, Self.debian, "--format", "json"])
            #expect(same["delta"] as? Int == 0 && (same["files"] as? [Any])?.isEmpty == true && (same["packages"] as? [Any])?.isEmpty == true)
            #expect((same["layers"] as? [String: Any]).flatMap { ($0["only_b"] as? [String: Any])?["count"] as? Int } == 0)
        }
    }
}
