import Foundation
import ImageBenchCore
import ImageBenchDocker
import ImageBenchStore

/// A scenario as it was at commits of its git repository: `run --commits` and `bisect`. Each commit's
/// tree is written with `git archive` to a scratch folder (the user's work tree, index, stash and refs
/// are only read), loaded and built there as one run labelled `commit=SHA`; a commit whose scenario is
/// missing or does not load is recorded as a skipped run with the reason. A commit already measured
/// with the same settings here is not built again; an unfinished run of it is resumed.
struct CommitRuns: Sendable {
    let repository: GitRepository
    /// The scenario folder (or its scenario.yaml), absolute, under the repository's top folder.
    let scenario: String
    /// The scenario's name where the commit has none that loads (the work tree's, or the folder's).
    let name: String
    /// `--profile`, `--image`, `--only` and `--allow-outside`; the paths are each checkout's.
    let selection: ScenarioSelection
    let launcher: RunLauncher
    let store: ResultStore
    let labels: [String: String]
    /// Builds a prepared run (the command's progress printing and signal handling around it).
    let execute: @Sendable (PreparedRun) async throws -> [VariantResult]

    /// `repository`: the one holding `scenario` (``GitRepository/containing(_:executor:)``).
    init(
        scenario: String, in repository: GitRepository, selection: ScenarioSelection, launcher: RunLauncher, store: ResultStore,
        labels: [String: String] = [:], execute: @escaping @Sendable (PreparedRun) async throws -> [VariantResult]
    ) throws {
        let relative = try repository.relativePath(of: scenario)
        self.repository = repository
        self.scenario = relative.isEmpty ? repository.root : repository.root + "/" + relative
        let loader = ScenarioLoader(allowOutside: selection.allowOutside)
        let folder = scenario.hasSuffix(".yaml") || scenario.hasSuffix(".yml") ? (scenario as NSString).deletingLastPathComponent : scenario
        self.name = (try? loader.load(path: scenario).name) ?? URL(fileURLWithPath: folder).standardizedFileURL.lastPathComponent
        self.selection = selection
        self.launcher = launcher
        self.store = store
        self.labels = labels
        self.execute = execute
    }

    /// What measuring one commit came to.
    enum Outcome {
        /// Built now (a new run, or an unfinished one resumed).
        case built(RunRecord, [VariantResult])
        /// A complete run of this commit with the same settings was already here.
        case reused(RunRecord)
        /// Nothing to build at this commit: the run recording it and the reason.
        case skipped(RunRecord)

        var run: RunRecord {
            switch self {
            case .built(let run, _), .reused(let run), .skipped(let run): run
            }
        }
    }

