import Foundation
import ImageBenchCore

/// The docker operations a run needs, over any ``CommandExecuting``.
public struct DockerClient: Sendable {
    public let commands: DockerCommands
    public let executor: any CommandExecuting

    public init(
        docker: String, labels: [String: String] = [:], kind: EngineKind = .docker, target: EngineTarget = .default,
        executor: any CommandExecuting = SubprocessExecutor()
    ) {
        commands = DockerCommands(docker: docker, labels: labels, kind: kind, target: target)
        self.executor = executor
    }

    public var kind: EngineKind { commands.kind }

    static let engineHint =
        "start the engine (`dockerd`, or `systemctl start docker`), point DOCKER_HOST at one, or choose another client with --docker or IMAGEBENCH_DOCKER; `scripts/setup` installs and starts Debian's docker.io"

    /// The fix when the client cannot be started.
    var notStartedHint: String {
        kind == .podman
            ? "install podman (apt-get install -y podman) or give its path with --podman or IMAGEBENCH_PODMAN"
            : "install docker or give the client's path with --docker or IMAGEBENCH_DOCKER"
    }

    /// Runs a command; failing to start it is a ``DockerError``.
    public func run(_ command: Command) async throws -> CommandResult {
        do {
            return try await executor.run(command)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw DockerError(.notStarted, command: command.shellLine, outputTail: "\(error)", hint: notStartedHint)
        }
    }

    /// Runs a command and turns a failure into a ``DockerError`` carrying the output tail.
    public func checked(_ command: Command, hint: String = "") async throws -> CommandResult {
        let result = try await run(command)
        guard result.succeeded else {
            throw DockerError(.commandFailed, command: command.shellLine, exitCode: result.exitCode, outputTail: result.tail(), hint: hint)
        }
        return result
    }

    /// Client and server versions, storage driver, builder: everything a run records about the engine.
    /// Throws ``DockerError/Reason/engineUnavailable`` with the fix when no engine answers.
    public func probeEnvironment() async throws -> RunEnvironment {
        var environment = HostProbe.local()
        environment.dockerPath = commands.docker
        environment.engineKind = kind
        environment.endpoint = await endpoint()
        if kind == .podman { return try await probePodman(environment) }
        // The three probes are independent: run them at once, so a run starts sooner.
        async let versionResult = run(commands.version())
        async let infoResult = run(commands.info())
        async let buildxResult = run(commands.buildxVersion())
        let version = try await versionResult
        guard let versions = DockerOutputParser.versions(version.stdout), let server = versions.server, version.succeeded else {
            throw DockerError(
                .engineUnavailable, command: commands.version().shellLine, exitCode: version.exitCode,
                outputTail: version.tail(), hint: Self.engineHint)
        }
        environment.dockerClient = versions.client
        environment.dockerServer = server
        let info = try await infoResult
        guard info.succeeded else {
            throw DockerError(
                .commandFailed, command: commands.info().shellLine, exitCode: info.exitCode, outputTail: info.tail(), hint: Self.engineHint)
        }
        DockerOutputParser.applyInfo(info.stdout, to: &environment)
        let buildx = try await buildxResult
        environment.buildkitAvailable = Self.hasBuiltInBuildKit(client: versions.client) || buildx.succeeded
        environment.buildxVersion = buildx.succeeded ? DockerOutputParser.buildxVersion(buildx.stdout) : nil
        environment.defaultBuilder = environment.buildkitAvailable ? .buildkit : .classic
        return environment
    }

    /// podman has no server to ask: its version and `podman info` describe the local engine.
    private func probePodman(_ start: RunEnvironment) async throws -> RunEnvironment {
        var environment = start
        let version = try await run(commands.version())
        guard version.succeeded, let versions = DockerOutputParser.versions(version.stdout), !versions.client.isEmpty else {
            throw DockerError(
                .engineUnavailable, command: commands.version().shellLine, exitCode: version.exitCode, outputTail: version.tail(),
                hint: notStartedHint)
        }
        let info = try await checked(commands.info(), hint: "podman cannot open its store; see `podman info`")
        environment.dockerClient = versions.client
        environment.dockerServer = versions.server ?? versions.client
        DockerOutputParser.applyPodmanInfo(info.stdout, to: &environment)
        environment.buildkitAvailable = false
        environment.defaultBuilder = .buildah
        return environment
    }

