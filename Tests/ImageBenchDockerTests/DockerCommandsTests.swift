import Foundation
import ImageBenchCore
import ImageBenchDocker
import ImageBenchReport
import ImageBenchTestSupport
import Testing

@Suite("docker argument lists")
struct DockerCommandsTests {
    static func plan(builder: BuilderKind = .classic, dockerfile: String? = nil, value: String = "0") -> BuildPlan {
        var scenario = Scenario(name: "Go_HTTP", file: "/s/scenario.yaml", directory: "/s", context: "/s/app")
        scenario.images = [NamedImage(name: "alpine", reference: "alpine:3.20")]
        scenario.buildArgs = [BuildArg(key: "RUNTIME", value: "${images.alpine}")]
        var settings = BuildSettings()
        settings.buildArgs = [BuildArg(key: "CGO_ENABLED", value: value)]
        settings.target = "final"
        settings.platform = "linux/amd64"
        settings.dockerfile = dockerfile
        scenario.axes = [Axis(name: "linking", values: [AxisValue(name: "static", settings: settings)])]
        let images = [ResolvedImage(name: "alpine", requested: "alpine:3.20", used: "imagebench-local/musl-busybox:1", source: "profile offline")]
        return BuildPlan(scenario: scenario, variant: scenario.variants()[0], images: images, defaultBuilder: builder)
    }

