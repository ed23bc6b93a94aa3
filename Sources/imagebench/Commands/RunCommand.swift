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

    static let defaults = RunSettings.defaults

    @OptionGroup var scenarioOptions: ScenarioOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var dockerOptions: DockerOptions

    @Option(name: .customLong("repeat"), help: "Builds per phase, cold, warm and edit each (default: \(defaults.repeatCount)).")
    var repeatCount: Int?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Phases to run, comma-separated: cold, warm, edit, ci (a fresh CI runner with the cache from --registry, and without), pull (a fresh engine pulls each image from --registry) (default: \(defaults.phases.map(\.rawValue).joined(separator: ","))).",
            valueName: "list"))
    var phases: String?

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

    @Flag(
        name: .long,
        help:
            "Exit with status 6 when a secret ends up inside a built image, found by what a file holds (private keys, tokens, passwords in configuration)."
    )
    var failOnSecrets = false

    @Flag(
        name: .long,
        help: "With --fail-on-secrets, count files whose name alone looks secret (.env, id_rsa, *.pem ...) too, unless their content is public.")
    var secretNames = false

    @Option(
        name: .customLong("allow-secret"),
        help: ArgumentHelp(
            "Leave out secret findings of this rule id (private-key, aws-access-token, ...) or at this path (a glob, ** for any folders). Repeatable.",
            valueName: "rule|path"))
    var allowSecrets: [String] = []

    @Flag(
        name: .long, help: "At the end, check the results against the scenarios' budgets (as imagebench check) and exit with status 7 when one fails."
    )
    var check = false

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

    @Option(
        help: ArgumentHelp(
            "Variants built at once on each engine (default: \(defaults.jobsPerHost)). More than 1 makes build times compete for the engine.",
            valueName: "n"))
    var jobsPerHost: Int?

    @Option(
        help: ArgumentHelp(
            "The engine of variants whose scenario does not choose one with engine: (docker or podman; default: \(defaults.engine.rawValue)).",
            valueName: "engine"))
    var engine: EngineKind?

    @Option(
        name: .customLong("ci-engine"),
        help: ArgumentHelp(
            "A disposable docker engine for the ci phase, which removes all its images and build cache before every ci build; default: an engine imagebench starts and stops itself (needs root).",
            valueName: "url"))
    var ciEngine: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Build SCENARIO as it was at each commit of this range (git's A..B, main~20..main, or a list a1b2c3,d4e5f6), oldest first, from a scratch checkout: one run per commit, labelled commit=SHA.",
            valueName: "range"))
    var commits: String?

    @Option(name: .long, help: ArgumentHelp("With --commits: only N evenly spaced commits of the range, both ends included.", valueName: "n"))
    var steps: Int?

    /// The settings the flags give; nil where a flag was not given.
    var choices: RunSettings.Choices {
        RunSettings.Choices(
            repeatCount: repeatCount, phases: phases.flatMap { try? Self.parsePhases($0) }, pull: phases.map(Self.asksPull),
            buildTimeout: buildTimeout.flatMap(DurationParser.seconds),
            registry: registry, keepImages: keepImages ? true : nil, imageLabels: imageLabels.isEmpty ? nil : Self.pairs(imageLabels),
            hosts: hosts.isEmpty ? nil : hosts, contexts: contexts.isEmpty ? nil : contexts, jobsPerHost: jobsPerHost, engine: engine,
            ciEngine: ciEngine, allowSecrets: allowSecrets.isEmpty ? nil : Self.allowlist(allowSecrets))
    }

    /// `--allow-secret` values: a rule id where one is named, else a path glob.
    static func allowlist(_ values: [String]) -> SecretAllowlist {
        var allow = SecretAllowlist()
        for value in values {
            if let rule = SecretRule(rawValue: value) { allow.rules.append(rule) } else { allow.paths.append(value) }
        }
        return allow
    }

    func validate() throws {
        if resume != nil {
            let given = [
                (!scenarioOptions.scenarios.isEmpty, "SCENARIO"), (scenarioOptions.profile != nil, "--profile"),
                (!scenarioOptions.images.isEmpty, "--image"), (!scenarioOptions.only.isEmpty, "--only"), (repeatCount != nil, "--repeat"),
                (phases != nil, "--phases"), (buildTimeout != nil, "--build-timeout"), (registry != nil, "--registry"), (keepImages, "--keep-images"),
                (!imageLabels.isEmpty, "--image-label"), (!labels.isEmpty, "--label"), (!hosts.isEmpty, "--host"),
                (!contexts.isEmpty, "--context"), (jobsPerHost != nil, "--jobs-per-host"), (engine != nil, "--engine"),
                (ciEngine != nil, "--ci-engine"), (commits != nil, "--commits"), (steps != nil, "--steps"),
                (!allowSecrets.isEmpty, "--allow-secret"),
            ].filter(\.0).map(\.1)
            if !given.isEmpty {
                throw ValidationError("--resume uses the run's own scenarios and settings; leave out \(given.joined(separator: ", "))")
            }
        }
        if steps != nil && commits == nil { throw ValidationError("--steps picks commits of --commits; add e.g. --commits main~20..main") }
        if let steps, !(2...100_000).contains(steps) { throw ValidationError("--steps must be at least 2 (both ends of the range), e.g. --steps 10") }
        if commits != nil {
            if scenarioOptions.scenarios.count != 1 {
                throw ValidationError(
                    "--commits builds one scenario's history; name one scenario folder, e.g. imagebench run Scenarios/go-http --commits main~5..main")
            }
            if check || failOnSecrets {
                throw ValidationError(
                    "--commits makes one run per commit; check each with `imagebench check --run ID` instead of \(check ? "--check" : "--fail-on-secrets")"
                )
            }
        }
        if let repeatCount, !(1...1000).contains(repeatCount) { throw ValidationError("--repeat must be between 1 and 1000, e.g. --repeat 3") }
        if let jobsPerHost, !(1...64).contains(jobsPerHost) {
            throw ValidationError("--jobs-per-host must be between 1 and 64, e.g. --jobs-per-host 2")
        }
        for host in hosts where !Self.isEngineURL(host) {
            throw ValidationError(
                "--host \"\(host)\" is not an engine URL; write e.g. ssh://ci@builder1, tcp://10.0.0.5:2376 or unix:///var/run/docker.sock")
        }
        for context in contexts where !NamedEngine.isContextName(context) {
            throw ValidationError("--context \"\(context)\" is not a context name; see `docker context ls`")
        }
        if let twice = Self.firstRepeated(hosts) ?? Self.firstRepeated(contexts) {
            throw ValidationError("\(twice) is given twice; name each engine once (--jobs-per-host builds several variants at once on one)")
        }
        if let phases {
            let built = try Self.parsePhases(phases)
            if Self.asksPull(phases) {
                if registry == nil {
                    throw ValidationError("--phases pull times a pull from the registry; add --registry HOST:PORT (scripts/registry start gives one)")
                }
                if !built.contains(where: { Phase.local.contains($0) }) {
                    throw ValidationError("--phases pull pulls the image a local phase built; add cold, e.g. --phases cold,pull")
                }
            }
        }
        if let ciEngine, !Self.isEngineURL(ciEngine) {
            throw ValidationError("--ci-engine \"\(ciEngine)\" is not an engine URL; write e.g. tcp://10.0.0.9:2376 or unix:///tmp/ci/docker.sock")
        }
        if ciEngine != nil, !(phases.flatMap { try? Self.parsePhases($0) } ?? []).contains(.ci) {
            throw ValidationError("--ci-engine is for the ci phase; add it with --phases, e.g. --phases cold,warm,ci")
        }
        try Self.checkImageLabels(imageLabels)
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

    /// `--image-label` (of run and bisect): each must be key=value.
    static func checkImageLabels(_ labels: [String]) throws {
        for label in labels where ScenarioOptions.split(label) == nil {
            throw ValidationError("--image-label \"\(label)\" must be key=value, e.g. --image-label team=platform")
        }
    }

    static func isEngineURL(_ text: String) -> Bool { NamedEngine.isURL(text) }

    static func firstRepeated(_ values: [String]) -> String? {
        var seen = Set<String>()
        return values.first { !seen.insert($0).inserted }
    }

    static func pairs(_ items: [String]) -> [String: String] {
        Dictionary(items.compactMap(ScenarioOptions.split), uniquingKeysWith: { _, b in b })
    }

    /// Whether `--phases` names the pull phase, which is no build (``RunSettings/pull``).
    static func asksPull(_ text: String) -> Bool {
        text.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == "pull" }
    }

    static func parsePhases(_ text: String) throws -> [Phase] {
        let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0 != "pull" }
        var result: [Phase] = []
        for name in names {
            guard let phase = Phase(rawValue: name), phase != .ciNone else {
                throw ValidationError("--phases: unknown phase \"\(name)\"; use cold, warm, edit, ci and pull, e.g. --phases cold,warm,ci")
            }
            if !result.contains(phase) { result.append(phase) }
        }
        if result.isEmpty { throw ValidationError("--phases needs at least one of cold, warm, edit, ci") }
        return result.sorted()
    }

    func run() async throws {
        let printer = ProgressPrinter()
        let launcher = RunLauncher(clients: dockerOptions.clients, events: { printer.handle($0) })
        if let commits { return try await runCommits(commits, launcher: launcher, printer: printer) }
        let prepared: PreparedRun
        if let resume {
            guard let store = try database.openExisting() else { throw RequestError.runNotFound(String(resume), database: database.path) }
            if let stored = try await store.run(id: resume), stored.labels[CommitInfo.label] != nil, stored.status != .complete {
                let allowOutside = scenarioOptions.allowOutside
                let results = try await SignalTrap.cancelling {
                    try await CommitRuns.resume(stored, launcher: launcher, store: store, allowOutside: allowOutside) {
                        try await launcher.execute($0)
                    }
                }
                printer.finish()
                return try await finish(runID: resume, store: store, results: results ?? [])
            }
            guard let run = try await launcher.resume(resume, in: store, allowOutside: scenarioOptions.allowOutside) else { return }
            prepared = run
        } else {
            let (jobs, substitutions) = try scenarioOptions.selection.load()
            let request = NewRun(jobs: jobs, profile: substitutions.profileName, labels: Self.pairs(labels), settings: RunSettings(choices))
            prepared = try await launcher.start(request, openStore: database.open)
        }
        let results: [VariantResult]
        do {
            results = try await SignalTrap.cancelling { try await launcher.execute(prepared) }
            printer.finish()
        } catch {
            printer.finish()
            throw error
        }

        try await finish(runID: prepared.id, store: prepared.store, results: results)
    }

    /// Prints a finished run and maps what it found to the exit status.
    func finish(runID: Int64, store: any RunStore, results: [VariantResult]) async throws {
        let run = try await store.run(id: runID)
        let stored = try await store.variants(runID: runID).map(\.result)
        print(TableReport.render(RunReport(runs: [run].compactMap { $0 }, results: stored)), terminator: "")
        // Content findings by default; with --secret-names, files whose name alone looks secret too.
        func gated(_ r: VariantResult) -> [String] { (r.insight?.secrets ?? []) + (secretNames ? r.insight?.secretNames ?? [] : []) }
        let leaked = results.filter { !gated($0).isEmpty }
        if failOnSecrets && !leaked.isEmpty {
            let list = leaked.map { "\($0.scenario) \($0.name): \(gated($0).joined(separator: ", "))" }.joined(separator: "; ")
            Console.error(
                "secrets inside images: \(list); keep them out with a .dockerignore, or accept one with --allow-secret RULE|PATH")
            throw ExitStatus.secretInImage.exitCode
        }
        for skipped in results where skipped.status == .skipped {
            Console.note("skipped \(skipped.scenario) \(skipped.name): \(skipped.problem ?? "")")
        }
        var budgetFailed = false
        if check, let run {
            let result = BudgetCheck.evaluate(runID: run.id, results: stored, budgets: run.budgets)
            print("\n" + CheckReport.text(result), terminator: "")
            budgetFailed = result.failed
        }
        if results.contains(where: \.isUnexpected) {
            throw ExitStatus.unexpectedVariant.exitCode
        }
        if budgetFailed { throw ExitStatus.budgetExceeded.exitCode }
    }
}

