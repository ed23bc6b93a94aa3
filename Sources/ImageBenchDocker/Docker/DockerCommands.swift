import Foundation
import ImageBenchCore

#if canImport(Glibc)
    import Glibc
#endif

/// The exact docker command lines imagebench runs. Pure, so tests check the argument lists.
public struct DockerCommands: Sendable {
    public static let runLabel = "imagebench.run"
    /// A random token per `imagebench run` process: run ids repeat across databases, tokens do not, so
    /// cleanup can remove every image the process made, also one a timed-out build committed late.
    public static let sessionLabel = "imagebench.session"
    /// The client: a docker CLI, or podman's.
    public var docker: String
    /// Extra labels put on every image and container (`--image-label`), besides `imagebench.run`.
    public var labels: [String: String]
    public var kind: EngineKind
    /// Which engine the client talks to: `--host URL`, `--context NAME` (podman: `--url URL`), or its default.
    public var target: EngineTarget

    public init(docker: String, labels: [String: String] = [:], kind: EngineKind = .docker, target: EngineTarget = .default) {
        self.docker = docker
        self.labels = labels
        self.kind = kind
        self.target = target
    }

    /// A command of the client, aimed at its engine.
    func command(_ arguments: [String], environment: [String: String] = [:], timeout: Double?) -> Command {
        Command(docker, target.arguments(kind) + arguments, environment: environment, timeout: timeout)
    }

    func labelArguments(runID: String) -> [String] {
        labelValues(runID: runID, session: nil).flatMap { ["--label", $0] }
    }

    /// The `key=value` of every `--label` a build or container of the run gets: the run's, the
    /// `--image-label`s, and the session's when given.
    public func labelValues(runID: String, session: String?) -> [String] {
        ["\(Self.runLabel)=\(runID)"] + labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            + (session.map { ["\(Self.sessionLabel)=\($0)"] } ?? [])
    }

    /// How a build on a fresh runner uses the cache (``FreshSchedule``).
    public struct FreshCache: Sendable, Equatable {
        /// What `--cache-from` names: an image (inline, classic), or buildx's cache
        /// (`type=registry,ref=REF`, `type=local,src=DIR`); nil for none.
        public var from: String?
        /// What `--cache-to` names (buildx's: `type=registry,ref=REF,mode=max`, `type=local,dest=DIR,mode=max`); nil for none.
        public var to: String?
        /// Whether the image gets BuildKit's inline cache metadata (`BUILDKIT_INLINE_CACHE=1`).
        public var exportInline: Bool
        /// The tag the image gets instead of the run's, to be pushed as the next build's cache.
        public var tag: String?
        /// Whether the build runs as `docker buildx build`: only buildx takes `--cache-to` and typed cache sources.
        public var buildx: Bool

        public init(from: String? = nil, to: String? = nil, exportInline: Bool = false, tag: String? = nil, buildx: Bool = false) {
            self.from = from
            self.to = to
            self.exportInline = exportInline
            self.tag = tag
            self.buildx = buildx
        }

        /// The cache a build of `source` imports from `link` (a registry reference, or for `local-max` a folder).
        public static func importing(_ source: CacheSource, link: String) -> String {
            switch source {
            case .registryMax: "type=registry,ref=\(link)"
            case .localMax: "type=local,src=\(link)"
            case .none, .inline, .classic: link
            }
        }

        /// The cache a build of `source` exports to `link`, all stages' layers (mode=max); nil for the
        /// sources that travel as an image instead.
        public static func exporting(_ source: CacheSource, link: String) -> String? {
            switch source {
            case .registryMax: "type=registry,ref=\(link),mode=max"
            case .localMax: "type=local,dest=\(link),mode=max"
            case .none, .inline, .classic: nil
            }
        }
    }

