import Foundation
import ImageBenchCore

/// One variant's life on one engine, as named stages that pass values on:
///
///     preflight → prepare context → build phases → inspect and analyse → smoke test
///
/// ``run()`` is the one place that finishes the variant. Every engine command goes through an
/// ``EngineWatch``, so an engine that stops answering in any stage leaves the variant unfinished
/// (``EngineLost``), never with a status it did not earn.
struct VariantPipeline: Sendable {
    let plan: BuildPlan
    var engine: EngineSlot
    /// `engine`'s index in the run, for the ledger of classic step images.
    let engineIndex: Int
    let runID: Int64
    let settings: RunSettings
    /// The run process's token: in image tags, container names and the session label.
    let session: String
    /// A folder of the variant's own, removed when it ends.
    let scratch: String
    /// What an earlier, stopped attempt at this run recorded for the variant (`run --resume`).
    let prior: StoredVariant?
    let recorder: any RunRecording
    let ledger: ImageLedger
    let events: @Sendable (RunEvent) -> Void
    /// The fresh runner of the `ci` phase, when the run has one and it could be had.
    var fresh: FreshRunner? = nil
    /// Why the run's `ci` phase cannot be built here, when it has one and it cannot.
    var freshUnavailable: String? = nil

    var docker: DockerClient { engine.docker }
    /// The platform the variant's containers run as (of a list, the engine's own when listed).
    var runPlatform: String? { plan.runPlatform(native: engine.environment.architecture.isEmpty ? nil : engine.environment.architecture) }
    var scenario: Scenario { plan.scenario }
    var runLabel: String { String(runID) }
    /// Secret findings left out: the run's `--allow-secret` and the scenario's `secrets: allow:`.
    var secretAllowlist: SecretAllowlist { settings.allowSecrets.merged(with: scenario.secretAllowlist) }
    var watch: EngineWatch { EngineWatch(docker: docker, runID: runID, variant: VariantKey(scenario: scenario.name, variant: plan.variant.name)) }

    /// Runs every stage and stores the variant's result; throws ``EngineLost`` or `CancellationError`
    /// with the variant left unfinished (its finished builds are already stored).
    func run() async throws -> VariantResult {
        let rowID: Int64
        if let prior {
            rowID = prior.id
        } else {
            rowID = try await recorder.beginVariant(runID: runID, scenario: scenario.name, axes: plan.variant.axes)
        }
        let result = try await measure(rowID: rowID)
        try await recorder.finishVariant(id: rowID, result: result)
        return result
    }

    /// The stages in order; each returns what the next needs, and a stage that ends the variant early
    /// returns its result.
    private func measure(rowID: Int64) async throws -> VariantResult {
        var result = VariantResult(runID: runID, scenario: scenario.name, axes: plan.variant.axes)
        result.engine = engine.record
        result.target = plan.target
        result.platform = plan.platform
        if plan.platform != nil { result.targetPlatformRuns = plan.targetPlatformRuns }
        // Builds an earlier attempt recorded (ok ones only: a failed build would have finished the variant).
        result.builds = (prior?.result.builds ?? []).filter { $0.outcome == .ok }

        switch try await preflight() {
        case .ready: break
        case .skipped(let reason):
            result.status = .skipped
            result.problem = reason
            return result
        case .failed(let reason):
            result.status = .buildFailed
            result.problem = reason
            return result
        }

        let context = try prepareContext()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        result.context = context.facts.allowing(secretAllowlist)

        let builds = try await buildPhases(in: context, rowID: rowID, done: Set(result.builds.map(\.key)))
        result.builds += builds.records
        result.contextBytes = builds.firstOutput.flatMap(DockerOutputParser.contextBytes)
        if let failure = builds.failure {
            result.status = .buildFailed
            result.problem = failure
            return result
        }

        var freshSmoke: SmokeResult?
        if settings.phases.contains(.ci) {
            let stage = try await freshBuilds(
                in: context, rowID: rowID, done: Set(result.builds.map(\.key)), earlier: result.builds, inspectThere: builds.image == nil)
            result.builds += stage.records
            result.ci = stage.outcome
            if let inspection = stage.inspection { result.apply(inspection) }
            freshSmoke = stage.smoke
            if builds.image == nil, let problem = stage.outcome.problem ?? stage.outcome.skipped {
                result.status = stage.outcome.problem == nil ? .skipped : .buildFailed
                result.problem = problem
                return result
            }
        }

        let smoke: SmokeResult
        if let freshSmoke {
            smoke = freshSmoke
        } else {
            guard let image = builds.image else { return result }
            result.apply(try await inspect(image))
            events(.smokeStarted)
            smoke = try await smokeTest(image, rowID: rowID)
            if smoke.ok, let http = scenario.smoke.http {
                let start = try await startTimes(image, name: containerName(rowID), http: http)
                result.start = start
                // It answered once and then did not: a flaky service is the variant's problem.
                if let problem = start.problem {
                    result.addProblem("start metric cut short: \(problem)")
                }
            }
        }
        result.smoke = smoke
        result.status = smoke.ok ? .ok : plan.variant.expectBroken == nil ? .broken : .expectedBroken
        if result.status == .broken {
            result.problem = "smoke test failed: " + Self.smokeFailure(smoke, spec: scenario.smoke)
        } else if smoke.ok, let stale = plan.variant.expectBroken {
            result.problem =
                "\(scenario.file):\(stale.line): expect-broken \(stale.description) is stale: \(plan.variant.name) ran fine; remove the entry"
        }
        try await measurePull(into: &result)
        return result
    }