    /// The commit's tree in a new scratch folder for `body`; the folder is removed afterwards.
    func withCheckout<T>(_ commit: CommitInfo, _ body: (CommitCheckout) async throws -> T) async throws -> T {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("imagebench-commit-\(commit.short)-\(UUID().uuidString.prefix(8).lowercased())").path
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw GitError("cannot make the scratch folder \(folder) for commit \(commit.short): \(error.localizedDescription)")
        }
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await repository.export(commit.sha, to: folder)
        return try await body(CommitCheckout(commit: commit, folder: folder, repository: repository.root))
    }

    /// The scenario's jobs at a checkout (only `variant`, when given), or why there are none.
    func load(_ checkout: CommitCheckout, variant: String? = nil) -> Result<(jobs: [ScenarioJob], profile: String?), Skip> {
        let path = checkout.scratch(scenario)
        let shown = checkout.describe(path)
        guard FileManager.default.fileExists(atPath: path) else { return .failure(Skip("\(shown) does not exist at this commit")) }
        var selection = selection
        selection.paths = [path]
        do {
            var (jobs, substitutions) = try selection.load()
            if let variant {
                let names = jobs.flatMap { $0.variants.map(\.name) }
                for i in jobs.indices { jobs[i].variants = jobs[i].variants.filter { $0.name == variant } }
                if jobs.allSatisfy(\.variants.isEmpty) {
                    return .failure(
                        Skip("\(shown) has no variant \(variant) at this commit (variants: \(names.joined(separator: "; ")))", variant: variant))
                }
            }
            return .success((jobs, substitutions.profileName))
        } catch {
            return .failure(Skip(checkout.describe(String(describing: error))))
        }
    }

    /// Why a commit was skipped: the scenario does not load there, or (`variant`) it has no such variant.
    struct Skip: Error {
        var reason: String
        var variant: String?
        init(_ reason: String, variant: String? = nil) {
            self.reason = reason
            self.variant = variant
        }
    }

    /// Whether `run` recorded a skip of this scenario that holds for `variant` (nil: the whole
    /// scenario): a scenario that does not load holds for every variant, a missing variant for itself.
    func skipHolds(_ run: RunRecord, variant: String?) -> Bool {
        guard run.status == .skipped, run.scenarios.contains(where: { $0.name == name }) else { return false }
        let skippedVariants = run.plan?.variants[name] ?? []
        return skippedVariants.isEmpty || skippedVariants == variant.map { [$0] }
    }

    /// Measures one commit with `settings` (only `variant`, when given): the run already here, the
    /// unfinished one resumed, a new one, or a skipped run recorded. `environment`: this machine's.
    func measure(_ commit: CommitInfo, settings: RunSettings, variant: String? = nil, environment: RunEnvironment) async throws -> Outcome {
        let earlier = try await store.runs(labelled: CommitInfo.label, commit.sha)
        return try await withCheckout(commit) { checkout in
            switch load(checkout, variant: variant) {
            case .failure(let skip):
                if let recorded = earlier.last(where: { skipHolds($0, variant: variant) }) { return .skipped(recorded) }
                let now = Date()
                var run = RunRecord(
                    startedAt: now, finishedAt: now, status: .skipped, labels: runLabels(commit), profile: selection.profile,
                    environment: environment,
                    scenarios: [
                        RunScenario(
                            name: name, path: scenario, contentHash: "", gitCommit: commit.sha, gitDate: commit.date, gitSubject: commit.subject)
                    ],
                    plan: RunPlan(variants: [name: skip.variant.map { [$0] } ?? []], settings: settings), problem: skip.reason)
                run.id = try await store.createRun(run)
                return .skipped(run)
            case .success(let loaded):
                let plan = RunPlan(
                    variants: Dictionary(loaded.jobs.map { ($0.scenario.name, $0.variants.map(\.name)) }, uniquingKeysWith: { a, _ in a }),
                    settings: settings)
                let hashes = loaded.jobs.map { $0.scenario.contentHash() }
                let same = earlier.filter { run in
                    run.plan == plan && run.profile == loaded.profile && environment.differences(from: run.environment).isEmpty
                        && zip(loaded.jobs, hashes).allSatisfy { job, hash in
                            run.scenarios.contains {
                                $0.name == job.scenario.name && $0.contentHash == hash && Self.sameImages($0.images, job.images)
                            }
                        }
                }
                if let done = same.last(where: { $0.status == .complete }) { return .reused(done) }
                let prepared: PreparedRun
                if let unfinished = same.last(where: { $0.status == .interrupted || $0.status == .failed }),
                    let resumed = try await launcher.resume(unfinished.id, in: store, allowOutside: selection.allowOutside, checkout: checkout)
                {
                    prepared = resumed
                } else {
                    let request = NewRun(
                        jobs: loaded.jobs, profile: loaded.profile, labels: runLabels(commit), settings: settings, checkout: checkout)
                    prepared = try await launcher.start(request, openStore: { store })
                }
                let results = try await execute(prepared)
                guard let run = try await store.run(id: prepared.id) else {
                    throw RequestError.runNotFound(String(prepared.id), database: store.path)
                }
                return .built(run, results)
            }
        }
    }

    /// The same images asked for and used; what a stand-in says it holds (recorded when the run
    /// started, not known when a scenario is loaded) does not count.
    static func sameImages(_ a: [ResolvedImage], _ b: [ResolvedImage]) -> Bool {
        func plain(_ images: [ResolvedImage]) -> [ResolvedImage] {
            images.map {
                var i = $0; i.provides = nil; return i
            }
        }
        return plain(a) == plain(b)
    }

    /// One line for what measuring a commit came to.
    static func describe(_ outcome: Outcome) -> String {
        switch outcome {
        case .built(let run, let results):
            let failed = results.filter(\.isUnexpected).count
            return "run \(run.id): built \(results.count) variant\(results.count == 1 ? "" : "s")" + (failed > 0 ? ", \(failed) unexpected" : "")
        case .reused(let run): return "run \(run.id): already measured with these settings"
        case .skipped(let run): return "run \(run.id): skipped, \(run.problem ?? "")"
        }
    }

    func runLabels(_ commit: CommitInfo) -> [String: String] {
        labels.merging([CommitInfo.label: commit.sha]) { _, b in b }
    }

    /// `run --resume ID` of a run over commits: a fresh checkout of its commit, the run resumed from it.
    static func resume(
        _ run: RunRecord, launcher: RunLauncher, store: ResultStore, allowOutside: Bool,
        execute: @escaping @Sendable (PreparedRun) async throws -> [VariantResult]
    ) async throws -> [VariantResult]? {
        guard let sha = run.labels[CommitInfo.label], let stored = run.scenarios.first else { return nil }
        let repository = try await GitRepository.containing(stored.path, executor: launcher.clients.executor)
        let runs = try CommitRuns(
            scenario: stored.path, in: repository, selection: ScenarioSelection(allowOutside: allowOutside), launcher: launcher, store: store,
            execute: execute)
        let commit = try await runs.repository.commit(sha)
        return try await runs.withCheckout(commit) { checkout in
            guard let prepared = try await launcher.resume(run.id, in: store, allowOutside: allowOutside, checkout: checkout) else { return [] }
            return try await execute(prepared)
        }
    }
}