    /// `docker build` of a plan from `contextDirectory` (the scratch copy); `fresh` for a build on a
    /// fresh runner. With `buildx` (the client has the plugin), a BuildKit build is `docker buildx build`:
    /// what `docker build` is from Docker 23 on, and what a 20.10 client needs to build on a containerd
    /// image store (its built-in BuildKit writes the config digest to `--iidfile`, which that store does
    /// not know an image by).
    public func build(
        _ plan: BuildPlan, phase: Phase, runID: String, contextDirectory: String, iidfile: String, timeout: Double? = nil, session: String? = nil,
        fresh: FreshCache? = nil, buildx: Bool = false
    ) -> Command {
        var args = fresh?.buildx == true || (buildx && kind == .docker && plan.builder == .buildkit) ? ["buildx", "build"] : ["build"]
        if phase == .cold { args.append("--no-cache") }
        if let from = fresh?.from { args += ["--cache-from", from] }
        if let to = fresh?.to { args += ["--cache-to", to] }
        if fresh?.exportInline == true { args += ["--build-arg", "BUILDKIT_INLINE_CACHE=1"] }
        // BuildKit: plain progress to read the context size and the steps. Classic and Buildah: --force-rm, or a failed
        // RUN step leaves its container behind on the user's engine.
        args.append(plan.builder == .buildkit ? "--progress=plain" : "--force-rm")
        args += ["--iidfile", iidfile, "--tag", fresh?.tag ?? plan.tag(runID: runID, session: session)]
        args += labelValues(runID: runID, session: session).flatMap { ["--label", $0] }
        let dockerfile = plan.dockerfileInsideContext ? contextDirectory + "/" + plan.dockerfile : plan.dockerfile
        args += ["--file", dockerfile]
        if let target = plan.target { args += ["--target", target] }
        if let platform = plan.platform { args += ["--platform", platform] }
        // buildx names the image after --tag.
        if let compression = plan.compression, args.first == "buildx", !compression.isPushDefault {
            args += ["--output", "type=image,\(compression.exporterAttributes)"]
        }
        for arg in plan.buildArgs { args += ["--build-arg", "\(arg.key)=\(arg.value)"] }
        args.append(contextDirectory)
        var build = command(args, environment: kind == .docker ? ["DOCKER_BUILDKIT": plan.builder == .buildkit ? "1" : "0"] : [:], timeout: timeout)
        // Each step's start and cache hit are read from the output as it streams.
        build.timesLines = true
        return build
    }

    /// `docker run --rm` of a built image for its smoke test.
    public func smoke(image: String, name: String, runID: String, spec: SmokeSpec, platform: String?) -> Command {
        containerRun(["--rm"], image: image, name: name, runID: runID, spec: spec, platform: platform, timeout: spec.timeoutSeconds)
    }

    /// `docker run --detach` of a service for its HTTP smoke test: the container port published on
    /// 127.0.0.1 only, on a port the engine picks; unpublished (`publish` false) for an engine on another
    /// machine, whose service is reached at its address on the engine's network.
    public func serve(image: String, name: String, runID: String, spec: SmokeSpec, port: Int, platform: String?, publish: Bool = true) -> Command {
        containerRun(
            ["--detach"] + (publish ? ["--publish", "127.0.0.1::\(port)"] : []), image: image, name: name, runID: runID, spec: spec,
            platform: platform, timeout: 60)
    }

    private func containerRun(
        _ options: [String], image: String, name: String, runID: String, spec: SmokeSpec, platform: String?, timeout: Double
    ) -> Command {
        var args = ["run"] + options + ["--name", name] + labelArguments(runID: runID)
        // podman asks for more open files and processes than a process without CAP_SYS_RESOURCE may give
        // (runc then fails with "error setting rlimit type 7" or 6); docker passes its daemon's limits on.
        if kind == .podman {
            let (files, processes) = Self.podmanLimits
            args += ["--ulimit", "nofile=\(files):\(files)", "--ulimit", "nproc=\(processes):\(processes)"]
        }
        if let platform { args += ["--platform", platform] }
        return command(args + [image] + spec.args, timeout: timeout)
    }

    /// The host address of a container's published port: `127.0.0.1:49153`.
    public func publishedPort(_ name: String, port: Int) -> Command { command(["port", name, "\(port)/tcp"], timeout: 30) }
    /// The container's addresses on its networks, space-separated: `172.17.0.3 `.
    public func containerAddresses(_ name: String) -> Command {
        command(["container", "inspect", "--format", "{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}", name], timeout: 30)
    }
    /// `true 0` while it runs, `false CODE` once it exited.
    public func containerState(_ name: String) -> Command {
        command(["container", "inspect", "--format", "{{.State.Running}} {{.State.ExitCode}}", name], timeout: 30)
    }
    /// `12.5MiB / 23.4GiB`: the container's memory in use (docker: cgroup usage less inactive page cache) and its limit.
    public func memoryUsage(_ name: String) -> Command {
        command(["stats", "--no-stream", "--format", "{{.MemUsage}}", name], timeout: 30)
    }
    public func containerLogs(_ name: String, lines: Int = 5) -> Command { command(["logs", "--tail", String(lines), name], timeout: 30) }

    public func inspect(_ image: String) -> Command { command(["image", "inspect", image], timeout: 60) }

    public func history(_ image: String) -> Command {
        command(["history", "--no-trunc", "--human=false", "--format", "{{json .}}", image], timeout: 60)
    }

