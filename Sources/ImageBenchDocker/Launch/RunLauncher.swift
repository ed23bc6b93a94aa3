import Foundation
import ImageBenchCore

/// Starts, resumes and runs benchmark runs: picks the engines (leaving out one that does not answer
/// while another does), checks a resume against what the run recorded, records the run with its
/// scenarios and environment, builds it, and records how it ended. `imagebench run` parses its flags,
/// calls this, prints and maps the exit status; a unit test drives it with a scripted executor.
public struct RunLauncher: Sendable {
    public var clients: EngineClients
    public var events: @Sendable (RunEvent) -> Void

    public init(clients: EngineClients, events: @escaping @Sendable (RunEvent) -> Void = { _ in }) {
        self.clients = clients
        self.events = events
    }

    /// Reaches the engines, then records a new run in the store `openStore` opens (only once an engine
    /// answers, so a run without one writes nothing).
    public func start(_ request: NewRun, openStore: () throws -> any RunStore) async throws -> PreparedRun {
        let settings = request.settings
        let (engines, unavailable) = try await connect(request.jobs, settings: settings, all: false)
        try Self.checkIgnoreFiles(request.jobs, engines: engines, settings: settings)
        if let registry = settings.registry { try await RegistryClient(address: registry).ping() }
        let session = String(UUID().uuidString.prefix(8)).lowercased()
        let fresh = try await startFresh(settings, session: session, engines: engines)
        do {
            let store = try openStore()
            var scenarios: [RunScenario] = []
            let provides = await standInLabels(request.jobs, engines: engines)
            for var job in request.jobs {
                for i in job.images.indices { job.images[i].provides = provides[job.images[i].used] }
                let git =
                    if let checkout = request.checkout {
                        (commit: Optional(checkout.commit), branch: String?.none)
                    } else {
                        await HostProbe.git(directory: job.scenario.directory, executor: clients.executor)
                    }
                scenarios.append(
                    RunScenario(
                        name: job.scenario.name, path: request.checkout?.original(job.scenario.directory) ?? job.scenario.directory,
                        contentHash: job.scenario.contentHash(), gitCommit: git.commit?.sha, gitBranch: git.branch, images: job.images,
                        thresholds: job.scenario.thresholds, budgets: job.scenario.budgets, gitDate: git.commit?.date,
                        gitSubject: git.commit?.subject))
            }
            let plan = RunPlan(
                variants: Dictionary(request.jobs.map { ($0.scenario.name, $0.variants.map(\.name)) }, uniquingKeysWith: { a, _ in a }),
                settings: settings)
            var environment = EngineSelection.runEnvironment(engines)
            environment.ciEngine = fresh.runner?.slot.record
            let id = try await store.createRun(
                RunRecord(
                    startedAt: Date(), labels: request.labels, profile: request.profile, environment: environment, scenarios: scenarios,
                    plan: plan))
            if let profile = request.profile {
                let substituted = request.jobs.flatMap(\.images).filter { $0.used != $0.requested }.count
                events(.note("run \(id) uses profile \(profile): \(substituted) images substituted (reports name the images actually used)"))
            }
            var prepared = PreparedRun(
                id: id, store: store, jobs: request.jobs, prior: [:], engines: engines, settings: settings, session: session, fresh: fresh.runner,
                freshUnavailable: fresh.unavailable)
            prepared.unavailableEngines = unavailable
            return prepared
        } catch {
            await fresh.runner?.stop()
            throw error
        }
    }

    /// What each stand-in image says it holds (its `imagebench.provides` label), read from the first
    /// engine; a stand-in not there yet (the run's preflight names it) or without the label has none.
    func standInLabels(_ jobs: [ScenarioJob], engines: [EngineSlot]) async -> [String: String] {
        guard let docker = engines.first?.docker else { return [:] }
        var labels: [String: String] = [:]
        for image in Set(jobs.flatMap(\.images).filter { $0.used != $0.requested }.map(\.used)) {
            guard let said = try? await docker.run(docker.commands.imageLabel(image, ResolvedImage.providesLabel)), said.succeeded else { continue }
            let text = said.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            if !text.isEmpty, text != "<no value>" { labels[image] = text }
        }
        return labels
    }

