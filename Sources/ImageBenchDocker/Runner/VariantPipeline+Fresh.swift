import Foundation
import ImageBenchCore

/// The `ci` stage: the variant built on a fresh runner (``FreshRunner``), with its cache source and
/// without, in ``FreshSchedule`` order. Preparing the cache (the seed build and every push) is the
/// previous pipeline's work and is not timed; pulling what the cache supplies is, as CI pays it.
extension VariantPipeline {
    struct FreshBuilds {
        var records: [BuildRecord] = []
        var outcome: CIPhaseResult
        /// For a run without a local phase: the last `ci` image, inspected and smoke-tested on the fresh runner.
        var inspection: Inspection?
        var smoke: SmokeResult?
    }

    /// Added to a `ci` build's repetition for the number of the edit before it, so it differs from every edit-phase edit.
    static let freshEditOffset = 1000

    /// Why the variant's `ci` phase cannot be built here, naming the fix; nil when it can.
    func freshSkip(_ cache: CacheSource) -> String? {
        if plan.engine == .podman { return "the ci phase builds on a docker engine; \(plan.variant.name) builds on podman" }
        if let freshUnavailable { return freshUnavailable }
        if cache.needsBuildx {
            if plan.builder != .buildkit {
                return
                    "cache: \(cache.rawValue) is BuildKit's; \(plan.variant.name) builds with the \(plan.builder.rawValue) builder: set builder: buildkit"
            }
            if engine.environment.buildxVersion == nil {
                return
                    "cache: \(cache.rawValue) needs docker buildx, and \(docker.commands.docker) has no buildx plugin: scripts/setup installs Debian 13's docker-buildx 0.13.1"
            }
            if let store = fresh?.slot.environment.imageStore, store != .containerd {
                return
                    "cache: \(cache.rawValue) needs a fresh runner with the containerd image store (buildx's docker driver exports cache only there), and the ci engine keeps images in a graph driver: scripts/setup installs Debian 13's dockerd 26.1, which imagebench then starts with that store, or name one with --ci-engine (scripts/engine start modern)"
            }
        }
        if cache == .inline && plan.builder != .buildkit {
            return
                "cache: inline is BuildKit's; \(plan.variant.name) builds with the \(plan.builder.rawValue) builder: set builder: buildkit, or cache: classic"
        }
        if cache == .classic, fresh?.slot.environment.imageStore == .containerd {
            return
                "cache: classic is the classic builder's --cache-from of a pulled image, which fails on the containerd image store (docker 26.1: \"failed to restore cached image\"), and the ci engine uses it: use cache: inline or registry-max, or run the ci phase on a graph-driver engine (IMAGEBENCH_CI_DOCKERD=dockerd, or --ci-engine URL)"
        }
        if cache == .classic && plan.builder != .classic {
            return
                "cache: classic is the classic builder's --cache-from; \(plan.variant.name) builds with \(plan.builder.rawValue): set builder: classic, or cache: inline"
        }
        if cache != .none && cache != .localMax && settings.registry == nil {
            return
                "cache: \(cache.rawValue) takes its cache image from a registry: give --registry HOST:PORT (scripts/registry start runs one on 127.0.0.1:5000)"
        }
        return nil
    }

    /// Runs the stage; with `inspectThere`, also inspects and smoke-tests the last `ci` image on the
    /// fresh runner, before it is reset (a run whose only phase is `ci` built nothing elsewhere).
    func freshBuilds(in context: ContextCopy, rowID: Int64, done: Set<BuildKey>, earlier: [BuildRecord], inspectThere: Bool) async throws
        -> FreshBuilds
    {
        let cache = plan.cache
        var stage = FreshBuilds(outcome: CIPhaseResult(cache: cache))
        if let reason = freshSkip(cache) {
            stage.outcome.skipped = reason
            return stage
        }
        guard let fresh else { return stage }
        let pipeline = self
        let start = stage
        return try await fresh.exclusive { runner in
            try await pipeline.freshBuilds(
                on: runner, stage: start, in: context, rowID: rowID, done: done, earlier: earlier, inspectThere: inspectThere)
        }
    }

