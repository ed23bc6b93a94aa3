import ArgumentParser
import Foundation
import ImageBenchCore
import ImageBenchDocker
import ImageBenchReport
import ImageBenchStore

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Build every variant (cold, warm, edit), measure it, smoke-test it and store the results.")

    @OptionGroup var scenarioOptions: ScenarioOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var dockerOptions: DockerOptions

    @Option(name: .customLong("repeat"), help: "Builds per phase (cold, warm and edit each).")
    var repeatCount = 3

    @Option(name: .long, help: ArgumentHelp("Phases to run, comma-separated: cold, warm, edit.", valueName: "list"))
    var phases = "cold,warm,edit"

    @Option(name: .long, help: ArgumentHelp("Stop a build after this long (e.g. 10m, 90s) and record it as timeout.", valueName: "duration"))
    var buildTimeout: String?

    @Flag(name: .long, help: "Keep the built images (they are labelled imagebench.run=ID).")
    var keepImages = false

    @Option(name: .customLong("label"), help: ArgumentHelp("Label the run, e.g. branch=main. Repeatable.", valueName: "key=value"))
    var labels: [String] = []

    @Option(
        name: .customLong("image-label"),
        help: ArgumentHelp("Add a docker label to every image and container the run makes. Repeatable.", valueName: "key=value"))
    var imageLabels: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Push each variant to this registry (e.g. 127.0.0.1:5000) and record its compressed layer sizes from the manifest; without it they are estimated.",
            valueName: "host:port"))
    var registry: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Finish a stopped run (interrupted or failed): build only the variants and repetitions it lacks, with its own scenarios and settings.",
            valueName: "run"))
    var resume: Int64?

    @Flag(name: .long, help: "Exit with status 6 when a secret-looking file (.env, id_rsa, *.pem, ...) ends up inside a built image.")
    var failOnSecrets = false

    @Option(
        name: .customLong("host"),
        help: ArgumentHelp(
            "Build on this Docker engine (ssh://user@host, tcp://host:2376, unix:///path.sock). Repeatable: variants are spread over the engines.",
            valueName: "url"))
    var hosts: [String] = []

    @Option(
        name: .customLong("context"),
        help: ArgumentHelp("Build on the engine of this docker context (docker context ls). Repeatable, and combines with --host.", valueName: "name")
    )
    var contexts: [String] = []

    @Option(help: ArgumentHelp("Variants built at once on each engine. More than 1 makes build times compete for the engine.", valueName: "n"))
    var jobsPerHost = 1

    @Option(help: ArgumentHelp("The engine of variants whose scenario does not choose one with engine: (docker or podman).", valueName: "engine"))
    var engine: EngineKind = .docker

    func validate() throws {
        if resume != nil {
            let conflicting = [
                (!scenarioOptions.scenarios.isEmpty, "SCENARIO"), (scenarioOptions.profile != nil, "--profile"),
                (!scenarioOptions.images.isEmpty, "--image"),
                (!scenarioOptions.only.isEmpty, "--only"), (repeatCount != 3, "--repeat"), (phases != "cold,warm,edit", "--phases"),
                (buildTimeout != nil, "--build-timeout"), (registry != nil, "--registry"), (keepImages, "--keep-images"),
                (!imageLabels.isEmpty, "--image-label"), (!labels.isEmpty, "--label"), (!hosts.isEmpty, "--host"),
                (!contexts.isEmpty, "--context"), (jobsPerHost != 1, "--jobs-per-host"), (engine != .docker, "--engine"),
            ].filter(\.0).map(\.1)
            if !conflicting.isEmpty {
                throw ValidationError("--resume uses the run's own scenarios and settings; leave out \(conflicting.joined(separator: ", "))")
            }
        }
        guard (1...1000).contains(repeatCount) else { throw ValidationError("--repeat must be between 1 and 1000, e.g. --repeat 3") }
        guard (1...64).contains(jobsPerHost) else { throw ValidationError("--jobs-per-host must be between 1 and 64, e.g. --jobs-per-host 2") }
        for host in hosts where !Self.isEngineURL(host) {
            throw ValidationError(
                "--host \"\(host)\" is not an engine URL; write e.g. ssh://ci@builder1, tcp://10.0.0.5:2376 or unix:///var/run/docker.sock")
        }
        for context in contexts where context.isEmpty || context.contains(where: \.isWhitespace) {
            throw ValidationError("--context \"\(context)\" is not a context name; see `docker context ls`")
        }
        if let twice = Self.firstRepeated(hosts) ?? Self.firstRepeated(contexts) {
            throw ValidationError("\(twice) is given twice; name each engine once (--jobs-per-host builds several variants at once on one)")
        }
        _ = try parsedPhases()
        for label in imageLabels where ScenarioOptions.split(label) == nil {
            throw ValidationError("--image-label \"\(label)\" must be key=value, e.g. --image-label team=platform")
        }
        for label in labels where ScenarioOptions.split(label) == nil {
            throw ValidationError("--label \"\(label)\" must be key=value, e.g. --label branch=main")
        }
        if let registry, registry.isEmpty || registry.contains("/") || registry.contains(where: \.isWhitespace) {
            throw ValidationError("--registry \"\(registry)\" must be HOST:PORT, e.g. --registry 127.0.0.1:5000")
        }
        if let buildTimeout, (DurationParser.seconds(buildTimeout) ?? 0) <= 0 {
            throw ValidationError("--build-timeout \"\(buildTimeout)\" is not a duration; write e.g. 10m or 90s")
        }
    }

    static func isEngineURL(_ text: String) -> Bool {
        guard let colon = text.range(of: "://"), !text.contains(where: \.isWhitespace) else { return false }
        return ["unix", "tcp", "ssh", "fd", "npipe", "http", "https"].contains(String(text[..<colon.lowerBound])) && colon.upperBound < text.endIndex
    }

    static func firstRepeated(_ values: [String]) -> String? {
        var seen = Set<String>()
        return values.first { !seen.insert($0).inserted }
    }

    func parsedPhases() throws -> [Phase] {
        let names = phases.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        var result: [Phase] = []
        for name in names {
            guard let phase = Phase(rawValue: name) else {
                throw ValidationError("--phases: unknown phase \"\(name)\"; use cold, warm and edit, e.g. --phases cold,warm")
            }
            if !result.contains(phase) { result.append(phase) }
        }
        if result.isEmpty { throw ValidationError("--phases needs at least one of cold, warm, edit") }
        return result.sorted()
    }

    func run() async throws {
        if let resume { return try await resumeRun(resume) }
        let (jobs, substitutions) = try scenarioOptions.load()
        let imageLabelMap = Dictionary(imageLabels.compactMap(ScenarioOptions.split), uniquingKeysWith: { _, b in b })
        let engines = try await EngineSet.connect(
            kinds: EngineSet.kinds(of: jobs, default: engine), hosts: hosts, contexts: contexts, options: dockerOptions, labels: imageLabelMap)
        let environment = EngineSet.runEnvironment(engines)
        let docker = engines[0].docker
        if let registry { try await RegistryClient(address: registry).ping() }
        let store = try database.open()

        var scenarios: [RunScenario] = []
        for job in jobs {
            let git = await HostProbe.git(directory: job.scenario.directory, executor: docker.executor)
            scenarios.append(
                RunScenario(
                    name: job.scenario.name, path: job.scenario.directory, contentHash: job.scenario.contentHash(),
                    gitCommit: git.commit, gitBranch: git.branch, images: job.images, thresholds: job.scenario.thresholds))
        }
        let labelMap = Dictionary(labels.compactMap(ScenarioOptions.split), uniquingKeysWith: { _, b in b })
        let options = RunOptions(
            repeatCount: repeatCount, phases: try parsedPhases(), keepImages: keepImages, buildTimeout: buildTimeout.flatMap(DurationParser.seconds),
            registry: registry, jobsPerEngine: jobsPerHost, defaultEngine: engine)
        let plan = RunPlan(
            variants: Dictionary(jobs.map { ($0.scenario.name, $0.variants.map(\.name)) }, uniquingKeysWith: { a, _ in a }),
            repeatCount: options.repeatCount, phases: options.phases, buildTimeout: options.buildTimeout, registry: options.registry,
            keepImages: options.keepImages, imageLabels: imageLabelMap, hosts: hosts, contexts: contexts, jobsPerHost: jobsPerHost, engine: engine)
        let runID = try await store.createRun(
            RunRecord(
                startedAt: Date(), labels: labelMap, profile: substitutions.profileName, environment: environment, scenarios: scenarios, plan: plan))
        if let profile = substitutions.profileName {
            FileHandle.standardError.write(
                Data(
                    "imagebench: run \(runID) uses profile \(profile): \(jobs.flatMap(\.images).filter { $0.used != $0.requested }.count) images substituted (reports name the images actually used)\n"
                        .utf8))
        }

        try await execute(runID: runID, jobs: jobs, prior: [:], store: store, engines: engines, options: options)
    }

    /// `--resume RUN`: the run's own scenarios (unchanged), variants and options; what it finished stays.
    func resumeRun(_ id: Int64) async throws {
        guard let store = try database.openExisting(), let run = try await store.run(id: id) else {
            throw RunNotFound(requested: String(id), database: database.path)
        }
        if run.status == .complete {
            FileHandle.standardError.write(Data("imagebench: run \(id) is complete; nothing to resume\n".utf8))
            return
        }
        guard let plan = run.plan else {
            throw ValidationError("run \(id) was recorded by an imagebench without --resume (it has no stored plan); start a new run")
        }
        let loader = ScenarioLoader(allowOutside: scenarioOptions.allowOutside)
        var jobs: [ScenarioJob] = []
        for stored in run.scenarios {
            let scenario = try loader.load(path: stored.path)
            if scenario.contentHash() != stored.contentHash {
                throw ScenarioError(
                    .invalidValue, file: scenario.file, line: 0,
                    "changed since run \(id) started (its files differ); resume needs the files the run started with, or start a new run")
            }
            let names = plan.variants[stored.name] ?? []
            let variants = scenario.variants().filter { names.contains($0.name) }
            jobs.append(ScenarioJob(scenario: scenario, variants: variants, images: stored.images))
        }
        let engines = try await EngineSet.connect(
            kinds: EngineSet.kinds(of: jobs, default: plan.engine ?? .docker), hosts: plan.hosts ?? [], contexts: plan.contexts ?? [],
            options: dockerOptions, labels: plan.imageLabels, all: true)
        let environment = EngineSet.runEnvironment(engines)
        var differences = environment.differences(from: run.environment)
        if let engines = environment.engineSetDifference(from: run.environment) { differences.append(engines) }
        if !differences.isEmpty {
            throw ValidationError(
                "run \(id) was measured elsewhere (\(differences.joined(separator: "; "))); resume it on the same machine and engine, or start a new run"
            )
        }
        let prior = Dictionary(
            try await store.variantRows(runID: id).map {
                (PriorVariant.key(scenario: $0.result.scenario, variant: $0.result.name), PriorVariant(id: $0.id, result: $0.result))
            },
            uniquingKeysWith: { a, _ in a })
        let finished = prior.values.filter { $0.result.status != .pending }.count
        let total = jobs.reduce(0) { $0 + $1.variants.count }
        FileHandle.standardError.write(Data("imagebench: resuming run \(id): \(finished) of \(total) variants finished; building the rest\n".utf8))
        try await store.reopenRun(id: id)
        let options = RunOptions(
            repeatCount: plan.repeatCount, phases: plan.phases, keepImages: plan.keepImages, buildTimeout: plan.buildTimeout, registry: plan.registry,
            jobsPerEngine: plan.jobsPerHost ?? 1, defaultEngine: plan.engine ?? .docker)
        try await execute(runID: id, jobs: jobs, prior: prior, store: store, engines: engines, options: options)
    }

    /// Runs the jobs into run `runID`, prints the table, and turns the outcome into the exit status.
    func execute(
        runID: Int64, jobs: [ScenarioJob], prior: [String: PriorVariant], store: ResultStore, engines: [EngineSlot], options: RunOptions
    ) async throws {
        let printer = ProgressPrinter()
        let runner = BenchmarkRunner(engines: engines, recorder: store, options: options, events: { printer.handle($0) })
        let task = Task { try await runner.run(runID: runID, jobs: jobs, prior: prior) }
        let trap = SignalTrap { _ in task.cancel() }
        let results: [VariantResult]
        do {
            results = try await task.value
            trap.cancel()
            printer.finish()
        } catch {
            trap.cancel()
            printer.finish()
            let interrupted = error is CancellationError || task.isCancelled
            try await store.finishRun(id: runID, status: interrupted ? .interrupted : .failed)
            if interrupted {
                FileHandle.standardError.write(
                    Data(
                        "imagebench: run \(runID) interrupted; its finished builds are in \(database.path); finish it with: imagebench run --resume \(runID)\n"
                            .utf8))
                throw ExitStatus.interrupted.exitCode
            }
            // EngineLost says all of it in its own line; other errors get this one first.
            if !(error is EngineLost) {
                FileHandle.standardError.write(
                    Data(
                        "imagebench: run \(runID) failed; its finished builds are in \(database.path); finish it with: imagebench run --resume \(runID)\n"
                            .utf8))
            }
            throw error
        }
        try await store.finishRun(id: runID, status: .complete)

        let report = RunReport(runs: [try await store.run(id: runID)].compactMap { $0 }, results: try await store.results(runID: runID))
        print(TableReport.render(report), terminator: "")
        let leaked = results.filter { !($0.insight?.secrets.isEmpty ?? true) }
        if failOnSecrets && !leaked.isEmpty {
            let list = leaked.map { "\($0.scenario) \($0.name): \($0.insight!.secrets.joined(separator: ", "))" }.joined(separator: "; ")
            FileHandle.standardError.write(
                Data("imagebench: error: secret-looking files inside images: \(list); keep them out with a .dockerignore\n".utf8))
            throw ExitStatus.secretInImage.exitCode
        }
        for skipped in results where skipped.status == .skipped {
            FileHandle.standardError.write(Data("imagebench: skipped \(skipped.scenario) \(skipped.name): \(skipped.problem ?? "")\n".utf8))
        }
        if results.contains(where: \.isUnexpected) {
            throw ExitStatus.unexpectedVariant.exitCode
        }
    }
}