    /// How this client reaches its engine, for the record: the URL, the context and its URL, or the
    /// default (`DOCKER_HOST`, else the current context's URL).
    func endpoint() async -> String {
        func contextHost(_ name: String?) async -> String? {
            let args = ["context", "inspect"] + (name.map { [$0] } ?? []) + ["--format", "{{.Endpoints.docker.Host}}"]
            guard let result = try? await run(Command(commands.docker, args, timeout: 10)), result.succeeded else { return nil }
            let host = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            return host.isEmpty ? nil : host
        }
        switch (kind, commands.target) {
        case (_, .host(let url)): return url
        case (.docker, .context(let name)): return "context \(name)" + ((await contextHost(name)).map { " (\($0))" } ?? "")
        case (.podman, .context(let name)): return "connection \(name)"
        case (.podman, .default): return "local"
        case (.docker, .default):
            if let host = ProcessInfo.processInfo.environment["DOCKER_HOST"], !host.isEmpty { return host }
            return await contextHost(nil) ?? "unix:///var/run/docker.sock"
        }
    }

    /// Clients before 23.0 have BuildKit built in; later ones need the buildx plugin.
    static func hasBuiltInBuildKit(client: String) -> Bool {
        Int(client.prefix { $0.isNumber }).map { $0 < 23 } ?? false
    }

    func buildkitAvailable(client: String) async throws -> Bool {
        if Self.hasBuiltInBuildKit(client: client) { return true }
        return try await run(commands.buildxVersion()).succeeded
    }

    /// True when the image is in the engine's store.
    public func imageExists(_ image: String) async throws -> Bool {
        try await run(commands.inspect(image)).succeeded
    }

    /// Makes a base image present, pulling it if needed, so that pulling is never timed as building.
    public func ensurePresent(_ image: String) async throws {
        if try await imageExists(image) { return }
        // A stand-in exists only where Scenarios/bases/build made it: no registry has it, so none is asked.
        if image.hasPrefix(Self.standInPrefix) {
            let flag = image.hasSuffix("go-builder:bookworm-arm64") ? " --go-arm64" : ""
            throw DockerError(
                .baseImageMissing, command: commands.inspect(image).shellLine, exitCode: 1, outputTail: "",
                hint:
                    "\(image) is an offline stand-in this engine does not hold; build it with Scenarios/bases/build\(flag) (or copy it in: scripts/engine start NAME --bases)"
            )
        }
        let pull = try await run(commands.pull(image))
        if !pull.succeeded {
            let hint =
                kind == .podman
                ? "\(image) is not in podman's store and cannot be pulled; name it in full (docker.io/library/...), copy it from docker with `docker save \(image) | podman load`, or use --profile offline after Scenarios/bases/build (which copies the offline bases to podman)"
                : "\(image) is not present and cannot be pulled; pull or build it, substitute it with --image \(image)=OTHER, or use --profile offline after Scenarios/bases/build"
            throw DockerError(
                .baseImageMissing, command: commands.pull(image).shellLine, exitCode: pull.exitCode, outputTail: pull.tail(), hint: hint)
        }
    }

    /// The repository prefix of the offline stand-ins Scenarios/bases/build makes.
    public static let standInPrefix = "imagebench-local/"

    /// The platform a local image is for, `linux/amd64` (`linux/arm/v7` with a variant); nil when the
    /// engine does not say. On the containerd image store: its own platform's, of an index.
    public func imagePlatform(_ image: String) async throws -> String? {
        let json = try await inspectJSON(image)
        guard let list = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [[String: Any]], let first = list.first,
            let os = first["Os"] as? String, let architecture = first["Architecture"] as? String, !os.isEmpty, !architecture.isEmpty
        else { return nil }
        let variant = (first["Variant"] as? String).flatMap { $0.isEmpty ? nil : $0 }
        return ([os, architecture] + [variant].compactMap { $0 }).joined(separator: "/")
    }

    /// `docker image inspect` output for one image.
    public func inspectJSON(_ image: String) async throws -> String {
        try await checked(commands.inspect(image)).stdout
    }

