import ArgumentParser
import Foundation
import ImageBenchCore
import ImageBenchDocker
import ImageBenchReport
import ImageBenchStore

struct BisectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bisect",
        abstract: "Find the first commit between a good and a bad one at which a variant's size or time moved beyond a threshold.",
        discussion: """
            Builds about log2(commits) commits of the range (git log --first-parent GOOD..BAD), each from a scratch checkout as \
            `run --commits` does, and uses every result the database already has for a commit (runs labelled commit=SHA made \
            on this machine and engine). A commit moved when its value differs from the good commit's by more than the \
            threshold, in the direction the bad commit moved; for times also significantly by Welch's t-test over the \
            repetitions. Exit status: 0 found, 8 not found (commits that could not be measured hide it), 9 the good and bad \
            commits do not differ.
            """)

    @OptionGroup var scenarioOptions: ScenarioOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var dockerOptions: DockerOptions

    @Option(name: .long, help: ArgumentHelp("A commit where the metric is as it should be (any git revision).", valueName: "rev"))
    var good: String

    @Option(name: .long, help: ArgumentHelp("A later commit where it is not (default: HEAD).", valueName: "rev"))
    var bad = "HEAD"

    @Option(name: .long, help: "size, compressed, cold, warm, edit or start.")
    var metric: Metric = .size

    @Option(
        name: .long, help: ArgumentHelp("The variant to follow, e.g. linking=static; needed when the scenario has several.", valueName: "variant"))
    var variant: String?

    @Option(
        name: .long,
        help: ArgumentHelp("The change from the good value that counts as moved, in percent (default: the scenario's threshold).", valueName: "pct"))
    var threshold: String?

    @Option(name: .customLong("repeat"), help: "Builds per commit for a time metric (default: \(RunSettings.defaults.repeatCount)).")
    var repeatCount: Int?

    @Option(
        name: .customLong("image-label"),
        help: ArgumentHelp("Add a docker label to every image and container the builds make. Repeatable.", valueName: "key=value"))
    var imageLabels: [String] = []

    func validate() throws {
        try RunCommand.checkImageLabels(imageLabels)
        if scenarioOptions.scenarios.count != 1 {
            throw ValidationError("bisect follows one scenario; name its folder, e.g. imagebench bisect Scenarios/go-http --good v1.0")
        }
        if !Bisection.metrics.contains(metric) {
            throw ValidationError("--metric \(metric.rawValue) cannot be bisected; use size, compressed, cold, warm, edit or start")
        }
        if let threshold, (Thresholds.parsePercent(threshold) ?? -1) < 0 {
            throw ValidationError("--threshold \"\(threshold)\" is not a percentage; write e.g. 5 or 5%")
        }
        if let repeatCount, !(2...1000).contains(repeatCount) {
            throw ValidationError("--repeat must be between 2 and 1000 (Welch's test needs two builds per commit), e.g. --repeat 3")
        }
    }

    func run() async throws {
        let printer = ProgressPrinter()
        let launcher = RunLauncher(clients: dockerOptions.clients, events: { printer.handle($0) })
        // The commits are read before the database is opened: a wrong revision writes nothing.
        let repository = try await GitRepository.containing(scenarioOptions.scenarios[0], executor: launcher.clients.executor)
        let goodCommit = try await repository.commit(good)
        let badCommit = try await repository.commit(bad)
        guard goodCommit.sha != badCommit.sha, try await repository.isAncestor(goodCommit.sha, of: badCommit.sha) else {
            throw RequestError(
                .noCommits,
                "--good \(good) (\(goodCommit.short)) must be an earlier commit than --bad \(bad) (\(badCommit.short)) on the same line of history")
        }
        let commits = [goodCommit] + (try await repository.commits("\(goodCommit.sha)..\(badCommit.sha)"))
        let store = try database.open()
        let runs = try CommitRuns(
            scenario: scenarioOptions.scenarios[0], in: repository, selection: scenarioOptions.selection, launcher: launcher, store: store
        ) { prepared in
            defer { printer.finish() }
            return try await launcher.execute(prepared)
        }
        let settings = RunSettings(
            RunSettings.Choices(
                repeatCount: metric.isTime ? repeatCount ?? RunSettings.defaults.repeatCount : 1, phases: Bisection.phases(for: metric),
                imageLabels: imageLabels.isEmpty ? nil : RunCommand.pairs(imageLabels)))
        let workTree = (try? scenarioOptions.selection.load().jobs) ?? []
        let environment = try await launcher.environment(workTree, settings: settings)
        let (chosen, thresholds) = try await scenarioAt(runs, badCommit)
        let limit = threshold.flatMap(Thresholds.parsePercent) ?? thresholds.limit(for: metric)
        let probe = BisectProbe(runs: runs, store: store, metric: metric, variant: chosen, settings: settings, environment: environment)
        let metric = metric
        let result = try await SignalTrap.cancelling { try await Self.search(commits, probe: probe, metric: metric, threshold: limit) }
        print(
            BisectReport.render(
                BisectReport.Input(
                    scenario: runs.name, variant: chosen, metric: metric, thresholdPercent: limit, commits: commits, trials: result.trials,
                    outcome: result.outcome)), terminator: "")
        switch result.outcome {
        case .found: return
        case .ambiguous: throw ExitStatus.bisectNotFound.exitCode
        case nil: throw ExitStatus.noDifference.exitCode
        }
    }

    /// Measures the good and the bad commit, then searches between them; a nil outcome: they do not differ.
    static func search(_ commits: [CommitInfo], probe: BisectProbe, metric: Metric, threshold: Double) async throws -> (
        trials: [Int: Bisection.Trial], outcome: Bisection.Outcome?
    ) {
        let last = commits.count - 1
        var trials: [Int: Bisection.Trial] = [:]
        for (i, end) in [(0, "good"), (last, "bad")] {
            trials[i] = try await probe.measure(commits[i])
            if trials[i]?.sample == nil {
                throw RequestError(
                    .unmeasurable,
                    "the \(end) commit \(commits[i].short) has no \(metric.rawValue) of \(probe.variant): \(trials[i]?.skipped ?? "no value recorded")"
                )
            }
        }
        let judge = Bisection.Judge(metric: metric, thresholdPercent: threshold, good: trials[0]!.sample!)
        let bad = trials[last]!.sample!
        let direction = bad.value - judge.good.value
        trials[0]?.moved = false
        trials[last]?.moved = judge.moved(bad, direction: direction)
        guard trials[last]?.moved == true else { return (trials, nil) }
        var known: [Int: Bool] = [:]
        for i in 1..<last {
            guard var trial = try await probe.stored(commits[i]) else { continue }
            trial.moved = trial.sample.map { judge.moved($0, direction: direction) }
            trials[i] = trial
            if let moved = trial.moved { known[i] = moved }
        }
        let outcome = try await Bisection.search(count: commits.count, known: known) { i in
            if let trial = trials[i] { return trial.moved }
            var trial = try await probe.measure(commits[i])
            trial.moved = trial.sample.map { judge.moved($0, direction: direction) }
            trials[i] = trial
            return trial.moved
        }
        return (trials, outcome)
    }

    /// The variant to follow (the scenario's only one, unless --variant names it) and the scenario's
    /// thresholds, as the bad commit has them.
    func scenarioAt(_ runs: CommitRuns, _ commit: CommitInfo) async throws -> (String, Thresholds) {
        try await runs.withCheckout(commit) { checkout in
            switch runs.load(checkout) {
            case .failure(let skip):
                throw RequestError(.unmeasurable, "the bad commit \(commit.short) has no scenario to build: \(skip.reason)")
            case .success(let loaded):
                let names = loaded.jobs.flatMap { $0.variants.map(\.name) }
                let thresholds = loaded.jobs.first?.scenario.thresholds ?? Thresholds()
                if let variant {
                    guard names.contains(variant) else {
                        throw RequestError(
                            .unknownFilter,
                            "--variant \(variant): the scenario has no such variant at \(commit.short); variants: \(names.joined(separator: "; "))")
                    }
                    return (variant, thresholds)
                }
                guard names.count == 1 else {
                    throw RequestError(
                        .unknownFilter,
                        "the scenario has \(names.count) variants; choose one with --variant, e.g. --variant \(names.first ?? "NAME") (variants: \(names.joined(separator: "; ")))"
                    )
                }
                return (names[0], thresholds)
            }
        }
    }
}
