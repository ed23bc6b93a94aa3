import Foundation
import ImageBenchCore

/// Builds, measures and smoke-tests every variant of a run, recording each result as soon as it exists.
/// Variants are spread over the run's engines, `jobsPerEngine` at a time on each; every phase and
/// repetition of one variant runs on one engine.
public struct BenchmarkRunner: Sendable {
    public let engines: [EngineSlot]
    public let recorder: any RunRecording
    public let options: RunOptions
    public let events: @Sendable (RunEvent) -> Void
    /// Makes container names unique across databases sharing an engine, and labels every image this
    /// process builds (`imagebench.session`) so cleanup removes exactly those.
    let containerToken = String(UUID().uuidString.prefix(8)).lowercased()
    /// The classic builder's step images this runner made, for cleanup.
    let ledger = ImageLedger()
    public var session: String { containerToken }

    public init(
        engines: [EngineSlot], recorder: any RunRecording, options: RunOptions, events: @escaping @Sendable (RunEvent) -> Void = { _ in }
    ) {
        precondition(!engines.isEmpty, "a run needs an engine")
        self.engines = engines
        self.recorder = recorder
        self.options = options
        self.events = events
    }

    /// A runner on one engine.
    public init(
        docker: DockerClient, recorder: any RunRecording, options: RunOptions, environment: RunEnvironment,
        events: @escaping @Sendable (RunEvent) -> Void = { _ in }
    ) {
        self.init(engines: [EngineSlot(docker: docker, environment: environment)], recorder: recorder, options: options, events: events)
    }