extension EngineKind: ExpressibleByArgument {}

/// The engines a run builds on, from `--host`, `--context` and the engines its variants ask for.
enum EngineSet {
    /// The engine kinds the variants need: their `engine:`, else the default.
    static func kinds(of jobs: [ScenarioJob], default kind: EngineKind) -> Set<EngineKind> {
        Set(jobs.flatMap(\.variants).map { $0.settings.engine ?? kind })
    }

    /// Reaches every engine at once. Docker engines are the `--host` and `--context` ones, or the
    /// client's default; podman is the local one. An engine that does not answer is left out with a
    /// warning while another of its kind answers (`all` makes it an error, for --resume).
    static func connect(
        kinds: Set<EngineKind>, hosts: [String], contexts: [String], options: DockerOptions, labels: [String: String], all: Bool = false
    ) async throws -> [EngineSlot] {
        var clients: [DockerClient] = []
        for kind in EngineKind.allCases where kinds.contains(kind) {
            let targets: [EngineTarget] =
                kind == .docker && !(hosts.isEmpty && contexts.isEmpty) ? hosts.map { .host($0) } + contexts.map { .context($0) } : [.default]
            clients += targets.map { options.client(kind: kind, target: $0, labels: labels) }
        }
        // In the order of `clients`.
        let probes: [Result<RunEnvironment, any Error>] = await withTaskGroup(of: (Int, Result<RunEnvironment, any Error>).self) { group in
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
        let answered = probes.map { (try? $0.get()) != nil }
        var slots: [EngineSlot] = []
        for (index, client) in clients.enumerated() {
            switch probes[index] {
            case .success(let environment):
                slots.append(EngineSlot(docker: client, environment: environment))
            case .failure(let error):
                let others = clients.indices.contains { $0 != index && clients[$0].kind == client.kind && answered[$0] }
                if all || !others { throw error }
                FileHandle.standardError.write(
                    Data("imagebench: warning: leaving out an engine that does not answer, the others build its share: \(error)\n".utf8))
            }
        }
        let endpoints = slots.map(\.record.endpoint)
        if let twice = RunCommand.firstRepeated(endpoints) {
            throw ValidationError("two of the engines given are the same one (\(twice)); name each engine once")
        }
        return slots
    }

    /// The run's environment: the first engine's, with every engine listed.
    static func runEnvironment(_ slots: [EngineSlot]) -> RunEnvironment {
        var environment = slots[0].environment
        environment.engines = slots.map(\.record)
        return environment
    }
}