    // MARK: Preflight

    enum Preflight: Equatable {
        case ready
        /// This engine cannot build the variant as written; the reason names the fix.
        case skipped(String)
        /// A base image is neither present nor pullable.
        case failed(String)
    }

    /// Whether this engine can build the variant, with its base images made present (pulling is never
    /// timed as building).
    func preflight() async throws -> Preflight {
        if let mismatch = plan.engineMismatch { return .skipped(mismatch) }
        let environment = engine.environment
        if let mismatch = plan.compressionMismatch(environment) ?? plan.platformMismatch(environment) { return .skipped(mismatch) }
        if plan.builder == .buildkit && !environment.buildkitAvailable {
            return .skipped(
                "\(plan.variant.name) asks for builder: buildkit, but \(environment.dockerPath) \(environment.dockerClient) has no BuildKit (no buildx plugin); use a client with BuildKit (--docker /usr/bin/docker for Debian's 20.10) or builder: classic"
            )
        }
        var present: [String: String] = [:]
        do {
            for base in plan.baseImages { try await watch.attempt(.checkingBaseImages) { try await docker.ensurePresent(base) } }
            if plan.platform != nil {
                for base in plan.baseImages {
                    present[base] = try await watch.attempt(.checkingBaseImages) { try await docker.imagePlatform(base) }
                }
            }
        } catch let error as DockerError {
            return .failed(error.description)
        }
        let native = environment.architecture.isEmpty ? nil : "linux/" + environment.architecture
        if let mismatch = plan.basePlatformMismatch(present: present, native: native) { return .skipped(mismatch) }
        return .ready
    }

    // MARK: Context

    /// The scratch copy of the build context, as the variant's builder gets it.
    func prepareContext() throws -> ContextCopy {
        try ContextCopy.make(
            of: scenario, at: scratch + "/context", dockerfile: plan.dockerfile, dockerfileInside: plan.dockerfileInsideContext,
            choice: plan.dockerignore, rules: ContextRules.of(plan.builder, client: engine.environment.dockerClient))
    }

    // MARK: Builds

    /// What the build stage leaves: the builds it recorded, the image the later stages use, docker's
    /// output of the first build (for the context size), and why it stopped early, if it did.
    struct PhaseBuilds {
        var records: [BuildRecord] = []
        /// The cold build's image (or, without one, the first image built).
        var image: String?
        var firstOutput: String?
        var failure: String?
    }

