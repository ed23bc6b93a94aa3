import Foundation
import ImageBenchCore

/// The engine the `ci` phase builds on, in the state a fresh CI runner is in: no build cache, no
/// images but the base images (copied in from the variant's engine, untimed). One variant uses it at a
/// time (``exclusive(_:)``), since every build starts from a reset. It is imagebench's own engine
/// (``OwnedEngine``), or one the user named disposable (`--ci-engine URL`); never the user's engine.
public actor FreshRunner {
    public nonisolated let slot: EngineSlot
    /// The engine imagebench started; nil for a `--ci-engine` one.
    nonisolated let owned: OwnedEngine?
    /// The base images present: reference → image id. Reset keeps exactly these.
    private var bases: [String: String] = [:]
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(slot: EngineSlot, owned: OwnedEngine?) {
        self.slot = slot
        self.owned = owned
    }

    public nonisolated var docker: DockerClient { slot.docker }

    /// The fresh runner a run's `ci` phase uses: the `--ci-engine` one, else one started here. Nil
    /// with the one line saying what is missing when neither can be had.
    /// Throws ``RequestError`` when `url` is an engine in `engines`: resetting it would wipe the user's.
    public static func start(
        url: String?, clients: EngineClients, token: String, labels: [String: String], engines: [EngineSlot]
    ) async throws -> Result<FreshRunner, FreshRunnerUnavailable> {
        var owned: OwnedEngine?
        let target: EngineTarget
        if let url {
            target = .host(url)
            try await refuseBuildEngine(url, client: clients.client(.docker, target: target), engines: engines)
        } else {
            if let missing = OwnedEngine.missingNeeds() { return .failure(FreshRunnerUnavailable(reason: missing)) }
            do {
                owned = try await OwnedEngine.start(token: token, client: clients.docker, executor: clients.executor)
            } catch {
                return .failure(FreshRunnerUnavailable(reason: "the ci phase could not start its own engine: \(error)"))
            }
            target = .host(owned!.host)
        }
        let client = clients.client(.docker, target: target, labels: labels)
        do {
            var environment = try await client.probeEnvironment()
            if owned != nil { environment.endpoint = "imagebench's own ci engine (\(owned!.host))" }
            let runner = FreshRunner(slot: EngineSlot(docker: client, environment: environment), owned: owned)
            try await runner.reset()
            return .success(runner)
        } catch {
            await owned?.stop()
            return .failure(FreshRunnerUnavailable(reason: "the ci engine \(url ?? owned?.host ?? "") does not answer: \(error)"))
        }
    }

    /// A `--ci-engine` that is one of the run's own engines (same daemon ID, whatever the URL) is refused
    /// before anything touches it: every ci build empties its engine.
    static func refuseBuildEngine(_ url: String, client: DockerClient, engines: [EngineSlot]) async throws {
        func id(_ docker: DockerClient) async -> String? {
            guard let said = try? await docker.run(docker.commands.engineID()), said.succeeded else { return nil }
            let id = said.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            return id.isEmpty ? nil : id
        }
        guard let mine = await id(client) else { return }
        for slot in engines where slot.record.kind == .docker {
            if await id(slot.docker) == mine {
                throw RequestError(
                    .engineTwice,
                    "--ci-engine \(url) is \(slot.record.endpoint), an engine this run builds on; the ci phase removes every image and the build cache of its engine before each build: name a disposable engine, or leave --ci-engine out and imagebench starts its own"
                )
            }
        }
    }

    /// Runs `body` with the runner to itself; the next variant waits.
    public func exclusive<T: Sendable>(_ body: @Sendable (FreshRunner) async throws -> T) async throws -> T {
        while busy { await withCheckedContinuation { waiting.append($0) } }
        busy = true
        defer {
            busy = false
            if !waiting.isEmpty { waiting.removeFirst().resume() }
        }
        return try await body(self)
    }

    /// Copies the base images it lacks from `source`, untimed: a CI runner's base images are the machine's,
    /// not the build's. Into a containerd image store they go through `registry` when there is one, so
    /// their layers are compressed as a pulled image's are (a loaded image keeps docker save's
    /// uncompressed layers, pushes them so, and a later pull of the same layers leaves an image
    /// `docker image ls` does not list, moby/moby#47674); else `docker save` to a file and `docker load`.
    public func provide(bases references: [String], from source: DockerClient, scratch: String, registry: String?) async throws {
        for reference in references where bases[reference] == nil {
            let file = scratch + "/base.tar"
            defer { try? FileManager.default.removeItem(atPath: file) }
            if try await !docker.imageExists(reference) {
                let hint = "the ci phase copies base images from the variant's engine"
                if slot.environment.imageStore == .containerd, let registry {
                    let through = "\(registry)/imagebench-bases/\(reference.split(separator: "/").last ?? "base")"
                    _ = try await source.checked(source.commands.tag(reference, as: through), hint: hint)
                    let pushed = try await source.run(source.commands.push(through))
                    _ = try? await source.run(source.commands.untag(through))
                    guard pushed.succeeded else {
                        throw DockerError(
                            .commandFailed, command: source.commands.push(through).shellLine, exitCode: pushed.exitCode, outputTail: pushed.tail(),
                            hint: hint)
                    }
                    _ = try await docker.checked(docker.commands.pull(through), hint: "the ci engine could not pull a base image")
                    _ = try await docker.checked(docker.commands.tag(through, as: reference), hint: hint)
                    _ = try await docker.checked(docker.commands.untag(through), hint: hint)
                } else {
                    _ = try await source.checked(source.commands.save([reference], to: file), hint: hint)
                    _ = try await docker.checked(docker.commands.load(file), hint: "the ci engine could not load a base image")
                }
            }
            let id = try await docker.checked(docker.commands.imageID(reference)).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            bases[reference] = id
        }
    }

    /// Back to the fresh state: no containers, no images but the bases, an empty build cache.
    public func reset() async throws {
        let containers = try await ids(docker.commands.allContainerIDs())
        if !containers.isEmpty { _ = try await docker.checked(docker.commands.removeContainers(containers)) }
        let keep = Set(bases.values)
        // Removing a child removes the parents only it used: a later id of the list may be gone by then,
        // which fails the command though its work is done. What is left is listed again.
        var left: [String] = []
        for _ in 0..<3 {
            left = Array(Set(try await ids(docker.commands.allImageIDs())).subtracting(keep)).sorted()
            if left.isEmpty { break }
            _ = try await docker.run(docker.commands.removeImages(left))
        }
        if !left.isEmpty { _ = try await docker.checked(docker.commands.removeImages(left), hint: "the ci engine could not be reset") }
        _ = try await docker.checked(docker.commands.pruneBuildCache())
    }

    private func ids(_ command: Command) async throws -> [String] {
        try await docker.checked(command).stdout.split(whereSeparator: \.isNewline).map(String.init)
    }

    /// Stops an engine imagebench started (nothing of it is left); a `--ci-engine` one is reset and stays.
    public nonisolated func stop() async {
        if let owned {
            await owned.stop()
        } else {
            try? await reset()
        }
    }
}

/// Why a run's `ci` phase cannot be built here, in one line naming what it needs.
public struct FreshRunnerUnavailable: Error, Sendable, Equatable {
    public var reason: String
}
