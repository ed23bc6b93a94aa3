import ImageBenchCore

/// The engines a run builds on, from `--host`, `--context` and the engines its variants ask for.
public enum EngineSelection {
    /// The engine kinds the variants need: their `engine:`, else the default.
    public static func kinds(of jobs: [ScenarioJob], default kind: EngineKind) -> Set<EngineKind> {
        Set(jobs.flatMap(\.variants).map { $0.settings.engine ?? kind })
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
