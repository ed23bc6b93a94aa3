import Foundation
import ImageBenchCore
import ImageBenchTestSupport
import Testing

@Suite("Scenario loader")
struct ScenarioLoaderTests {
    /// A minimal valid scenario folder with a Dockerfile and main.go.
    static func folder(_ yaml: String, extra: [String: String] = [:]) async throws -> (String, Result<Scenario, ScenarioError>) {
        try await withTemporaryDirectory { dir in
            try writeFiles(["scenario.yaml": yaml, "Dockerfile": "FROM scratch\n", "main.go": "package main\n"].merging(extra) { $1 }, under: dir)
            do {
                return (dir, .success(try ScenarioLoader().load(path: dir)))
            } catch let error as ScenarioError {
                return (dir, .failure(error))
            }
        }
    }

    @Test("the shipped go-http scenario loads into 7 variants in axis order")
    func goHTTP() throws {
        let scenario = try ScenarioLoader().load(path: PackagePaths.scenarios + "/go-http")
        #expect(scenario.name == "go-http")
        #expect(scenario.context.hasSuffix("/Scenarios/go-http/app"))
        let variants = scenario.variants()
        #expect(
            variants.map(\.name) == [
                "linking=static,runtime=scratch", "linking=static,runtime=alpine", "linking=static,runtime=distroless",
                "linking=static,runtime=debian", "linking=dynamic,runtime=scratch", "linking=dynamic,runtime=alpine",
                "linking=dynamic,runtime=debian",
            ])
        #expect(variants.filter { $0.expectBroken != nil }.map(\.name) == ["linking=dynamic,runtime=scratch", "linking=dynamic,runtime=alpine"])
        #expect(
            variants[1].settings.buildArgs.map { "\($0.key)=\($0.value)" } == [
                "BUILDER=${images.builder}", "CGO_ENABLED=0", "RUNTIME=${images.alpine}",
            ])
        #expect(scenario.smoke.http?.port == 8080 && scenario.smoke.http?.first.path == "/healthz")
        #expect(scenario.smoke.http?.first.expectBody == "ok" && scenario.smoke.timeoutSeconds == 30)
        #expect(scenario.edit == EditSpec(file: "main.go"))
    }

    @Test("every shipped scenario loads", arguments: ["go-http", "dockerignore", "layer-order", "go-build", "go-platform", "compression"])
    func shipped(_ name: String) throws {
        let scenario = try ScenarioLoader().load(path: PackagePaths.scenarios + "/" + name)
        #expect(scenario.name == name)
        #expect(!scenario.variants().isEmpty)
        #expect(scenario.edit != nil)
    }

    @Test("a default Dockerfile is needed only when some variant builds with it")
    func perVariantDockerfiles() async throws {
        try await withTemporaryDirectory { dir in
            try writeFiles(["scenario.yaml": "axes:\n  o:\n    a: { dockerfile: A.Dockerfile }\n", "A.Dockerfile": "FROM scratch\n"], under: dir)
            #expect(try ScenarioLoader().load(path: dir).variants().map(\.settings.dockerfile) == ["A.Dockerfile"])
            try writeFiles(["scenario.yaml": "axes:\n  o:\n    a: { dockerfile: A.Dockerfile }\n    b: {}\n"], under: dir)
            #expect(throws: ScenarioError.self) { try ScenarioLoader().load(path: dir) }
        }
    }

    @Test("defaults: name from the folder, context '.', Dockerfile, one variant without axes")
    func defaults() async throws {
        let (dir, result) = try await Self.folder("description: plain\n")
        let scenario = try result.get()
        #expect(scenario.name == (dir as NSString).lastPathComponent)
        #expect(scenario.dockerfile == "Dockerfile")
        #expect(scenario.variants().map(\.name) == ["default"])
        #expect(scenario.smoke == SmokeSpec())
    }

    struct BadCase: Sendable, CustomTestStringConvertible {
        var yaml: String
        var line: Int
        var reason: ScenarioError.Reason
        var says: String
        var testDescription: String { says }
    }

    static let axes = """
        axes:
          linking:
            static: {}
            dynamic: {}

        """

    static let bad: [BadCase] = [
        BadCase(yaml: "name: x\ncolour: red\n", line: 2, reason: .unknownKey, says: "unknown key \"colour\""),
        BadCase(yaml: "name: [a\n", line: 2, reason: .invalidYAML, says: "invalid YAML"),
        BadCase(yaml: "- a\n- b\n", line: 1, reason: .invalidValue, says: "must be a mapping"),
        BadCase(yaml: axes + "exclude:\n  - { arch: arm }\n", line: 6, reason: .unknownSelector, says: "names axis \"arch\""),
        BadCase(yaml: axes + "expect-broken:\n  - { linking: shared }\n", line: 6, reason: .unknownSelector, says: "has only: static, dynamic"),
        BadCase(yaml: "dockerfile: Missing.Dockerfile\n", line: 1, reason: .missingFile, says: "does not exist"),
        BadCase(yaml: "build-args: { BASE: \"${images.base}\" }\n", line: 1, reason: .undefinedImage, says: "${images.base}"),
        BadCase(
            yaml: "images: { a: x }\naxes:\n  os:\n    one: { build-args: { B: \"${images.b}\" } }\n", line: 4, reason: .undefinedImage,
            says: "not defined"),
        BadCase(yaml: "axes: {}\n", line: 1, reason: .emptyMatrix, says: "axes is empty"),
        BadCase(yaml: "axes:\n  os: {}\n", line: 2, reason: .emptyMatrix, says: "has no values"),
        BadCase(yaml: "context: ../..\n", line: 1, reason: .outsideScenario, says: "outside the scenario folder"),
        BadCase(yaml: "context: /etc\n", line: 1, reason: .outsideScenario, says: "absolute path"),
        BadCase(yaml: "smoke: { timeout: soon }\n", line: 1, reason: .invalidValue, says: "not a duration"),
        BadCase(yaml: "smoke: { expect-exit: lots }\n", line: 1, reason: .invalidValue, says: "expect-exit"),
        BadCase(yaml: "smoke: { args: selftest }\n", line: 1, reason: .invalidValue, says: "must be a list"),
        BadCase(yaml: axes + "  linking2:\n    a: { builder: kaniko }\n", line: 6, reason: .invalidValue, says: "use buildkit or classic"),
        BadCase(
            yaml: axes.replacingOccurrences(of: "static: {}", with: "static: { tag: x }"), line: 3, reason: .unknownKey, says: "unknown key \"tag\""),
        BadCase(yaml: "edit: nothere.go\n", line: 1, reason: .missingFile, says: "does not exist"),
        BadCase(yaml: "name: x\nname: y\n", line: 2, reason: .invalidValue, says: "key \"name\" appears twice"),
        BadCase(yaml: "name: \"a b\"\n", line: 1, reason: .invalidValue, says: "may hold only"),
        BadCase(
            yaml: axes + "exclude:\n  - { linking: static }\n  - { linking: dynamic }\n", line: 5, reason: .emptyMatrix, says: "removes every variant"
        ),
        BadCase(yaml: "build-args: { \"A B\": x }\n", line: 1, reason: .invalidValue, says: "not a valid ARG name"),
        BadCase(yaml: "thresholds:\n  size: lots\n", line: 2, reason: .invalidValue, says: "is not a percentage"),
        BadCase(yaml: "thresholds:\n  speed: 2%\n", line: 2, reason: .unknownKey, says: "unknown metric \"speed\""),
        BadCase(yaml: "secrets:\n  allow:\n    rules: [jwt, aws]\n", line: 3, reason: .invalidValue, says: "unknown rule \"aws\""),
        BadCase(yaml: "secrets:\n  allow:\n    paths: test/**\n", line: 3, reason: .invalidValue, says: "secrets.allow.paths must be a list"),
        BadCase(yaml: "secrets:\n  ignore: [x]\n", line: 2, reason: .unknownKey, says: "unknown key \"ignore\" in secrets"),
        BadCase(yaml: axes + "  at:\n    b1: { host: builder1 }\n", line: 6, reason: .invalidValue, says: "not an engine URL; write e.g. unix://"),
        BadCase(yaml: axes + "  at:\n    b1: { docker-context: \"a b\" }\n", line: 6, reason: .invalidValue, says: "name a docker context"),
        BadCase(
            yaml: axes + "  at:\n    b1: { host: \"unix:///x.sock\", docker-context: b }\n", line: 6, reason: .invalidValue,
            says: "names its engine twice"),
        BadCase(
            yaml: axes + "  at:\n    b1: { engine: podman, host: \"unix:///x.sock\" }\n", line: 6, reason: .invalidValue,
            says: "names a docker engine (host, docker-context) and engine: podman"),
        BadCase(yaml: axes + "  c:\n    z: { compression: brotli }\n", line: 6, reason: .invalidValue, says: "use gzip, zstd, uncompressed, estargz"),
        BadCase(
            yaml: axes + "  c:\n    z: { compression: zstd, compression-level: 23 }\n", line: 6, reason: .invalidValue, says: "zstd takes 1 to 22"),
        BadCase(yaml: axes + "  c:\n    z: { compression-level: 3 }\n", line: 6, reason: .invalidValue, says: "needs compression:"),
        BadCase(
            yaml: axes + "  c:\n    z: { compression: uncompressed, compression-level: 3 }\n", line: 6, reason: .invalidValue,
            says: "uncompressed layers have no level"),
    ]

    @Test("compression: and compression-level: in an axis value")
    func compression() async throws {
        let yaml = "axes:\n  c:\n    default: {}\n    gzip: { compression: gzip }\n    zstd19: { compression: zstd, compression-level: 19 }\n"
        let (_, result) = try await Self.folder(yaml)
        let compressions = try result.get().variants().map(\.settings.compression)
        #expect(compressions == [nil, LayerCompression(.gzip), LayerCompression(.zstd, level: 19)])
        #expect(compressions[2]?.exporterAttributes == "compression=zstd,force-compression=true,oci-mediatypes=true,compression-level=19")
        #expect(compressions[2]?.description == "zstd level 19")
        #expect(LayerCompression(.zstd).effectiveLevel == 3)
    }

    @Test("an axis value names the docker engine its variants build on: a host URL or a docker context")
    func namedEngines() async throws {
        let yaml =
            "axes:\n  engine:\n    here: {}\n    modern: { host: \"unix:///tmp/imagebench-modern/docker.sock\" }\n    b1: { docker-context: b1 }\n"
        let (_, result) = try await Self.folder(yaml)
        let scenario = try result.get()
        #expect(scenario.variants().map(\.settings.namedEngine) == [nil, .host("unix:///tmp/imagebench-modern/docker.sock"), .context("b1")])
    }

    @Test("bad scenarios give FILE:LINE: message", arguments: bad)
    func badScenario(_ c: BadCase) async throws {
        let (dir, result) = try await Self.folder(c.yaml)
        guard case .failure(let error) = result else {
            Issue.record("expected an error for \(c.yaml)")
            return
        }
        #expect(error.reason == c.reason)
        #expect(error.line == c.line, "\(error)")
        #expect(error.description.hasPrefix("\(dir)/scenario.yaml:\(c.line): "), "\(error)")
        #expect(error.description.contains(c.says), "\(error)")
        #expect(!error.description.contains("\n"))
    }

    @Test("non-UTF-8 bytes are refused with the file named")
    func nonUTF8() async throws {
        try await withTemporaryDirectory { dir in
            try Data([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xff, 0xfe]).write(to: URL(fileURLWithPath: dir + "/scenario.yaml"))
            #expect(throws: ScenarioError.self) { try ScenarioLoader().load(path: dir) }
            do { _ = try ScenarioLoader().load(path: dir) } catch let error as ScenarioError { #expect(error.description.contains("not UTF-8")) }
        }
    }

    @Test("a symlink leading out of the folder is refused unless allowed")
    func symlinkOut() async throws {
        try await withTemporaryDirectory { dir in
            try writeFiles(["s/scenario.yaml": "context: app\n", "outside/Dockerfile": "FROM scratch\n"], under: dir)
            try FileManager.default.createSymbolicLink(atPath: dir + "/s/app", withDestinationPath: dir + "/outside")
            #expect(throws: ScenarioError.self) { try ScenarioLoader().load(path: dir + "/s") }
            #expect(try ScenarioLoader(allowOutside: true).load(path: dir + "/s").context == dir + "/s/app")
        }
    }

    @Test("secrets: an allowlist of paths and rule ids")
    func secretAllowlist() async throws {
        let (_, result) = try await Self.folder("secrets:\n  allow:\n    paths: [app/test/**]\n    rules: [jwt, private-key]\n")
        let scenario = try result.get()
        #expect(scenario.secretAllowlist == SecretAllowlist(paths: ["app/test/**"], rules: [.jwt, .privateKey]))
    }

    @Test("thresholds: percentages per metric")
    func thresholds() async throws {
        let (_, result) = try await Self.folder("thresholds: { size: 2%, cold: 30 }\n")
        #expect(try result.get().thresholds == Thresholds([.size: 2, .cold: 30]))
    }

    @Test("a missing folder names the path and the fix")
    func missing() {
        do {
            _ = try ScenarioLoader().load(path: "/nonexistent/scenario")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "/nonexistent/scenario: no such scenario folder or file; give a folder holding scenario.yaml")
        }
    }

    @Test("a matrix over the variant limit is refused")
    func tooMany() async throws {
        var yaml = "axes:\n"
        for axis in ["a", "b", "c"] {
            yaml += "  \(axis):\n" + (1...7).map { "    v\($0): {}\n" }.joined()
        }
        let (_, result) = try await Self.folder(yaml)
        guard case .failure(let error) = result else { Issue.record("343 variants should be refused"); return }
        #expect(error.reason == .tooManyVariants)
        #expect(error.line == 1)
    }

    @Test("a build-arg value with shell metacharacters is kept literally")
    func metacharacters() async throws {
        let (_, result) = try await Self.folder("build-args: { X: \"a; touch /tmp/pwned $(id) `id`\" }\n")
        #expect(try result.get().buildArgs == [BuildArg(key: "X", value: "a; touch /tmp/pwned $(id) `id`")])
    }
}
