import Foundation
import ImageBenchCore

/// The `pull` phase: the variant's image, as pushed to `--registry`, pulled by the fresh runner (the ci
/// phase's engine, which starts with nothing but the base images), reset before every repetition so no
/// layer is cached. `docker pull` returns once the layers are unpacked, so its wall time is the time a new
/// node takes to have the image: transfer, decompression and unpacking.
extension VariantPipeline {
    /// The pushed reference the phase pulls: `REGISTRY/imagebench/SCENARIO:rRUN-VARIANT-SESSION`.
    var pushedReference: String? { settings.registry.map { "\($0)/\(plan.tag(runID: runLabel, session: session))" } }

    /// Runs the phase when the run asks for it and the image reached the registry; its problem joins the variant's.
    func measurePull(into result: inout VariantResult) async throws {
        guard result.insight?.compressedSource == .registry, let pull = try await pullTimes() else { return }
        result.pull = pull
        if let problem = pull.problem { result.addProblem("pull phase: \(problem)") }
    }

    func pullTimes() async throws -> PullResult? {
        guard settings.pull, let reference = pushedReference else { return nil }
        guard let fresh else {
            return PullResult(
                samples: [], reference: reference, engine: "", problem: "no fresh engine to pull on: \(freshUnavailable ?? "none started")")
        }
        let environment = fresh.slot.environment
        let engine = "docker \(environment.dockerServer), \((environment.imageStore ?? .graphDriver).phrase)"
        var samples: [Double] = []
        var problem: String?
        for repetition in 1...max(1, settings.repeatCount) {
            try Task.checkCancellation()
            let outcome = try await fresh.exclusive { runner in
                try await runner.reset()
                return try await runner.docker.run(runner.docker.commands.pull(reference))
            }
            guard outcome.succeeded else {
                problem = "pull \(repetition) of \(reference) failed: \(outcome.tail(1))"
                break
            }
            samples.append(outcome.seconds)
        }
        try await fresh.exclusive { try await $0.reset() }
        return PullResult(samples: samples, reference: reference, engine: engine, problem: problem)
    }
}
