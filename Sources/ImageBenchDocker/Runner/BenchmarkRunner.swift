import Foundation
import ImageBenchCore

/// Builds, measures and smoke-tests every variant of a run, recording each result as soon as it exists.
/// Variants are spread over the run's engines, `jobsPerHost` at a time on each; every phase and
/// repetition of one variant runs on one engine (a ``VariantPipeline``).
public struct BenchmarkRunner: Sendable {
    public let engines: [EngineSlot]
    public let recorder: any RunRecording
    public let settings: RunSettings
    public let events: @Sendable (RunEvent) -> Void
    /// The `ci` phase's fresh runner, or why there is none (when the run has the phase).
    public var fresh: FreshRunner? = nil
    public var freshUnavailable: String? = nil
    /// The engines axis values name that do not answer, and why: the variants naming them are skipped.
    public var unavailableEngines: [NamedEngine: String] = [:]
    /// Makes container names unique across databases sharing an engine, and labels every image this
    /// process builds (`imagebench.session`) so cleanup removes exactly those.
    public var containerToken = String(UUID().uuidString.prefix(8)).lowercased()
    /// The classic builder's step images this runner made, for cleanup.
    let ledger = ImageLedger()
    public var session: String { containerToken }

    public init(
        engines: [EngineSlot], recorder: any RunRecording, settings: RunSettings, events: @escaping @Sendable (RunEvent) -> Void = { _ in }
    ) {
        precondition(!engines.isEmpty, "a run needs an engine")
        self.engines = engines
        self.recorder = recorder
        self.settings = settings
        self.events = events
    }

    /// A runner on one engine.
    public init(
        docker: DockerClient, recorder: any RunRecording, settings: RunSettings, environment: RunEnvironment,
        events: @escaping @Sendable (RunEvent) -> Void = { _ in }
    ) {
        self.init(engines: [EngineSlot(docker: docker, environment: environment)], recorder: recorder, settings: settings, events: events)
    }