    /// Runs the variant's builds in ``BuildSchedule`` order; the first failed build ends the stage.
    func buildPhases(in context: ContextCopy, rowID: Int64, done: Set<BuildKey>) async throws -> PhaseBuilds {
        var builds = PhaseBuilds()
        let actions = BuildSchedule.actions(
            phases: settings.phases, repeatCount: settings.repeatCount, edits: scenario.edit != nil, done: done)
        for action in actions {
            switch action {
            case .fillCache:
                let (outcome, image) = try await build(.warm, activity: .fillingCache, in: context)
                guard let image else {
                    builds.failure = "the build that fills the cache before a warm or edit build failed: \(outcome.tail(1))"
                    return builds
                }
                if builds.image == nil {
                    builds.image = image
                    try await keep(image)
                }
                if builds.firstOutput == nil { builds.firstOutput = outcome.stdout + "\n" + outcome.stderr }
            case .edit(let number):
                if let edit = scenario.edit { try appendEdit(edit, number: number, tag: "\(session)-v\(rowID)", context: context.directory) }
            case .build(let key):
                events(.buildStarted(phase: key.phase, repetition: key.repetition, of: settings.repeatCount))
                let started = Date()
                // An edit build built again after the engine's race edits once more first: its compile step
                // is in the cache by then, and the second build would time a cache hit.
                var retries = 0
                let reEdit: () throws -> Void = {
                    guard key.phase == .edit, let edit = scenario.edit else { return }
                    retries += 1
                    try appendEdit(edit, number: 1000 * retries + key.repetition, tag: "\(session)-v\(rowID)", context: context.directory)
                }
                let (outcome, image) = try await build(key.phase, activity: .building(key), in: context, beforeRetry: reEdit)
                let record = buildRecord(key, startedAt: started, outcome: outcome, image: image, on: engine)
                let status = record.outcome
                try await recorder.record(build: record, variantID: rowID)
                builds.records.append(record)
                events(.buildFinished(record))
                if builds.firstOutput == nil { builds.firstOutput = outcome.stdout + "\n" + outcome.stderr }
                guard status == .ok else {
                    builds.failure = buildFailure(key, status: status, outcome: outcome)
                    return builds
                }
                if builds.image == nil || key == BuildKey(.cold, 1), let image {
                    builds.image = image
                    try await keep(image)
                }
            }
        }
        return builds
    }

    /// Gives the variant's image its own tag before a later build takes the variant's: on the containerd
    /// image store an image is its names, and one whose last name moves to another image is gone.
    func keep(_ image: String) async throws {
        _ = try await watch.attempt(.inspecting) {
            try await docker.checked(docker.commands.tag(image, as: plan.keptTag(runID: runLabel, session: session)))
        }
    }

    /// One `docker build` of the context as it is now, and the image it made (nil when it failed).
    func build(
        _ phase: Phase, activity: EngineActivity, in context: ContextCopy, beforeRetry: () throws -> Void = {}
    ) async throws -> (outcome: CommandResult, image: String?) {
        let iidfile = context.directory + ".iid"
        try? FileManager.default.removeItem(atPath: iidfile)
        let command = docker.commands.build(
            plan, phase: phase, runID: runLabel, contextDirectory: context.directory, iidfile: iidfile, timeout: settings.buildTimeout,
            session: session, buildx: engine.environment.buildxVersion != nil)
        var outcome = try await docker.run(command)
        // Noted first: an interrupted build leaves the step images it committed, too.
        if plan.builder == .classic { await ledger.add(DockerOutputParser.createdImages(outcome.stdout), engine: engineIndex) }
        // The engine's race, not the variant's failure: built again, up to twice.
        for _ in 0..<2 {
            guard let lost = Self.engineRace(outcome, builder: plan.builder) else { break }
            try Task.checkCancellation()
            events(
                .warning(
                    "\(VariantKey(scenario: scenario.name, variant: plan.variant.name)): docker lost \(lost) during the build (\(outcome.tail(1))); building again"
                ))
            try beforeRetry()
            try? FileManager.default.removeItem(atPath: iidfile)
            outcome = try await docker.run(command)
            if plan.builder == .classic { await ledger.add(DockerOutputParser.createdImages(outcome.stdout), engine: engineIndex) }
        }
        // Stopped by Ctrl-C or SIGTERM: the build in flight is not a result, and nothing more runs.
        try Task.checkCancellation()
        // A build that failed because the engine went away is not the variant's failure.
        try await watch.check(activity, outcome)
        return (outcome, Self.builtImage(outcome, iidfile: iidfile))
    }