    /// The fresh runner of a run with a `ci` phase, or why there is none (said once, as a warning).
    func startFresh(_ settings: RunSettings, session: String, engines: [EngineSlot]) async throws -> (runner: FreshRunner?, unavailable: String?) {
        guard settings.phases.contains(.ci) || settings.pull else { return (nil, nil) }
        let builds = settings.phases.contains(.ci)
        let phase = builds ? "ci phase" : "pull phase"
        switch try await FreshRunner.start(
            url: settings.ciEngine, clients: clients, token: session, labels: settings.imageLabels, engines: engines)
        {
        case .success(let runner):
            events(
                .note(
                    "\(phase): \(builds ? "builds" : "pulls") on \(runner.slot.record.endpoint), reset before every \(builds ? "build" : "pull")"
                ))
            return (runner, nil)
        case .failure(let unavailable):
            events(.warning("\(phase) skipped: \(unavailable.reason)"))
            return (nil, unavailable.reason)
        }
    }

    /// `run --resume ID`: the run's own scenarios (refused when their files changed), variants and
    /// settings, on the engines it began on; what it finished stays. Nil when the run is complete.
    /// A run over commits is resumed from `checkout`, a fresh checkout of its commit.
    public func resume(_ id: Int64, in store: any RunStore, allowOutside: Bool = false, checkout: CommitCheckout? = nil) async throws
        -> PreparedRun?
    {
        guard let run = try await store.run(id: id) else { throw RequestError.runNotFound(String(id), database: store.path) }
        if run.status == .complete || run.status == .skipped {
            events(.note("run \(id) is \(run.status.rawValue)\(run.problem.map { " (\($0))" } ?? ""); nothing to resume"))
            return nil
        }
        guard let plan = run.plan else {
            throw RequestError(.notResumable, "run \(id) was recorded by an imagebench without --resume (it has no stored plan); start a new run")
        }
        let loader = ScenarioLoader(allowOutside: allowOutside)
        var jobs: [ScenarioJob] = []
        for stored in run.scenarios {
            let scenario = try loader.load(path: checkout?.scratch(stored.path) ?? stored.path)
            if scenario.contentHash() != stored.contentHash {
                throw ScenarioError(
                    .invalidValue, file: scenario.file, line: 0,
                    "changed since run \(id) started (its files differ); resume needs the files the run started with, or start a new run")
            }
            let names = plan.variants[stored.name] ?? []
            jobs.append(ScenarioJob(scenario: scenario, variants: scenario.variants().filter { names.contains($0.name) }, images: stored.images))
        }
        let settings = RunSettings.resolve(RunSettings.Choices(), stored: plan.settings)
        let (engines, _) = try await connect(jobs, settings: settings, all: true)
        let environment = EngineSelection.runEnvironment(engines)
        var differences = environment.differences(from: run.environment)
        if let engines = environment.engineSetDifference(from: run.environment) { differences.append(engines) }
        if !differences.isEmpty {
            throw RequestError(
                .otherEnvironment,
                "run \(id) was measured elsewhere (\(differences.joined(separator: "; "))); resume it on the same machine and engine, or start a new run"
            )
        }
        let prior = Dictionary(try await store.variants(runID: id).map { ($0.result.key, $0) }, uniquingKeysWith: { a, _ in a })
        let finished = prior.values.filter { $0.result.status != .pending }.count
        let total = jobs.reduce(0) { $0 + $1.variants.count }
        events(.note("resuming run \(id): \(finished) of \(total) variants finished; building the rest"))
        try await store.reopenRun(id: id)
        let session = String(UUID().uuidString.prefix(8)).lowercased()
        let fresh = try await startFresh(settings, session: session, engines: engines)
        return PreparedRun(
            id: id, store: store, jobs: jobs, prior: prior, engines: engines, settings: settings, session: session, fresh: fresh.runner,
            freshUnavailable: fresh.unavailable)
    }