    public func version() -> Command { command(["version", "--format", "{{json .}}"], timeout: 30) }
    public func info() -> Command { command(["info", "--format", kind == .docker ? "{{json .}}" : "json"], timeout: 30) }
    /// The engine's own ID (`docker info .ID`), unique per daemon: tells two endpoints of one engine apart from two engines.
    public func engineID() -> Command { command(["info", "--format", "{{.ID}}"], timeout: 30) }
    public func buildxVersion() -> Command { command(["buildx", "version"], timeout: 30) }
    public func pull(_ image: String) -> Command { command(["pull", "--quiet", image], timeout: 900) }
    public func removeContainer(_ name: String) -> Command { command(["rm", "--force", name], timeout: 60) }

    /// Images one `imagebench run` process built (its session label).
    public func imagesLabelled(session: String) -> Command {
        command(["image", "ls", "--quiet", "--no-trunc", "--filter", "label=\(Self.sessionLabel)=\(session)"], timeout: 60)
    }

    public func tag(_ image: String, as reference: String) -> Command { command(["tag", image, reference], timeout: 60) }
    public func push(_ reference: String) -> Command {
        // podman verifies TLS even on loopback, where docker allows plain HTTP; a registry there speaks HTTP.
        let loopback = reference.hasPrefix("127.") || reference.hasPrefix("localhost:") || reference.hasPrefix("[::1]")
        return command(["push"] + (kind == .podman && loopback ? ["--tls-verify=false"] : []) + [reference], timeout: 1800)
    }
    /// Removes one tag; the image stays while other tags or its id refer to it.
    public func untag(_ reference: String) -> Command { command(["image", "rm", reference], timeout: 60) }
    public func removeImages(_ ids: [String]) -> Command { command(["image", "rm", "--force"] + ids, timeout: 300) }
    /// Removes images only if nothing uses them (no --force): a tagged or parent image stays.
    public func removeUnusedImages(_ ids: [String]) -> Command { command(["image", "rm"] + ids, timeout: 300) }
    /// Untagged images without children. `--all`: on the containerd image store a classic build's step
    /// images are images of their own, not parents the final image keeps (a graph driver lists the same either way).
    public func danglingImages() -> Command { command(["image", "ls", "--all", "--quiet", "--no-trunc", "--filter", "dangling=true"], timeout: 60) }
    /// Just the server's version: fails fast when no engine answers.
    public func serverVersion() -> Command {
        // A local podman has no server: its version answers when its store can be opened.
        command(["version", "--format", kind == .docker ? "{{.Server.Version}}" : "{{.Client.Version}}"], timeout: 10)
    }
    /// The images written to a file in `docker save`'s format, for `load(_:)` on another engine.
    public func save(_ images: [String], to path: String) -> Command { command(["save", "--output", path] + images, timeout: 3600) }
    public func load(_ path: String) -> Command { command(["load", "--quiet", "--input", path], timeout: 3600) }
    /// Every image id in the store, intermediate ones too.
    public func allImageIDs() -> Command { command(["image", "ls", "--all", "--quiet", "--no-trunc"], timeout: 60) }
    public func allContainerIDs() -> Command { command(["container", "ls", "--all", "--quiet", "--no-trunc"], timeout: 60) }
    public func removeContainers(_ ids: [String]) -> Command { command(["container", "rm", "--force", "--volumes"] + ids, timeout: 300) }
    /// Empties the build cache, BuildKit's and the classic builder's records alike.
    public func pruneBuildCache() -> Command { command(["builder", "prune", "--all", "--force"], timeout: 600) }
    /// One label of an image: its value, or `<no value>`.
    public func imageLabel(_ image: String, _ label: String) -> Command {
        command(["image", "inspect", "--format", "{{index .Config.Labels \"\(label)\"}}", image], timeout: 60)
    }
    public func imageID(_ image: String) -> Command { command(["image", "inspect", "--format", "{{.Id}}", image], timeout: 60) }

    /// The image as a `docker save` tar stream (podman writes the same docker-archive format).
    public func save(_ image: String) -> Command { command(["save", image], timeout: 3600) }

    /// Limits a podman container may be given: this process's hard limit of open files, and of
    /// processes no more than the kernel's pid_max (podman lowers its own limit to that).
    static let podmanLimits: (files: UInt64, processes: UInt64) = {
        func hard(_ resource: __rlimit_resource) -> UInt64? {
            var limit = rlimit()
            return getrlimit(Int32(resource.rawValue), &limit) == 0 ? UInt64(limit.rlim_max) : nil
        }
        let pidMax =
            (try? String(contentsOfFile: "/proc/sys/kernel/pid_max", encoding: .utf8))
            .flatMap { UInt64($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 32768
        return (min(hard(RLIMIT_NOFILE) ?? 1024, 1_048_576), min(hard(__RLIMIT_NPROC) ?? 4096, pidMax))
    }()
}