    /// The image a build wrote to its `--iidfile`; nil when the build failed.
    static func builtImage(_ outcome: CommandResult, iidfile: String) -> String? {
        guard outcome.succeeded else { return nil }
        return (try? String(contentsOfFile: iidfile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The record of one timed build on `slot`: its outcome from docker's result and the image it made,
    /// and its steps; a `pull` of the cache image before it (the ci phase) counts in its time, as a step.
    func buildRecord(
        _ key: BuildKey, startedAt: Date, outcome: CommandResult, image: String?, on slot: EngineSlot, pull: CommandResult? = nil
    ) -> BuildRecord {
        let status: BuildOutcome = outcome.timedOut ? .timeout : (outcome.succeeded && image != nil ? .ok : .failed)
        var steps = BuildSteps.parse(
            outcome.lines, builder: plan.builder, wall: outcome.seconds, labels: slot.docker.commands.labelValues(runID: runLabel, session: session))
        var seconds = outcome.seconds
        if let pull, pull.succeeded {
            steps = BuildSteps.afterPull(steps, seconds: pull.seconds)
            seconds += pull.seconds
        }
        return BuildRecord(
            phase: key.phase, repetition: key.repetition, startedAt: startedAt, seconds: seconds, outcome: status, exitCode: outcome.exitCode,
            builder: plan.builder, imageID: image, outputTail: status == .ok ? nil : outcome.tail(40), engine: slot.record, steps: steps)
    }

    /// What the engine lost when a build failed for it, not for the variant; nil for any other outcome.
    /// - The classic builder looks for a cache hit among the children of each step's image; one that another
    ///   process removes meanwhile fails the lookup (moby's image/cache getLocalCachedImage).
    /// - On the containerd image store, unpacking the built image found the snapshot of a layer below gone:
    ///   the garbage collector took it after an image that held it lost its last name, between the check
    ///   and the use (containerd#3787; seen once in a few dozen edit builds of dockerd 26.1).
    static func engineRace(_ outcome: CommandResult, builder: BuilderKind) -> String? {
        guard !outcome.succeeded, !outcome.timedOut else { return nil }
        let tail = outcome.tail(3)
        if builder == .classic, tail.contains("unable to find image \"sha256:") { return "a cached image another process removed" }
        if tail.contains("failed to prepare extraction snapshot"), tail.contains("does not exist") {
            return "a layer's snapshot its garbage collector removed"
        }
        return nil
    }

    func buildFailure(_ key: BuildKey, status: BuildOutcome, outcome: CommandResult) -> String {
        let last = outcome.tail(1)
        let how =
            status == .timeout
            ? "timed out after \(Int(settings.buildTimeout ?? 0)) s" : "failed (exit \(outcome.exitCode.map(String.init) ?? "signal"))"
        return "\(key) \(how)" + (last.isEmpty ? "" : ": \(last)")
    }

    /// Appends edit number `number` to the scratch copy of the scenario's `edit` file.
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

    // MARK: Inspect and analyse

    struct Inspection {
        var facts: ImageFacts
        var insight: ImageInsight?
        /// The image's files and links as a container sees them, for `diff --run`.
        var files: FinalFiles?
        /// Each platform's image, when the variant built a list of them.
        var platformIndex: PlatformIndex?
        /// Why the analysis is missing, when it is.
        var problem: String?
    }

    /// The image's size, layers and history, then its analysis: waste, secrets, linkage and compressed
    /// size. A failed analysis is the variant's problem, unless the engine went away.
    func inspect(_ image: String) async throws -> Inspection {
        let (inspect, facts) = try await watch.attempt(.inspecting) {
            // A later build (the next cold repetition, an edit) took the variant's tag; without one, the
            // image would go with the tag a push adds and removes.
            _ = try await docker.checked(docker.commands.tag(image, as: plan.tag(runID: runLabel, session: session)))
            let inspect = try await docker.inspectJSON(image)
            return (inspect, try await docker.imageFacts(image, ref: plan.tag(runID: runLabel, session: session), inspect: inspect))
        }
        let store = engine.environment.imageStore ?? .graphDriver
        // Without its layers, the size is the engine's figure for the unpacked layers.
        var inspection = Inspection(facts: facts.measured(by: nil, store: store))
        do {
            let layers = try await analyse(image, inspect: inspect)
            inspection.facts = facts.measured(by: layers, store: store)
            let analysed = ImageInsight.analyze(layers)
            inspection.insight = analysed.insight.allowing(secretAllowlist)
            inspection.files = analysed.final?.withoutFolders
            inspection.platformIndex = layers.platformIndex
        } catch let error as DockerError {
            inspection.problem = "could not analyse the image: \(error)"
        } catch let error as RegistryError {
            inspection.problem = "could not measure the compressed size: \(error)"
        }
        return inspection
    }

    /// The image's layers, with their compressed sizes from the registry when `--registry` names one,
    /// else estimated while the layers stream past.
    func analyse(_ image: String, inspect: String) async throws -> ImageLayers {
        var layers = try await watch.attempt(.readingLayers) {
            try await docker.layers(of: image, inspect: inspect, estimateCompressed: settings.registry == nil)
        }
        // Uncompressed layers on the containerd store are pushed as they are stored: the blobs are the figure.
        if plan.compression?.algorithm == .uncompressed, engine.environment.imageStore == .containerd,
            layers.layerBlobBytes.count == layers.files.count, case let blobs = layers.layerBlobBytes.compactMap({ $0 }),
            blobs.count == layers.files.count
        {
            layers.compressed = CompressedSizes(
                source: .archive, layers: blobs, mediaTypes: blobs.map { _ in "application/vnd.oci.image.layer.v1.tar" })
        }
        if let address = settings.registry {
            let reference = plan.tag(runID: runLabel, session: session)
            let colon = reference.lastIndex(of: ":")!
            layers.compressed = try await watch.attempt(.pushing) {
                try await docker.pushedLayerSizes(
                    of: image, registry: RegistryClient(address: address), repository: String(reference[..<colon]),
                    tag: String(reference[reference.index(after: colon)...]))
            }
        }
        return layers
    }

    // MARK: Smoke test

    /// Runs the image once as `smoke:` says. A failure is the image's only when the engine still answers.
    func smokeTest(_ image: String, rowID: Int64) async throws -> SmokeResult {
        let spec = scenario.smoke
        let name = containerName(rowID)
        if let http = spec.http { return try await httpSmoke(image, name: name, http: http) }
        let outcome = try await docker.run(docker.commands.smoke(image: image, name: name, runID: runLabel, spec: spec, platform: runPlatform))
        var removal: CommandResult?
        if outcome.timedOut || outcome.exitCode == nil || Task.isCancelled {
            // The client is gone but the container may still run: remove it, even when cancelled.
            removal = await removeContainer(name)
        }
        try Task.checkCancellation()
        if let removal { try await watch.check(.cleaningUp, removal) }
        let stdout = outcome.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let stderr = outcome.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        var ok = !outcome.timedOut && outcome.exitCode == spec.expectExit
        if let expected = spec.expectOutput, !stdout.contains(expected) { ok = false }
        // A container cut off by its engine is no verdict on the image.
        if !ok { try await watch.confirm(.smokeTesting, dockerSaid: outcome.tail(1)) }
        let output = [stdout, stderr].filter { !$0.isEmpty }.joined(separator: "\n")
        return SmokeResult(
            ok: ok, exitCode: outcome.timedOut ? nil : outcome.exitCode, seconds: outcome.seconds, output: String(output.suffix(4000)),
            timedOut: outcome.timedOut)
    }

    /// Removes a smoke container, also when the run is cancelled: a detached task is not cancelled with
    /// this one. nil when docker could not be run.
    func removeContainer(_ name: String) async -> CommandResult? {
        let docker = docker
        return await Task.detached { try? await docker.run(docker.commands.removeContainer(name)) }.value
    }

    /// The name of the variant's smoke container. Run ids are unique only within one database: a random
    /// token keeps two runs 1 apart on one engine.
    func containerName(_ rowID: Int64) -> String { "imagebench-r\(runID)-v\(rowID)-\(session)" }

    static func smokeFailure(_ smoke: SmokeResult, spec: SmokeSpec) -> String {
        // An HTTP smoke test's first line says what went wrong; the container's last log line follows it.
        if spec.http != nil {
            let lines = smoke.output.split(separator: "\n").map(String.init)
            return lines.count > 1 ? "\(lines[0]): \(lines.last!)" : lines.first ?? ""
        }
        if smoke.timedOut { return "no exit within \(String(format: "%g", spec.timeoutSeconds)) s" }
        let last = smoke.output.split(separator: "\n").last.map(String.init) ?? ""
        if smoke.exitCode != spec.expectExit {
            return "exit \(smoke.exitCode.map(String.init) ?? "signal"), expected \(spec.expectExit)" + (last.isEmpty ? "" : ": \(last)")
        }
        return "output lacks \"\(spec.expectOutput ?? "")\"" + (last.isEmpty ? "" : ": \(last)")
    }
}

extension VariantResult {
    /// Takes the image's facts, analysis and analysis problem from an inspection.
    mutating func apply(_ inspection: VariantPipeline.Inspection) {
        image = inspection.facts
        insight = inspection.insight
        files = inspection.files
        platformIndex = inspection.platformIndex
        problem = inspection.problem
    }
}