    @Test("cold classic build: --no-cache, labels, substituted image, DOCKER_BUILDKIT=0")
    func coldClassic() {
        let commands = DockerCommands(docker: "/usr/bin/docker", labels: ["team": "platform"])
        let c = commands.build(Self.plan(), phase: .cold, runID: "7", contextDirectory: "/tmp/x/context", iidfile: "/tmp/x/context.iid")
        #expect(c.executable == "/usr/bin/docker")
        #expect(
            c.arguments == [
                "build", "--no-cache", "--force-rm", "--iidfile", "/tmp/x/context.iid", "--tag", "imagebench/go_http:r7-linking-static",
                "--label", "imagebench.run=7", "--label", "team=platform", "--file", "/tmp/x/context/Dockerfile",
                "--target", "final", "--platform", "linux/amd64",
                "--build-arg", "RUNTIME=imagebench-local/musl-busybox:1", "--build-arg", "CGO_ENABLED=0", "/tmp/x/context",
            ])
        #expect(c.environment == ["DOCKER_BUILDKIT": "0"])
    }

    @Test("a ci build: the cache image as --cache-from, inline cache metadata, the next link as its tag; the reset commands")
    func freshBuild() {
        let commands = DockerCommands(docker: "docker", target: .host("unix:///tmp/ci/docker.sock"))
        let c = commands.build(
            Self.plan(builder: .buildkit), phase: .ci, runID: "7", contextDirectory: "/c", iidfile: "/c.iid",
            fresh: .init(from: "127.0.0.1:5000/x:ci0", exportInline: true, tag: "127.0.0.1:5000/x:ci1"))
        #expect(
            Array(c.arguments.prefix(12)) == [
                "--host", "unix:///tmp/ci/docker.sock", "build", "--cache-from", "127.0.0.1:5000/x:ci0", "--build-arg", "BUILDKIT_INLINE_CACHE=1",
                "--progress=plain", "--iidfile", "/c.iid", "--tag", "127.0.0.1:5000/x:ci1",
            ])
        #expect(!c.arguments.contains("--no-cache"))
        #expect(commands.pruneBuildCache().arguments.suffix(4) == ["builder", "prune", "--all", "--force"])
        #expect(commands.allImageIDs().arguments.suffix(5) == ["image", "ls", "--all", "--quiet", "--no-trunc"])
        #expect(commands.save(["a:1"], to: "/t/a.tar").arguments.suffix(4) == ["save", "--output", "/t/a.tar", "a:1"])
        // Without dockerd the phase says what it needs, in one line.
        let missing = OwnedEngine.missingNeeds(dockerd: "/nonexistent/dockerd")
        #expect(missing?.contains("needs /nonexistent/dockerd on PATH") == true || missing?.contains("needs root") == true, "\(missing ?? "")")
        #expect(missing?.hasSuffix("or name a disposable engine with --ci-engine URL") == true)
    }

    @Test("a compression is written by buildx's image exporter, on the containerd image store only")
    func compression() {
        var plan = Self.plan(builder: .buildkit)
        plan.compression = LayerCompression(.zstd, level: 9)
        let commands = DockerCommands(docker: "docker")
        let c = commands.build(plan, phase: .cold, runID: "7", contextDirectory: "/c", iidfile: "/c.iid", buildx: true)
        #expect(Array(c.arguments.prefix(2)) == ["buildx", "build"])
        let output = c.arguments.firstIndex(of: "--output").map { c.arguments[$0 + 1] }
        #expect(output == "type=image,compression=zstd,force-compression=true,oci-mediatypes=true,compression-level=9")
        var environment = RunEnvironment()
        environment.buildxVersion = "v0.13.1"
        environment.storageDriver = "overlay2"
        environment.imageStore = .graphDriver
        #expect(plan.compressionMismatch(environment)?.contains("build it on the containerd image store") == true)
        environment.imageStore = .containerd
        #expect(plan.compressionMismatch(environment) == nil)
        environment.buildxVersion = nil
        #expect(plan.compressionMismatch(environment)?.contains("no buildx plugin; run scripts/setup") == true)
        // gzip at the default level is what every store pushes: no exporter option, and no skip.
        plan.compression = LayerCompression(.gzip)
        #expect(plan.compressionMismatch(environment) == nil)
        environment.buildxVersion = "v0.13.1"
        environment.imageStore = .graphDriver
        #expect(plan.compressionMismatch(environment) == nil)
        #expect(
            !commands.build(plan, phase: .cold, runID: "7", contextDirectory: "/c", iidfile: "/c.iid", buildx: true).arguments.contains("--output"))
        plan.builder = .classic
        plan.compression = LayerCompression(.zstd)
        #expect(plan.compressionMismatch(environment)?.hasSuffix("which BuildKit writes; use builder: buildkit") == true)
    }

    @Test("a list of platforms needs the containerd image store; a target-platform base held for another platform skips the variant")
    func platforms() {
        var plan = Self.plan(builder: .buildkit)
        var environment = RunEnvironment()
        environment.buildxVersion = "v0.13.1"
        environment.storageDriver = "overlay2"
        environment.imageStore = .graphDriver
        plan.platform = "linux/arm64"
        #expect(plan.platformMismatch(environment) == nil, "one platform is one image anywhere")
        #expect(plan.runPlatform(native: "amd64") == "linux/arm64")
        plan.platform = "linux/arm64, linux/amd64"
        #expect(
            plan.platformMismatch(environment)?.contains("one index of 2 images, but this engine keeps one platform's image under a name") == true)
        #expect(plan.runPlatform(native: "amd64") == "linux/amd64" && plan.runPlatform(native: "s390x") == "linux/arm64")
        environment.imageStore = .containerd
        #expect(plan.platformMismatch(environment) == nil)
        plan.targetBaseImages = ["alpine:3.20"]
        #expect(
            plan.basePlatformMismatch(present: ["alpine:3.20": "linux/arm64/v8"])?.contains(
                "for linux/amd64, but the engine holds it for linux/arm64/v8 only") == true)
        plan.platform = "linux/arm64"
        #expect(plan.basePlatformMismatch(present: ["alpine:3.20": "linux/arm64/v8"]) == nil)
        let said = plan.basePlatformMismatch(present: ["alpine:3.20": "linux/amd64"])
        #expect(
            said?.contains(
                "BuildKit would ask a registry for the linux/arm64 image; build that stage on the engine's platform (FROM --platform=$BUILDPLATFORM")
                == true, "\(said ?? "")")
    }

    @Test("the offline profile's arm64 stand-ins: a variant built for linux/arm64 alone builds against them, a list or amd64 does not")
    func platformStandIns() throws {
        let profile = try ImageSubstitutions.loadProfile(path: PackagePaths.scenarios + "/profiles/offline.yaml", name: "offline")
        #expect(profile.platformProfile["linux/arm64"]?["alpine:3.20"] == "imagebench-local/musl-busybox:1-arm64")
        var scenario = Scenario(name: "s", file: "/s/scenario.yaml", directory: "/s", context: "/s")
        scenario.images = [NamedImage(name: "alpine", reference: "alpine:3.20"), NamedImage(name: "builder", reference: "golang:1.22-bookworm")]
        scenario.buildArgs = [BuildArg(key: "RUNTIME", value: "${images.alpine}"), BuildArg(key: "BUILDER", value: "${images.builder}")]
        // No variant built for arm64 alone: its stand-in is neither used nor named.
        #expect(profile.resolve(scenario).allSatisfy { $0.platforms == nil })
        var arm = BuildSettings()
        arm.platform = "linux/arm64"
        scenario.axes = [Axis(name: "p", values: [AxisValue(name: "arm64", settings: arm)])]
        let images = profile.resolve(scenario)
        #expect(
            images[0].used == "imagebench-local/musl-busybox:1" && images[0].platforms == ["linux/arm64": "imagebench-local/musl-busybox:1-arm64"])
        // The Go builder has one, for a build stage that compiles under emulation.
        #expect(images[1].platforms == ["linux/arm64": "imagebench-local/go-builder:bookworm-arm64"])
        func runtime(_ platform: String?) -> String? {
            var settings = BuildSettings()
            settings.platform = platform
            var s = scenario
            s.axes = [Axis(name: "p", values: [AxisValue(name: "x", settings: settings)])]
            let plan = BuildPlan(scenario: s, variant: s.variants()[0], images: images, defaultBuilder: .buildkit)
            return plan.buildArgs.first { $0.key == "RUNTIME" }?.value
        }
        #expect(runtime("linux/arm64") == "imagebench-local/musl-busybox:1-arm64")
        #expect(runtime(nil) == "imagebench-local/musl-busybox:1")
        #expect(runtime("linux/amd64,linux/arm64") == "imagebench-local/musl-busybox:1", "one name is one platform's image: a list keeps it")
        #expect(TableReport.imageLines(images).contains("for linux/arm64: imagebench-local/musl-busybox:1-arm64)"))
        // A platform's substitute for an upstream the profile's images: do not name, and a platform without an arch: FILE:LINE.
        let path = NSTemporaryDirectory() + "ib-profile-\(UUID().uuidString).yaml"
        defer { try? FileManager.default.removeItem(atPath: path) }
        for (text, says) in [
            ("images: { a:1: b:1 }\nplatforms:\n  linux/arm64: { c:1: d:1 }\n", "platforms.linux/arm64.c:1 has no substitute under images:"),
            ("images: { a:1: b:1 }\nplatforms:\n  arm64: { a:1: d:1 }\n", "platforms.arm64 is not a platform; write os/arch"),
        ] {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            #expect(throws: ScenarioError.self) { try ImageSubstitutions.loadProfile(path: path, name: "p") }
            do { _ = try ImageSubstitutions.loadProfile(path: path, name: "p") } catch { #expect("\(error)".contains(says), "\(error)") }
        }
    }

    @Test("an arm64 variant's stage on $BUILDPLATFORM keeps the engine's builder; a stage for arm64 takes the arm64 stand-in")
    func buildPlatformStage() throws {
        let profile = try ImageSubstitutions.loadProfile(path: PackagePaths.scenarios + "/profiles/offline.yaml", name: "offline")
        let dir = NSTemporaryDirectory() + "ib-cross-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let from = "FROM ${RUNTIME}\nCOPY --from=build /app /app\n"
        try
            ("ARG BUILDER\nARG RUNTIME\nFROM --platform=$BUILDPLATFORM ${BUILDER} AS build\nARG TARGETARCH\nRUN GOARCH=$TARGETARCH go build -o /app .\n"
            + from)
            .write(toFile: dir + "/Dockerfile.cross", atomically: true, encoding: .utf8)
        try ("ARG BUILDER\nARG RUNTIME\nFROM ${BUILDER} AS build\nRUN go build -o /app .\nRUN true\n" + from)
            .write(toFile: dir + "/Dockerfile.emulated", atomically: true, encoding: .utf8)
        var scenario = Scenario(name: "s", file: dir + "/scenario.yaml", directory: dir, context: dir)
        scenario.images = [
            NamedImage(name: "builder", reference: "golang:1.22-bookworm"),
            NamedImage(name: "runtime", reference: "gcr.io/distroless/static-debian12"),
        ]
        scenario.buildArgs = [BuildArg(key: "BUILDER", value: "${images.builder}"), BuildArg(key: "RUNTIME", value: "${images.runtime}")]
        var cross = BuildSettings()
        cross.platform = "linux/arm64"
        cross.dockerfile = "Dockerfile.cross"
        var emulated = cross
        emulated.dockerfile = "Dockerfile.emulated"
        scenario.axes = [Axis(name: "build", values: [AxisValue(name: "cross", settings: cross), AxisValue(name: "emulated", settings: emulated)])]
        let images = profile.resolve(scenario)
        let plans = scenario.variants().map { BuildPlan(scenario: scenario, variant: $0, images: images, defaultBuilder: .buildkit) }
        func arg(_ plan: BuildPlan, _ key: String) -> String? { plan.buildArgs.first { $0.key == key }?.value }
        #expect(
            arg(plans[0], "BUILDER") == "imagebench-local/go-builder:bookworm" && arg(plans[0], "RUNTIME") == "imagebench-local/static-base:1-arm64")
        #expect(plans[0].targetPlatformRuns == 0 && plans[0].buildPlatformBaseImages == ["imagebench-local/go-builder:bookworm"])
        #expect(arg(plans[1], "BUILDER") == "imagebench-local/go-builder:bookworm-arm64" && plans[1].targetPlatformRuns == 2)
        // A stage on $BUILDPLATFORM FROM an image the engine holds for another platform only: skipped, with the fix.
        let said = plans[0].basePlatformMismatch(
            present: ["imagebench-local/go-builder:bookworm": "linux/arm64", "imagebench-local/static-base:1-arm64": "linux/arm64"],
            native: "linux/amd64")
        #expect(
            said?.contains(
                "builds FROM imagebench-local/go-builder:bookworm on $BUILDPLATFORM (linux/amd64), but the engine holds it for linux/arm64 only")
                == true, "\(said ?? "")")
        #expect(
            plans[0].basePlatformMismatch(
                present: ["imagebench-local/go-builder:bookworm": "linux/amd64", "imagebench-local/static-base:1-arm64": "linux/arm64"],
                native: "linux/amd64") == nil)
    }

    @Test("warm BuildKit build: cache allowed, plain progress, DOCKER_BUILDKIT=1")
    func warmBuildKit() {
        let c = DockerCommands(docker: "docker").build(
            Self.plan(builder: .buildkit), phase: .warm, runID: "7", contextDirectory: "/c", iidfile: "/c.iid")
        #expect(!c.arguments.contains("--no-cache"))
        #expect(c.arguments[1] == "--progress=plain")
        #expect(c.environment == ["DOCKER_BUILDKIT": "1"])
    }

    @Test("a Dockerfile outside the context is passed by its absolute path")
    func outsideDockerfile() {
        let plan = Self.plan(dockerfile: "../Dockerfile.alt")
        #expect(!plan.dockerfileInsideContext)
        #expect(plan.dockerfile == "/s/Dockerfile.alt")
        let c = DockerCommands(docker: "docker").build(plan, phase: .warm, runID: "1", contextDirectory: "/c", iidfile: "/c.iid")
        #expect(c.arguments.contains("/s/Dockerfile.alt"))
    }

    @Test("a value with shell metacharacters stays one argument")
    func metacharacters() {
        let hostile = "a; touch /tmp/pwned $(id)"
        let c = DockerCommands(docker: "docker").build(Self.plan(value: hostile), phase: .cold, runID: "1", contextDirectory: "/c", iidfile: "/c.iid")
        #expect(c.arguments.contains("CGO_ENABLED=\(hostile)"))
        #expect(c.shellLine.contains("'CGO_ENABLED=a; touch /tmp/pwned $(id)'"))
    }

    @Test("smoke run: --rm, name, labels, the image, then the scenario's args")
    func smoke() {
        let c = DockerCommands(docker: "docker").smoke(
            image: "sha256:abc", name: "imagebench-r1-v2", runID: "1", spec: SmokeSpec(args: ["selftest", "-v"], timeoutSeconds: 5), platform: nil)
        #expect(c.arguments == ["run", "--rm", "--name", "imagebench-r1-v2", "--label", "imagebench.run=1", "sha256:abc", "selftest", "-v"])
        #expect(c.timeout == 5)
    }
}