    /// Runs every job; returns the variant results in order. Images are removed at the end unless
    /// `keepImages`, also when the run fails. `prior` holds what an earlier, stopped attempt at this run
    /// recorded (`run --resume`), by ``PriorVariant/key(scenario:variant:)``: finished variants are kept
    /// as they are, and a begun one builds only the repetitions it lacks.
    public func run(runID: Int64, jobs: [ScenarioJob], prior: [String: PriorVariant] = [:]) async throws -> [VariantResult] {
        let scratchRoot = FileManager.default.temporaryDirectory.appendingPathComponent("imagebench-run\(runID)-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: scratchRoot, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratchRoot) }
        let total = jobs.reduce(0) { $0 + $1.variants.count }
        var results: [Int: VariantResult] = [:]
        var waiting: [WorkQueue.Item] = []
        for job in jobs {
            for variant in job.variants {
                let index = results.count + waiting.count + 1
                let earlier = prior[PriorVariant.key(scenario: job.scenario.name, variant: variant.name)]
                if let earlier, earlier.result.status != .pending {
                    events(.variantStarted(scenario: job.scenario.name, variant: variant.name, index: index, total: total, engine: nil))
                    results[index] = earlier.result
                    events(.variantFinished(earlier.result))
                    continue
                }
                let kind = variant.settings.engine ?? options.defaultEngine
                // A begun variant finishes on the engine that built its first repetitions.
                let pinned = (earlier?.result.engine ?? earlier?.result.builds.first?.engine).flatMap { record in
                    engines.firstIndex { $0.record.endpoint == record.endpoint && $0.record.kind == kind }
                }
                waiting.append(WorkQueue.Item(index: index, job: job, variant: variant, prior: earlier, kind: kind, engine: pinned))
            }
        }
        let queue = WorkQueue(waiting, engines: engines.map(\.record.kind))
        do {
            try await withThrowingTaskGroup(of: [Int: VariantResult].self) { group in
                for engine in engines.indices {
                    for _ in 0..<max(1, options.jobsPerEngine) {
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
            events(
                .variantStarted(
                    scenario: item.job.scenario.name, variant: item.variant.name, index: item.index, total: total,
                    engine: engines.count > 1 ? slot.record.label : nil))
            let plan = BuildPlan(
                scenario: item.job.scenario, variant: item.variant, images: item.job.images, defaultBuilder: slot.environment.defaultBuilder,
                defaultEngine: options.defaultEngine)
            do {
                let result = try await runVariant(plan, on: engine, runID: runID, scratch: scratchRoot + "/v\(item.index)", prior: item.prior)
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
    /// the classic builder's cache, still go.
    func cleanUp() async { await removeImages(keepingOwn: options.keepImages) }

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

    /// Builds, measures and smoke-tests one variant on `engines[engineIndex]`.
    func runVariant(_ plan: BuildPlan, on engineIndex: Int, runID: Int64, scratch: String, prior: PriorVariant? = nil) async throws -> VariantResult {
        let scenario = plan.scenario
        let engine = engines[engineIndex]
        let docker = engine.docker
        let environment = engine.environment
        let variantID: Int64
        if let prior {
            variantID = prior.id
        } else {
            variantID = try await recorder.beginVariant(runID: runID, scenario: scenario.name, axes: plan.variant.axes)
        }
        var result = VariantResult(runID: runID, scenario: scenario.name, axes: plan.variant.axes)
        result.engine = engine.record
        // Builds an earlier attempt recorded (ok ones only: a failed build would have finished the variant).
        result.builds = (prior?.result.builds ?? []).filter { $0.outcome == .ok }
        let done = Set(result.builds.map { "\($0.phase.rawValue)/\($0.repetition)" })

        if let mismatch = plan.engineMismatch {
            result.status = .skipped
            result.problem = mismatch
            try await recorder.finishVariant(id: variantID, result: result)
            return result
        }
        if plan.builder == .buildkit && !environment.buildkitAvailable {
            result.status = .skipped
            result.problem =
                "\(plan.variant.name) asks for builder: buildkit, but \(environment.dockerPath) \(environment.dockerClient) has no BuildKit (no buildx plugin); use a client with BuildKit (--docker /usr/bin/docker for Debian's 20.10) or builder: classic"
            try await recorder.finishVariant(id: variantID, result: result)
            return result
        }
        do {
            for base in plan.baseImages { try await docker.ensurePresent(base) }
        } catch let error as DockerError {
            result.status = .buildFailed
            result.problem = error.description
            try await recorder.finishVariant(id: variantID, result: result)
            return result
        }

        let context = scratch + "/context"
        try prepareContext(plan, at: context)
        result.context = BuildContextFacts.scan(directory: context, dockerfile: plan.dockerfileInsideContext ? plan.dockerfile : "Dockerfile")
        defer { try? FileManager.default.removeItem(atPath: scratch) }

        let runLabel = String(runID)
        var canonicalImage: String?
        var firstOutput: String?

        /// One `docker build` of the context as it is now; throws when the engine went away.
        func build(_ phase: Phase, _ repetition: Int) async throws -> (outcome: CommandResult, imageID: String?) {
            let iidfile = context + ".iid"
            try? FileManager.default.removeItem(atPath: iidfile)
            let command = docker.commands.build(
                plan, phase: phase, runID: runLabel, contextDirectory: context, iidfile: iidfile, timeout: options.buildTimeout,
                session: containerToken)
            let outcome = try await docker.run(command)
            // Noted first: an interrupted build leaves the step images it committed, too.
            if plan.builder == .classic { await ledger.addIntermediates(DockerOutputParser.createdImages(outcome.stdout), engine: engineIndex) }
            // Stopped by Ctrl-C or SIGTERM: the build in flight is not a result, and nothing more runs.
            try Task.checkCancellation()
            let imageID = (try? String(contentsOfFile: iidfile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            // A build that failed because the engine went away is not the variant's failure: stop the run.
            if !outcome.succeeded, !(await docker.engineAnswers()) {
                throw EngineLost(
                    runID: runID, scenario: scenario.name, variant: plan.variant.name, phase: phase, repetition: repetition,
                    dockerSaid: outcome.tail(1))
            }
            return (outcome, outcome.succeeded ? imageID : nil)
        }

        // A warm or edit build measures a cache that holds the state before it. When that state was built
        // by an earlier attempt (--resume) or not at all (--phases warm), one build that is not recorded
        // fills the cache first; resuming, it also gives the image the analysis and smoke test need.
        var primed = false
        func prime() async throws -> Bool {
            let (outcome, imageID) = try await build(.warm, 0)
            guard let imageID else {
                result.status = .buildFailed
                result.problem = "the build that fills the cache before a warm or edit build failed: \(outcome.tail(1))"
                return false
            }
            if canonicalImage == nil { canonicalImage = imageID }
            if firstOutput == nil { firstOutput = outcome.stdout + "\n" + outcome.stderr }
            primed = true
            return true
        }
        if !done.isEmpty, !(try await prime()) {
            try await recorder.finishVariant(id: variantID, result: result)
            return result
        }

        phases: for phase in options.phases {
            if phase == .edit && scenario.edit == nil { continue }
            for repetition in 1...options.repeatCount {
                let missing = !done.contains("\(phase.rawValue)/\(repetition)")
                if missing && phase != .cold && !primed {
                    guard try await prime() else { break phases }
                }
                if phase == .edit, let edit = scenario.edit {
                    try appendEdit(edit, number: repetition, tag: "\(containerToken)-v\(variantID)", context: context)
                    primed = false
                }
                guard missing else { continue }
                events(.buildStarted(phase: phase, repetition: repetition, of: options.repeatCount))
                let started = Date()
                let (outcome, imageID) = try await build(phase, repetition)
                primed = true
                let status: BuildOutcome = outcome.timedOut ? .timeout : (outcome.succeeded && imageID != nil ? .ok : .failed)
                let record = BuildRecord(
                    phase: phase, repetition: repetition, startedAt: started, seconds: outcome.seconds, outcome: status,
                    exitCode: outcome.exitCode, builder: plan.builder, imageID: imageID,
                    outputTail: status == .ok ? nil : outcome.tail(40), engine: engine.record)
                try await recorder.record(build: record, variantID: variantID)
                result.builds.append(record)
                events(.buildFinished(record))
                if firstOutput == nil { firstOutput = outcome.stdout + "\n" + outcome.stderr }
                if status != .ok {
                    result.status = .buildFailed
                    let last = outcome.tail(1)
                    result.problem =
                        "\(phase) build \(repetition) "
                        + (status == .timeout
                            ? "timed out after \(Int(options.buildTimeout ?? 0)) s"
                            : "failed (exit \(outcome.exitCode.map(String.init) ?? "signal"))") + (last.isEmpty ? "" : ": \(last)")
                    break phases
                }
                if canonicalImage == nil || phase == .cold && repetition == 1 { canonicalImage = imageID }
            }
        }
        result.contextBytes = firstOutput.flatMap(DockerOutputParser.contextBytes)

        if result.status != .buildFailed, let image = canonicalImage {
            let inspect = try await docker.inspectJSON(image)
            result.image = try await docker.imageFacts(image, ref: plan.tag(runID: runLabel, session: containerToken), inspect: inspect)
            do {
                result.insight = ImageInsight(try await analyse(image, plan: plan, docker: docker, runID: runLabel, inspect: inspect))
            } catch let error as DockerError {
                result.problem = "could not analyse the image: \(error)"
            } catch let error as RegistryError {
                result.problem = "could not measure the compressed size: \(error)"
            }
            events(.smokeStarted)
            let smoke = try await runSmoke(image: image, plan: plan, docker: docker, runID: runLabel, index: variantID)
            result.smoke = smoke
            result.status = Self.status(smoke: smoke, expectBroken: plan.variant.expectBroken)
            if result.status == .broken {
                result.problem = "smoke test failed: " + Self.smokeFailure(smoke, spec: scenario.smoke)
            } else if smoke.ok, let stale = plan.variant.expectBroken {
                result.problem =
                    "\(scenario.file):\(stale.line): expect-broken \(stale.description) is stale: \(plan.variant.name) ran fine; remove the entry"
            }
        }
        try await recorder.finishVariant(id: variantID, result: result)
        return result
    }

    /// The image's layers, with their compressed sizes from the registry when `--registry` names one,
    /// else estimated while the layers stream past.
    func analyse(_ image: String, plan: BuildPlan, docker: DockerClient, runID: String, inspect: String) async throws -> ImageLayers {
        var layers = try await docker.layers(of: image, inspect: inspect, estimateCompressed: options.registry == nil)
        if let address = options.registry {
            let reference = plan.tag(runID: runID, session: containerToken)
            let colon = reference.lastIndex(of: ":")!
            layers.compressed = try await docker.pushedLayerSizes(
                of: image, registry: RegistryClient(address: address), repository: String(reference[..<colon]),
                tag: String(reference[reference.index(after: colon)...]))
        }
        return layers
    }

    /// The step images the classic builder made for a run (not taken from the cache), for cleanup: a
    /// multi-stage build's builder stages would stay behind, dangling, once the final images are gone.
    actor ImageLedger {
        private var made: [Int: [String]] = [:]
        func addIntermediates(_ more: [String], engine: Int) { made[engine, default: []] += more }
        func intermediates(of engine: Int) -> [String] { made[engine] ?? [] }
    }

    /// The variant's status from its smoke test.
    public static func status(smoke: SmokeResult, expectBroken: AxisSelector?) -> VariantStatus {
        if smoke.ok { return .ok }
        return expectBroken == nil ? .broken : .expectedBroken
    }

    static func smokeFailure(_ smoke: SmokeResult, spec: SmokeSpec) -> String {
        if smoke.timedOut { return "no exit within \(String(format: "%g", spec.timeoutSeconds)) s" }
        let last = smoke.output.split(separator: "\n").last.map(String.init) ?? ""
        if smoke.exitCode != spec.expectExit {
            return "exit \(smoke.exitCode.map(String.init) ?? "signal"), expected \(spec.expectExit)" + (last.isEmpty ? "" : ": \(last)")
        }
        return "output lacks \"\(spec.expectOutput ?? "")\"" + (last.isEmpty ? "" : ": \(last)")
    }

    func runSmoke(image: String, plan: BuildPlan, docker: DockerClient, runID: String, index: Int64) async throws -> SmokeResult {
        let spec = plan.scenario.smoke
        // Run ids are unique only within one database: a random token keeps two runs 1 apart on one engine.
        let name = "imagebench-r\(runID)-v\(index)-\(containerToken)"
        let outcome = try await docker.run(docker.commands.smoke(image: image, name: name, runID: runID, spec: spec, platform: plan.platform))
        if outcome.timedOut || outcome.exitCode == nil || Task.isCancelled {
            // The client is gone but the container may still run: remove it, even when cancelled.
            _ = await Task.detached { try? await docker.run(docker.commands.removeContainer(name)) }.value
        }
        try Task.checkCancellation()
        let stdout = outcome.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let stderr = outcome.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        var ok = !outcome.timedOut && outcome.exitCode == spec.expectExit
        if let expected = spec.expectOutput, !stdout.contains(expected) { ok = false }
        let output = [stdout, stderr].filter { !$0.isEmpty }.joined(separator: "\n")
        return SmokeResult(
            ok: ok, exitCode: outcome.timedOut ? nil : outcome.exitCode, seconds: outcome.seconds, output: String(output.suffix(4000)),
            timedOut: outcome.timedOut)
    }

    /// Copies the context to `path` and applies the variant's .dockerignore choice; the user's files stay untouched.
    func prepareContext(_ plan: BuildPlan, at path: String) throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try fm.copyItem(atPath: plan.scenario.context, toPath: path)
        switch plan.dockerignore {
        case .none?:
            try? fm.removeItem(atPath: path + "/.dockerignore")
        case .file(let file)?:
            try? fm.removeItem(atPath: path + "/.dockerignore")
            try fm.copyItem(atPath: file, toPath: path + "/.dockerignore")
        case nil:
            break
        }
    }

    func appendEdit(_ edit: EditSpec, number: Int, tag: String, context: String) throws {
        let path = context + "/" + edit.file
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        let end = try handle.seekToEnd()
        var prefix = ""
        if end > 0 {
            try handle.seek(toOffset: end - 1)
            if handle.readData(ofLength: 1) != Data([0x0A]) { prefix = "\n" }
            try handle.seekToEnd()
        }
        handle.write(Data((prefix + edit.line(number: number, tag: tag) + "\n").utf8))
    }
}
