import ImageBenchCore

/// The engines a run builds on, from `--host`, `--context` and the engines its variants ask for.
public enum EngineSelection {
    /// The engine kinds the variants need from the run's engines: their `engine:`, else the default
    /// (a variant that names its engine needs none of them).
    public static func kinds(of jobs: [ScenarioJob], default kind: EngineKind) -> Set<EngineKind> {
        Set(jobs.flatMap(\.variants).filter { $0.settings.namedEngine == nil }.map { $0.settings.engine ?? kind })
    }

    /// The engines axis values name (`host:`, `docker-context:`), each once, in the order first named.
    public static func named(in jobs: [ScenarioJob]) -> [NamedEngine] {
        var seen = Set<NamedEngine>()
        return jobs.flatMap(\.variants).compactMap(\.settings.namedEngine).filter { seen.insert($0).inserted }
    }

    /// Reaches the engines axis values name, at once. One that does not answer is not an error: the
    /// variants naming it are skipped with the reason, which the result maps it to; with `all` (a resume,
    /// which needs the engines the run began on) it is.
    public static func connect(
        named: [NamedEngine], clients: EngineClients, labels: [String: String], all: Bool
    ) async throws -> (slots: [EngineSlot], unavailable: [NamedEngine: String]) {
        let candidates = named.map { clients.client(.docker, target: EngineTarget($0), labels: labels) }
        var slots: [EngineSlot] = []
        var unavailable: [NamedEngine: String] = [:]
        for (index, probe) in await probe(candidates).enumerated() {
            switch probe {
            case .success(let environment): slots.append(EngineSlot(docker: candidates[index], environment: environment, named: named[index]))
            case .failure(let error):
                if all { throw error }
                unavailable[named[index]] =
                    "its engine \(named[index]) does not answer (\(error)); start it (scripts/engine start modern starts a dockerd 26.1 with the containerd image store) or leave the variant out with --only"
            }
        }
        return (slots, unavailable)
    }

    /// Reaches every engine at once. Docker engines are the `--host` and `--context` ones, or the
    /// client's default; podman is the local one. An engine that does not answer is left out with a
    /// warning while another of its kind answers; `all` makes it an error (for `--resume`, which needs
    /// the engines the run began on).
    public static func connect(
        kinds: Set<EngineKind>, hosts: [String], contexts: [String], clients: EngineClients, labels: [String: String], all: Bool,
        warn: (String) -> Void
    ) async throws -> [EngineSlot] {
        var candidates: [DockerClient] = []
        for kind in EngineKind.allCases where kinds.contains(kind) {
            let targets: [EngineTarget] =
                kind == .docker && !(hosts.isEmpty && contexts.isEmpty) ? hosts.map { .host($0) } + contexts.map { .context($0) } : [.default]
            candidates += targets.map { clients.client(kind, target: $0, labels: labels) }
        }
        let probes = await probe(candidates)
        let answered = probes.map { (try? $0.get()) != nil }
        var slots: [EngineSlot] = []
        for (index, client) in candidates.enumerated() {
            switch probes[index] {
            case .success(let environment):
                slots.append(EngineSlot(docker: client, environment: environment))
            case .failure(let error):
                let others = candidates.indices.contains { $0 != index && candidates[$0].kind == client.kind && answered[$0] }
                if all || !others { throw error }
                warn("leaving out an engine that does not answer, the others build its share: \(error)")
            }
        }
        var seen: [String: String] = [:]
        for slot in slots {
            let endpoint = slot.record.endpoint
            if let first = seen.updateValue(endpoint, forKey: "\(slot.record.kind) " + address(endpoint)) {
                throw RequestError(
                    .engineTwice,
                    "\(first) and \(endpoint) are the same engine; name each engine once (--jobs-per-host builds several variants at once on one)")
            }
        }
        return slots
    }

    /// The URL an endpoint reaches: a context's own (`context b1 (ssh://ci@b1)` → `ssh://ci@b1`), else the endpoint.
    static func address(_ endpoint: String) -> String {
        guard endpoint.hasPrefix("context "), endpoint.hasSuffix(")"), let open = endpoint.firstIndex(of: "(") else { return endpoint }
        return String(endpoint[endpoint.index(after: open)..<endpoint.index(before: endpoint.endIndex)])
    }

    /// Every client's environment, probed at once, in the order of `clients`.
    static func probe(_ clients: [DockerClient]) async -> [Result<RunEnvironment, any Error>] {
        await withTaskGroup(of: (Int, Result<RunEnvironment, any Error>).self) { group in
            for (index, client) in clients.enumerated() {
                group.addTask {
                    // Not `do { return (index, ...) } catch { return (index, ...) }`: Swift 6.3's optimizer
                    // then returns the first index from every task (release builds only).
                    let probe: Result<RunEnvironment, any Error>
                    do { probe = .success(try await client.probeEnvironment()) } catch { probe = .failure(error) }
                    return (index, probe)
                }
            }
            var collected: [(Int, Result<RunEnvironment, any Error>)] = []
            for await probe in group { collected.append(probe) }
            return collected.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// The run's environment: the first engine's, with every engine listed.
    public static func runEnvironment(_ slots: [EngineSlot]) -> RunEnvironment {
        var environment = slots[0].environment
        environment.engines = slots.map(\.record)
        return environment
    }
}