extension EngineKind: ExpressibleByArgument {}

extension RunCommand {
    /// `run SCENARIO --commits RANGE [--steps N]`: one run per commit, oldest first; a summary line each
    /// on stderr and a table of the commits at the end. An interrupt stops the range (the commit in
    /// progress keeps what it finished; the same command again resumes it and skips measured commits).
    func runCommits(_ range: String, launcher: RunLauncher, printer: ProgressPrinter) async throws {
        // The range is read before the database is opened: a wrong range writes nothing.
        let repository = try await GitRepository.containing(scenarioOptions.scenarios[0], executor: launcher.clients.executor)
        let all = try await repository.commits(range)
        if all.isEmpty {
            throw RequestError(
                .noCommits, "--commits \(range) names no commits in \(repository.root); a range A..B holds the commits after A up to B")
        }
        let store = try database.open()
        let settings = RunSettings(choices)
        let runs = try CommitRuns(
            scenario: scenarioOptions.scenarios[0], in: repository, selection: scenarioOptions.selection, launcher: launcher, store: store,
            labels: Self.pairs(labels)
        ) { prepared in
            defer { printer.finish() }
            return try await launcher.execute(prepared)
        }
        let picked = CommitSteps.pick(count: all.count, steps: steps).map { all[$0] }
        Console.note("\(runs.name): \(picked.count) of \(all.count) commits of \(range), oldest first")
        let workTree = (try? scenarioOptions.selection.load().jobs) ?? []
        let environment = try await launcher.environment(workTree, settings: settings)
        let outcomes = try await SignalTrap.cancelling {
            var outcomes: [(CommitInfo, CommitRuns.Outcome)] = []
            for (i, commit) in picked.enumerated() {
                let outcome = try await runs.measure(commit, settings: settings, environment: environment)
                Console.note("commit \(i + 1)/\(picked.count) \(commit.short) \(CommitRuns.describe(outcome))")
                outcomes.append((commit, outcome))
            }
            return outcomes
        }
        print(CommitRunsReport.table(outcomes.map { ($0.0, $0.1.run, CommitRuns.describe($0.1)) }), terminator: "")
        print("\nPer commit: imagebench history \(runs.name) --by commit\(database.db.map { " --db \($0)" } ?? "")")
        if outcomes.contains(where: { if case .built(_, let results) = $0.1 { results.contains(where: \.isUnexpected) } else { false } }) {
            throw ExitStatus.unexpectedVariant.exitCode
        }
    }
}