@Suite("engine targets")
struct EngineTargetTests {
    @Test("--host and --context go before every command, so each engine gets its own builds")
    func targets() {
        let host = DockerCommands(docker: "docker", target: .host("ssh://ci@builder1"))
        #expect(host.inspect("x").arguments == ["--host", "ssh://ci@builder1", "image", "inspect", "x"])
        let context = DockerCommands(docker: "docker", target: .context("builder2"))
        let build = context.build(DockerCommandsTests.plan(), phase: .cold, runID: "1", contextDirectory: "/c", iidfile: "/c.iid")
        #expect(Array(build.arguments.prefix(3)) == ["--context", "builder2", "build"])
        #expect(DockerCommands(docker: "docker").inspect("x").arguments == ["image", "inspect", "x"])
    }

    @Test("podman: Buildah builds without docker's variables; run gets limits a process without CAP_SYS_RESOURCE may give")
    func podman() {
        let commands = DockerCommands(docker: "podman", kind: .podman)
        var scenario = Scenario(name: "e", file: "/s/scenario.yaml", directory: "/s", context: "/s")
        var settings = BuildSettings()
        settings.engine = .podman
        scenario.axes = [Axis(name: "engine", values: [AxisValue(name: "podman", settings: settings)])]
        let plan = BuildPlan(scenario: scenario, variant: scenario.variants()[0], images: [], defaultBuilder: .buildkit)
        #expect(plan.engine == .podman && plan.builder == .buildah && plan.engineMismatch == nil)
        let build = commands.build(plan, phase: .warm, runID: "1", contextDirectory: "/c", iidfile: "/c.iid")
        #expect(build.executable == "podman" && build.environment.isEmpty)
        #expect(build.arguments.contains("--force-rm") && !build.arguments.contains("--progress=plain"))
        let smoke = commands.smoke(image: "i", name: "n", runID: "1", spec: SmokeSpec(), platform: nil)
        let ulimits = smoke.arguments.enumerated().filter { $0.element == "--ulimit" }.map { smoke.arguments[$0.offset + 1] }
        #expect(ulimits.count == 2 && ulimits[0].hasPrefix("nofile=") && ulimits[1].hasPrefix("nproc="))
        #expect(commands.info().arguments == ["info", "--format", "json"])
    }

    @Test("a podman variant that asks for a docker builder is skipped with the fix")
    func podmanWithDockerBuilder() {
        var scenario = Scenario(name: "e", file: "/s/scenario.yaml", directory: "/s", context: "/s")
        var settings = BuildSettings()
        settings.engine = .podman
        settings.builder = .buildkit
        scenario.axes = [Axis(name: "engine", values: [AxisValue(name: "podman", settings: settings)])]
        let plan = BuildPlan(scenario: scenario, variant: scenario.variants()[0], images: [], defaultBuilder: .classic)
        #expect(plan.engineMismatch?.contains("asks for builder: buildkit") == true)
    }
}