    /// Size, layer count and per-layer history of a built image; pass `inspect` when already fetched.
    public func imageFacts(_ image: String, ref: String, inspect: String? = nil) async throws -> ImageFacts {
        let json: String
        if let inspect { json = inspect } else { json = try await inspectJSON(image) }
        guard let parsed = DockerOutputParser.inspect(json) else {
            throw DockerError(.unexpectedOutput, command: commands.inspect(image).shellLine, outputTail: String(json.prefix(200)))
        }
        let history = try await run(commands.history(image))
        // The containerd image store unpacks only the engine's own platform: an image for another has no
        // snapshot to list, and its history comes from its config as the layers stream past.
        if !history.succeeded && !Self.notUnpacked(history) {
            throw DockerError(.commandFailed, command: commands.history(image).shellLine, exitCode: history.exitCode, outputTail: history.tail())
        }
        return ImageFacts(
            ref: ref, id: parsed.id, sizeBytes: parsed.size, layers: parsed.layers,
            history: history.succeeded ? DockerOutputParser.history(history.stdout) : [])
    }

    /// `docker history` of an image whose layers the containerd image store holds packed only.
    static func notUnpacked(_ result: CommandResult) -> Bool {
        let tail = result.tail(3)
        return tail.contains("snapshot sha256:") && tail.contains("does not exist")
    }

    /// Removes every image one `imagebench run` process built: they carry its session label, also one a
    /// build killed by its timeout committed after imagebench stopped waiting. An image another process
    /// built is never removed, even when a cache hit handed its id to this run: it carries that
    /// process's label (run ids repeat across databases, so the run label cannot tell). Returns how many.
    @discardableResult
    public func removeSessionImages(_ session: String) async throws -> Int {
        let ids = try await checked(commands.imagesLabelled(session: session)).stdout.split(separator: "\n").map(String.init)
        return try await removeImages(ids)
    }

    /// Removes the classic builder's step images a run made that are left dangling (untagged, no
    /// children: a builder stage once its final image is gone). docker prunes their untagged parents
    /// with them. Never with --force, and never an image with a tag.
    /// Images labelled with `sparing` (a run's own, kept with --keep-images) stay even when dangling.
    public func removeIntermediates(_ ids: [String], sparing session: String? = nil) async {
        guard !ids.isEmpty, let dangling = try? await run(commands.danglingImages()) else { return }
        // The classic builder prints 12-character ids; image ls gives sha256:<64>.
        func short<S: StringProtocol>(_ id: S) -> String { String(id.replacingOccurrences(of: "sha256:", with: "").prefix(12)) }
        var made = Set(ids)
        if let session, let kept = try? await run(commands.imagesLabelled(session: session)) {
            for id in kept.stdout.split(separator: "\n") { made.remove(short(id)) }
        }
        let leaves = dangling.stdout.split(separator: "\n").map(String.init).filter { made.contains(short($0)) }
        guard !leaves.isEmpty else { return }
        _ = try? await run(commands.removeUnusedImages(leaves))
    }

    /// Nil when the engine answers `docker version` (its server version) within 10 s; else what the
    /// client said instead, in one line.
    public func engineSilence() async -> String? {
        let result: CommandResult
        do {
            result = try await run(commands.serverVersion())
        } catch {
            return "\(error)"
        }
        if result.succeeded && !result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return nil }
        return result.timedOut ? "no answer to `docker version` within 10 s" : result.tail(1)
    }

    /// Removes these images (by id); returns how many were asked for.
    @discardableResult
    public func removeImages(_ ids: [String]) async throws -> Int {
        if ids.isEmpty { return 0 }
        _ = try await checked(commands.removeImages(ids))
        return ids.count
    }
}

extension DockerClient {
    /// The builder a variant gets when it does not choose one: BuildKit when the client has it.
    /// Needs only the client, so it works without an engine.
    public func defaultBuilder() async throws -> BuilderKind {
        try await buildkitAvailable(client: clientVersion()) ? .buildkit : .classic
    }

    /// The client's own version (`20.10.24+dfsg1`), which decides how it reads a `.dockerignore`; empty
    /// when it does not say. Needs no engine.
    public func clientVersion() async throws -> String {
        let version = try await run(commands.version())
        return DockerOutputParser.versions(version.stdout)?.client ?? ""
    }
}

