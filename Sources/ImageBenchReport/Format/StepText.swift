import Foundation
import ImageBenchCore

/// How every report words steps.
enum StepText {
    /// A step's label cut to `limit` characters, `…` where it was cut.
    static func label(_ step: StepRecord, limit: Int) -> String {
        let label = step.label.replacingOccurrences(of: "\n", with: " ")
        return label.count <= limit ? label : String(label.prefix(limit - 1)) + "…"
    }

    /// The cold build's slowest step and its share of the build's median time: `94% build 4/4 RUN go build…`.
    static func slowestCell(_ r: VariantResult, limit: Int = 32, name: (String) -> String = { $0 }) -> String {
        guard let cold = r.steps(.cold), let step = cold.slowest, let share = cold.share(step) else { return "—" }
        return "\(Int((share * 100).rounded()))% " + name(label(step.step, limit: limit))
    }

    /// `edit: the cache missed first at build 3/4 COPY go.mod main.go ./ (0.10 s); 2 steps ran again, 12.4 s of the 12.9 s build`;
    /// `name` formats the step's label for the format at hand.
    static func invalidation(_ invalidation: CacheInvalidation, build: Summary, name: (String) -> String = { $0 }) -> String {
        let count = invalidation.reran.count
        return "edit: the cache missed first at \(name(invalidation.step.step.label)) (\(Units.seconds(invalidation.step.summary.median))); "
            + "\(count) step\(count == 1 ? "" : "s") ran again, \(Units.seconds(invalidation.reranSeconds)) of the \(Units.seconds(build.median)) build"
    }

    /// What a step time is, per builder the report's variants used; nil when no build recorded steps.
    static func meaning(_ builders: Set<BuilderKind>) -> String? {
        guard !builders.isEmpty else { return nil }
        var parts: [String] = []
        if builders.contains(.buildkit) {
            parts.append("BuildKit steps: BuildKit's own durations (`#N DONE 1.2s`, tenths of a second), placed to end when their line arrived")
        }
        if builders.contains(.classic) {
            parts.append("classic-builder steps: timed by when each `Step k/n` line arrived (the classic builder prints no times)")
        }
        if builders.contains(.buildah) { parts.append("podman steps: timed by when each `STEP k/n` line arrived") }
        return "Step times: " + parts.joined(separator: "; ") + "."
    }

    static func builders(_ results: [VariantResult]) -> Set<BuilderKind> {
        Set(results.flatMap { $0.builds.filter { $0.steps != nil }.map(\.builder) })
    }

    /// `step build 3/4 COPY . . no longer cached in warm (3 of 3 builds hit the cache before, 0 of 3 now)` or
    /// `cold: step build 4/4 RUN go build -o /app . slower by 4.10 s (+38.0%), median 10.8 s → 14.9 s, p = 0.001`;
    /// `name` formats the step's label for the format at hand.
    static func change(_ change: StepChange, name: (String) -> String = { $0 }) -> String {
        switch change.kind {
        case .noLongerCached:
            return "step \(name(change.step.label)) no longer cached in \(change.phase.rawValue) "
                + "(\(change.baseline.cachedText) builds hit the cache before, \(change.candidate.cachedText) now)"
        case .slower:
            let pct = change.percent.map { String(format: " (+%.1f%%)", $0) } ?? ""
            let p = change.test.map { String(format: ", p = %.3f", $0.p) } ?? ""
            return "\(change.phase.rawValue): step \(name(change.step.label)) slower by \(Units.seconds(change.delta))\(pct), "
                + "median \(Units.seconds(change.baseline.summary.median)) → \(Units.seconds(change.candidate.summary.median))\(p)"
        }
    }
}
