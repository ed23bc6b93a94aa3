import Foundation
import ImageBenchCore

/// How every report words the `ci` phase.
enum CIText {
    /// The phases a report shows: cold, warm and edit, and `ci` and `ci-none` when a variant has them; then
    /// (a run of the ci phase alone) only the local phases some variant has.
    static func phases(_ results: [VariantResult]) -> [Phase] {
        func measured(_ phase: Phase) -> Bool { results.contains { !$0.samples(phase).isEmpty } }
        let fresh = [Phase.ci, .ciNone].filter(measured)
        return fresh.isEmpty ? Phase.local : Phase.local.filter(measured) + fresh
    }

    /// `ci (fresh runner, inline cache from the registry): 0.06× the time without cache (median 0.19 s
    /// vs 3.23 s, n = 3 and 3, p = 0.000); from the cache: 2/4 COPY …; ran: none`. `name` formats a
    /// step's label for the format at hand.
    static func verdict(_ v: CIVerdict, name: (String) -> String = { $0 }) -> String {
        var line = "ci (fresh runner, \(v.cache.phrase)\(v.edit.map { ", after an edit of \(name($0))" } ?? "")): "
        if let without = v.without, let ratio = v.ratio {
            let p = v.welch.map { String(format: ", p = %.3f", $0.p) } ?? ""
            line +=
                "\(Units.ratio(ratio)) the time without cache (median \(Units.seconds(v.withCache.median)) vs \(Units.seconds(without.median)), n = \(v.withCache.n) and \(without.n)\(p))"
        } else {
            line += "median \(Units.seconds(v.withCache.median)), n = \(v.withCache.n)"
        }
        if v.steps != nil {
            func list(_ steps: [StepStats]) -> String {
                steps.isEmpty ? "no step" : steps.map { name(StepText.label($0.step, limit: 60)) }.joined(separator: ", ")
            }
            line += "; from the cache: " + list(v.hits)
            if !v.partialHits.isEmpty {
                line +=
                    "; from the cache in some builds only: "
                    + v.partialHits.map { "\(name(StepText.label($0.step, limit: 60))) (\($0.cachedCount) of \($0.summary.n))" }.joined(
                        separator: ", ")
            }
            line += "; ran: " + list(v.misses)
        }
        if !v.alternatingMisses.isEmpty {
            line +=
                "; moby/buildkit#1981: ci build \(v.alternatingMisses.map(String.init).joined(separator: ", ")) took fewer steps from the inline cache than build 1 did for the same change"
        }
        if let pulled = v.pulledFrom { line += "; from build \(pulled) on, the cache image was pulled before the build (the issue's workaround)" }
        return line
    }

    /// `cache=registry-max over cache=inline: 1 more step from the cache in every ci build (build 2/2 RUN go
    /// build …), median 0.85 s vs 3.91 s (0.22×)`: what max mode adds, one line per max-mode variant.
    static func gains(_ rows: [VariantResult], name: (String) -> String = { $0 }) -> [String] {
        CacheModeGain.compare(rows).map { gain in
            let steps =
                gain.gained.isEmpty
                ? "no more steps from the cache than inline's"
                : "\(gain.gained.count) more step\(gain.gained.count == 1 ? "" : "s") from the cache in every ci build ("
                    + gain.gained.map { name(StepText.label($0.step, limit: 60)) }.joined(separator: ", ") + ")"
            let (a, b) = (gain.maxVerdict.withCache.median, gain.inlineVerdict.withCache.median)
            return "\(name(gain.max)) over \(name(gain.inline)): \(steps), ci median \(Units.seconds(a)) vs \(Units.seconds(b))"
                + (b > 0 ? " (\(Units.ratio(a / b)))" : "")
        }
    }

    /// What the `ci` and `ci-none` columns mean, for the lines under a table.
    static let meaning =
        "ci: a fresh CI runner (an engine with no build cache and no images but the bases, reset before every build) building with the variant's cache source (cache:, default inline for BuildKit, classic for the classic builder), its time including what it pulls from the registry; preparing the cache (the previous build and its push) is not timed. ci-none: the same runner without cache, the baseline."
}