    /// Runs every job; returns the variant results in order. Images are removed at the end unless
    /// `keepImages`, also when the run fails. `prior` holds what an earlier, stopped attempt at this run
    /// recorded (`run --resume`): finished variants are kept as they are, and a begun one builds only
    /// the repetitions it lacks.
    public func run(runID: Int64, jobs: [ScenarioJob], prior: [VariantKey: StoredVariant] = [:]) async throws -> [VariantResult] {
        let scratchRoot = FileManager.default.temporaryDirectory.appendingPathComponent("imagebench-run\(runID)-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: scratchRoot, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratchRoot) }
        let total = jobs.reduce(0) { $0 + $1.variants.count }
        var results: [Int: VariantResult] = [:]
        var waiting: [WorkQueue.Item] = []
        for job in jobs {
            for variant in job.variants {
                let index = results.count + waiting.count + 1
                let key = VariantKey(scenario: job.scenario.name, variant: variant.name)
                let earlier = prior[key]
                if let earlier, earlier.result.status != .pending {
                    events(.variantStarted(key, index: index, total: total, engine: nil))
                    results[index] = earlier.result
                    events(.variantFinished(earlier.result))
                    continue
                }
                let kind = variant.settings.engine ?? settings.engine
                if let named = variant.settings.namedEngine, !engines.contains(where: { $0.named == named }) {
                    events(.variantStarted(key, index: index, total: total, engine: nil))
                    var skipped = VariantResult(runID: runID, scenario: job.scenario.name, axes: variant.axes, status: .skipped)
                    skipped.problem = unavailableEngines[named] ?? "its engine \(named) is not one of the run's engines"
                    let rowID: Int64
                    if let earlier {
                        rowID = earlier.id
                    } else {
                        rowID = try await recorder.beginVariant(runID: runID, scenario: job.scenario.name, axes: variant.axes)
                    }
                    try await recorder.finishVariant(id: rowID, result: skipped)
                    results[index] = skipped
                    events(.variantFinished(skipped))
                    continue
                }
                // A begun variant finishes on the engine that built its first repetitions.
                let pinned = (earlier?.result.engine ?? earlier?.result.builds.first?.engine).flatMap { record in
                    engines.firstIndex { $0.record.endpoint == record.endpoint && $0.record.kind == kind }
                }
                waiting.append(
                    WorkQueue.Item(
                        index: index, job: job, variant: variant, prior: earlier, kind: kind, engine: pinned, named: variant.settings.namedEngine))
            }
        }
        let queue = WorkQueue(waiting, engines: engines.map(\.record.kind), named: engines.map(\.named))
        do {
            try await withThrowingTaskGroup(of: [Int: VariantResult].self) { group in
                for engine in engines.indices {
                    for _ in 0..<max(1, settings.jobsPerHost) {
                        group.addTask { try await work(on: engine, from: queue, runID: runID, total: total, scratchRoot: scratchRoot) }
                    }
                }
                for try await finished in group { results.merge(finished) { a, _ in a } }
            }
        } catch {
            await cleanUp()
            throw error
        }
        await cleanUp()
        // Variants no engine could finish: their engine stopped answering, and no other engine of their kind was left.
        if let lost = await queue.firstLoss {
            var failure = lost
            failure.finishedElsewhere = results.count
            throw failure
        }
        return results.sorted { $0.key < $1.key }.map(\.value)
    }

    /// One worker of one engine: takes variants from the queue until it is empty or the engine stops
    /// answering; then the variant in flight stays unfinished (`run --resume` builds it) and the rest
    /// of the queue goes to the other engines.
    private func work(on engine: Int, from queue: WorkQueue, runID: Int64, total: Int, scratchRoot: String) async throws -> [Int: VariantResult] {
        let slot = engines[engine]
        var finished: [Int: VariantResult] = [:]
        while let item = await queue.next(for: engine) {
            let key = VariantKey(scenario: item.job.scenario.name, variant: item.variant.name)
            events(.variantStarted(key, index: item.index, total: total, engine: engines.count > 1 ? slot.record.label : nil))
            var pipeline = VariantPipeline(
                plan: BuildPlan(
                    scenario: item.job.scenario, variant: item.variant, images: item.job.images, defaultBuilder: slot.environment.defaultBuilder,
                    defaultEngine: settings.engine),
                engine: slot, engineIndex: engine, runID: runID, settings: settings, session: containerToken,
                scratch: scratchRoot + "/v\(item.index)", prior: item.prior, recorder: recorder, ledger: ledger, events: events)
            pipeline.fresh = fresh
            pipeline.freshUnavailable = freshUnavailable
            do {
                let result = try await pipeline.run()
                finished[item.index] = result
                events(.variantFinished(result))
            } catch var lost as EngineLost {
                if engines.count > 1 { lost.engine = slot.record.label }
                await queue.lose(engine: engine, lost)
                return finished
            }
        }
        return finished
    }

    /// Removes exactly the images this run process built (never another's, even one a cache hit handed
    /// to it); runs detached so it completes even when the run was cancelled. With `keepImages` the
    /// variants' images stay, but the dangling step images of builder stages, which nothing can use but
    /// the classic builder's cache, still go. An engine that no longer answers keeps what it holds.
    func cleanUp() async { await removeImages(keepingOwn: settings.keepImages) }

    /// Removes what this runner built: its images and the classic builder's dangling step images. The
    /// end of a run does it unless `keepImages`; with it, call this when the images are no longer needed.
    public func removeImages() async { await removeImages(keepingOwn: false) }

    private func removeImages(keepingOwn: Bool) async {
        let token = containerToken
        for (index, engine) in engines.enumerated() {
            let docker = engine.docker
            let intermediates = await ledger.intermediates(of: index)
            _ = await Task.detached {
                if !keepingOwn { _ = try? await docker.removeSessionImages(token) }
                await docker.removeIntermediates(intermediates, sparing: keepingOwn ? token : nil)
            }.value
        }
    }
}