    private func freshBuilds(
        on runner: FreshRunner, stage start: FreshBuilds, in context: ContextCopy, rowID: Int64, done: Set<BuildKey>, earlier: [BuildRecord],
        inspectThere: Bool
    ) async throws -> FreshBuilds {
        var stage = start
        let cache = stage.outcome.cache
        let client = runner.docker
        try await runner.provide(bases: plan.baseImages, from: docker, scratch: scratch, registry: settings.registry)
        // `REGISTRY/imagebench/SCENARIO:rRUN-VARIANT-SESSION-ciK`: link K of the cache chain; for local-max,
        // the folder `ci-cache/ciK` beside the variant's context copy, which the run removes.
        let folder = scratch + "/ci-cache"
        let repository = cache == .localMax ? folder : settings.registry.map { "\($0)/" + plan.tag(runID: runLabel, session: session) }
        stage.outcome.cacheImage = repository
        stage.outcome.edit = scenario.edit?.file
        defer { if cache == .localMax { try? FileManager.default.removeItem(atPath: folder) } }
        func link(_ k: Int) -> String { cache == .localMax ? folder + "/ci\(k)" : (repository ?? "") + "-ci\(k)" }
        let buildx = cache.needsBuildx
        /// Makes link `k` the next build's cache, untimed: the image pushed (inline, classic), or buildx's
        /// cache exported by building again on the runner, which still holds this build's cache (max modes).
        func share(_ k: Int, from: Int?) async throws -> String? {
            guard let export = DockerCommands.FreshCache.exporting(cache, link: link(k)) else {
                let pushed = try await client.run(client.commands.push(link(k)))
                return pushed.succeeded ? nil : "pushing the cache image \(link(k)) failed: \(pushed.tail(1))"
            }
            let importing = from.map { DockerCommands.FreshCache.importing(cache, link: link($0)) }
            let (outcome, image) = try await freshBuild(
                on: client, in: context, cache: DockerCommands.FreshCache(from: importing, to: export, buildx: true))
            return image != nil ? nil : "exporting the cache to \(link(k)) failed: \(outcome.tail(1))"
        }
        var pullFirst = cache == .classic
        var lastImage: String?
        actions: for action in FreshSchedule.actions(cache: cache, repeatCount: settings.repeatCount, done: done) {
            try await runner.reset()
            switch action {
            case .seed:
                // The max modes export from this cold build itself: exported from a build that took steps
                // from a cache, min mode would come out as max does.
                let seed =
                    buildx
                    ? DockerCommands.FreshCache(to: DockerCommands.FreshCache.exporting(cache, link: link(0)), buildx: true)
                    : DockerCommands.FreshCache(exportInline: cache == .inline, tag: link(0))
                let (outcome, image) = try await freshBuild(on: client, in: context, cache: seed)
                if image == nil {
                    stage.outcome.problem = "the build that seeds the ci cache failed: \(outcome.tail(1))"
                    break actions
                }
                if !buildx, let failure = try await share(0, from: nil) {
                    stage.outcome.problem = failure
                    break actions
                }
            case .build(let key, let from, let pushes):
                // Each pipeline builds a new commit with the cache of the one before: the scenario's edit, numbered apart from the edit phase's.
                if key.phase == .ci, let edit = scenario.edit {
                    try appendEdit(edit, number: Self.freshEditOffset + key.repetition, tag: "\(session)-v\(rowID)", context: context.directory)
                }
                events(.buildStarted(phase: key.phase, repetition: key.repetition, of: settings.repeatCount))
                let started = Date()
                var pulled: CommandResult?
                if let from, pullFirst {
                    var pull = client.commands.pull(link(from))
                    pull.timeout = settings.buildTimeout
                    pulled = try await client.run(pull)
                    try Task.checkCancellation()
                }
                let fresh = DockerCommands.FreshCache(
                    from: from.map { DockerCommands.FreshCache.importing(cache, link: link($0)) },
                    exportInline: cache == .inline && key.phase == .ci, tag: pushes && !buildx ? link(key.repetition) : nil, buildx: buildx)
                let (outcome, image) =
                    pulled?.succeeded == false ? (pulled!, nil) : try await freshBuild(on: client, in: context, cache: fresh)
                let record = buildRecord(key, startedAt: started, outcome: outcome, image: image, on: runner.slot, pull: pulled)
                let status = record.outcome
                try await recorder.record(build: record, variantID: rowID)
                stage.records.append(record)
                events(.buildFinished(record))
                guard status == .ok else {
                    stage.outcome.problem = buildFailure(key, status: status, outcome: outcome)
                    break actions
                }
                if key.phase == .ci { lastImage = image }
                if pushes, let failure = try await share(key.repetition, from: from) {
                    stage.outcome.problem = failure
                    break actions
                }
                // moby/buildkit#1981: an inline cache image built from a cache may miss; pulling it first is the workaround.
                if cache == .inline && !pullFirst && key.phase == .ci
                    && CIVerdict.alternatingMisses(earlier + stage.records).contains(key.repetition)
                {
                    pullFirst = true
                    stage.outcome.pulledFrom = key.repetition + 1
                    events(
                        .warning(
                            "\(VariantKey(scenario: scenario.name, variant: plan.variant.name)): ci build \(key.repetition) took fewer steps from the inline cache than build 1 did for the same change (moby/buildkit#1981); later ci builds pull the cache image first"
                        ))
                }
            }
        }
        if inspectThere, let lastImage, stage.outcome.problem == nil {
            var there = self
            there.engine = runner.slot
            stage.inspection = try await there.inspect(lastImage)
            events(.smokeStarted)
            stage.smoke = try await there.smokeTest(lastImage, rowID: rowID)
        }
        try await runner.reset()
        return stage
    }

    /// One timed `docker build` on the fresh runner, and the image it made (nil when it failed).
    private func freshBuild(on client: DockerClient, in context: ContextCopy, cache: DockerCommands.FreshCache) async throws -> (
        outcome: CommandResult, image: String?
    ) {
        let iidfile = context.directory + ".iid"
        try? FileManager.default.removeItem(atPath: iidfile)
        let command = client.commands.build(
            plan, phase: .ci, runID: runLabel, contextDirectory: context.directory, iidfile: iidfile, timeout: settings.buildTimeout,
            session: session, fresh: cache, buildx: engine.environment.buildxVersion != nil)
        let outcome = try await client.run(command)
        try Task.checkCancellation()
        return (outcome, Self.builtImage(outcome, iidfile: iidfile))
    }
}