    /// Builds the run and records how it ended: `complete`, or `interrupted` (cancelled) or `failed`,
    /// thrown as ``RunStopped`` with its cause. Cancel the calling task to interrupt it.
    public func execute(_ run: PreparedRun) async throws -> [VariantResult] {
        var runner = BenchmarkRunner(engines: run.engines, recorder: run.store, settings: run.settings, events: events)
        runner.containerToken = run.session
        runner.fresh = run.fresh
        runner.freshUnavailable = run.freshUnavailable
        runner.unavailableEngines = run.unavailableEngines
        let fresh = run.fresh
        do {
            let results = try await runner.run(runID: run.id, jobs: run.jobs, prior: run.prior)
            await fresh?.stop()
            try await run.store.finishRun(id: run.id, status: .complete, at: Date())
            return results
        } catch {
            // Detached: a cancelled run still stops the engine it started.
            if let fresh { await Task.detached { await fresh.stop() }.value }
            let interrupted = error is CancellationError || Task.isCancelled
            try await run.store.finishRun(id: run.id, status: interrupted ? .interrupted : .failed, at: Date())
            throw RunStopped(runID: run.id, database: run.store.path, interrupted: interrupted, cause: error)
        }
    }

    /// Each variant's ignore file, compiled as its builder on its engine's client compiles it (docker
    /// 20.10 refuses patterns later clients take): a refusal is a `FILE:LINE` error before any build.
    static func checkIgnoreFiles(_ jobs: [ScenarioJob], engines: [EngineSlot], settings: RunSettings) throws(ScenarioError) {
        for job in jobs {
            for variant in job.variants {
                let kind = variant.settings.engine ?? settings.engine
                guard let slot = engines.first(where: { $0.record.kind == kind && $0.named == variant.settings.namedEngine }) else { continue }
                let plan = BuildPlan(
                    scenario: job.scenario, variant: variant, images: job.images, defaultBuilder: slot.environment.defaultBuilder,
                    defaultEngine: settings.engine)
                try job.scenario.checkIgnoreFile(for: variant, rules: .of(plan.builder, client: slot.environment.dockerClient))
            }
        }
    }

    /// The environment a run of `jobs` with `settings` would record now (it reaches the engines, builds
    /// nothing), to tell whether a stored run was measured here; with no jobs, the default engine's.
    public func environment(_ jobs: [ScenarioJob], settings: RunSettings) async throws -> RunEnvironment {
        if jobs.isEmpty { return EngineSelection.runEnvironment(try await connect(kinds: [settings.engine], settings: settings, all: false)) }
        return EngineSelection.runEnvironment(try await connect(jobs, settings: settings, all: false).engines)
    }

    /// The run's engines and the engines its axis values name, and why a named one that does not answer
    /// cannot build its variants. Without one engine that answers, the first one's error.
    private func connect(_ jobs: [ScenarioJob], settings: RunSettings, all: Bool) async throws -> (
        engines: [EngineSlot], unavailable: [NamedEngine: String]
    ) {
        let kinds = EngineSelection.kinds(of: jobs, default: settings.engine)
        let named = EngineSelection.named(in: jobs)
        let own = kinds.isEmpty && !named.isEmpty ? [] : try await connect(kinds: kinds, settings: settings, all: all)
        let (slots, unavailable) = try await EngineSelection.connect(named: named, clients: clients, labels: settings.imageLabels, all: all)
        if own.isEmpty && slots.isEmpty, let first = named.first {
            throw DockerError(
                .engineUnavailable, command: "docker --host \(first) version", outputTail: unavailable[first] ?? "",
                hint: "start the engines the scenario's axis values name")
        }
        return (own + slots, unavailable)
    }

    private func connect(kinds: Set<EngineKind>, settings: RunSettings, all: Bool) async throws -> [EngineSlot] {
        try await EngineSelection.connect(
            kinds: kinds, hosts: settings.hosts, contexts: settings.contexts, clients: clients, labels: settings.imageLabels, all: all,
            warn: { events(.warning($0)) })
    }
}