extension DockerClient {
    /// The files of each layer of an image, read from a `docker save` stream (nothing unpacked to
    /// disk), with the layer digests from `docker image inspect` (`.RootFS.Layers`, same order), and,
    /// when asked, each layer's gzip-compressed size estimated on the way.
    ///
    /// With `source` `.auto`, an image of a local overlay2 engine whose layer folders imagebench can read
    /// is read from those folders instead (no file contents needed), unless compressed sizes or `entries`
    /// (every tar header, ``ImageLayers/entries``, which only the stream has) are asked for.
    ///
    /// With `contents`, the package databases and Go build information are kept too (``ImageLayers/contents``).
    public func layers(
        of image: String, inspect: String? = nil, estimateCompressed: Bool = false, source: LayerSource = .auto, contents: Bool = true,
        entries: Bool = false
    ) async throws -> ImageLayers {
        let json: String
        if let inspect { json = inspect } else { json = try await inspectJSON(image) }
        let digests = DockerOutputParser.rootFSLayers(json)
        let entrypoint = DockerOutputParser.entrypoint(json)
        if source != .save && !estimateCompressed && !entries, let folders = DockerOutputParser.overlayLayerFolders(json),
            folders.count == digests.count, OverlayLayerReader.canRead(folders)
        {
            let files = folders.map(OverlayLayerReader.files(in:))
            let head = entrypoint.flatMap { OverlayLayerReader.head(of: $0, in: folders, layers: files, limit: SaveArchiveReader.headLimit) }
            var layers = ImageLayers(digests: digests, files: files, entrypoint: entrypoint, entrypointHead: head)
            layers.source = "overlay2"
            layers.secretFindings = OverlayLayerReader.secrets(in: folders, layers: files)
            // Which history steps made the layers, as the save stream's config says: each step's bytes then come
            // from its layer here too.
            if let id = DockerOutputParser.inspect(json)?.id, let config = OverlayLayerReader.config(imageID: id, folders: folders) {
                layers.stepMadeLayer = config.stepMadeLayer
            }
            if contents { (layers.contents, layers.goBuildInfo) = OverlayLayerReader.contents(in: folders, layers: files, entrypoint: entrypoint) }
            return layers
        }
        if source == .overlay2 {
            throw DockerError(
                .unexpectedOutput, command: commands.inspect(image).shellLine, outputTail: "no readable overlay2 layer folders in .GraphDriver",
                hint: "run imagebench on the engine's machine, as a user who can read its data root, or use --source save")
        }
        let reader = SaveArchiveReader(capture: entrypoint, estimateCompressed: estimateCompressed, keepContents: contents, keepEntries: entries)
        let save = commands.save(image)
        let result = try await stream(save, to: reader)
        guard result.succeeded else {
            throw DockerError(.commandFailed, command: save.shellLine, exitCode: result.exitCode, outputTail: result.tail())
        }
        if let failure = reader.failure {
            throw DockerError(.unexpectedOutput, command: save.shellLine, outputTail: "layer \(failure.name): \(failure.message)")
        }
        guard let layers = reader.finish(digests: digests, entrypoint: entrypoint) else {
            throw DockerError(.unexpectedOutput, command: save.shellLine, outputTail: "no manifest.json in the archive")
        }
        return layers
    }

    /// Pushes `image` to `registry` as `reference` (`repository:tag` below the registry) and returns the
    /// compressed layer sizes from the manifest the registry stored. The tag is removed again afterwards.
    public func pushedLayerSizes(of image: String, registry: RegistryClient, repository: String, tag: String) async throws -> CompressedSizes {
        let reference = "\(registry.address)/\(repository):\(tag)"
        _ = try await checked(commands.tag(image, as: reference))
        do {
            _ = try await checked(commands.push(reference), hint: "start a registry there (scripts/registry start) or leave out --registry")
        } catch {
            _ = try? await run(commands.untag(reference))
            throw error
        }
        _ = try? await run(commands.untag(reference))
        let layers = try await registry.layers(repository: repository, tag: tag)
        return CompressedSizes(source: .registry, layers: layers.map(\.size), mediaTypes: layers.map(\.mediaType))
    }

    func stream(_ command: Command, to sink: any ByteSink) async throws -> CommandResult {
        do {
            return try await executor.stream(command, to: sink)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw DockerError(.notStarted, command: command.shellLine, outputTail: "\(error)", hint: notStartedHint)
        }
    }
}
