import Foundation
import ImageBenchCore

/// `imagebench compare` as a terminal table or JSON (its Markdown is ``MarkdownReport`` with a comparison).
public enum ComparisonReport {
    public static func table(_ c: Comparison) -> String {
        var out =
            "Baseline run \(c.baseline.id) (\(Units.timestamp(c.baseline.startedAt))) → candidate run \(c.candidate.id) (\(Units.timestamp(c.candidate.startedAt)))\n"
        if !c.environmentDifferences.isEmpty {
            out += "warning: the runs come from different environments: \(c.environmentDifferences.joined(separator: "; "))\n"
        }
        var table = TextTable(
            headers: ["scenario", "variant", "status"] + c.shownMetrics.map(\.rawValue) + ["verdict"],
            alignments: [.left, .left, .left] + c.shownMetrics.map { _ in .right } + [.left])
        for change in c.changes {
            let status =
                change.baselineStatus == change.candidateStatus
                ? change.candidateStatus.rawValue : "\(change.baselineStatus.rawValue) → \(change.candidateStatus.rawValue)"
            let cells = c.shownMetrics.map { metric -> String in
                guard let m = change.metrics.first(where: { $0.metric == metric }), let delta = m.delta else { return "—" }
                return Units.change(delta, percent: m.percent, metric)
            }
            table.append([change.scenario, change.variant, status] + cells + [verdictCell(change)])
        }
        out += table.render()
        for key in c.added { out += "added: \(key.scenario) \(key.variant)\n" }
        for key in c.removed { out += "removed: \(key.scenario) \(key.variant)\n" }
        let notes = c.changes.flatMap { change in change.metrics.compactMap { m in m.note.map { "  \(change.variant) \(m.metric.rawValue): \($0)" } }
        }
        if !notes.isEmpty { out += "Notes:\n" + notes.joined(separator: "\n") + "\n" }
        let steps = c.changes.flatMap { change in change.steps.map { "  \(change.scenario) \(change.variant): \(StepText.change($0))" } }
        if !steps.isEmpty { out += "Steps:\n" + steps.map(TextTable.plain).joined(separator: "\n") + "\n" }
        out +=
            "Thresholds: size \(format(Thresholds.defaultSize))%, times \(format(Thresholds.defaultTime))% unless the scenario or a flag sets them; time changes must also be significant (\(WelchTest.name)).\n"
        out += "Verdict: \(c.verdict.rawValue)"
        if !c.regressions.isEmpty { out += " (\(c.regressions.count) variant\(c.regressions.count == 1 ? "" : "s"))" }
        return out + "\n"
    }

    static func verdictCell(_ change: Comparison.VariantChange) -> String {
        var parts: [String] = []
        if change.statusKind == .regression { parts.append("regression: now \(change.candidateStatus.rawValue)") }
        if change.statusKind == .improvement { parts.append("improvement: now works") }
        for m in change.metrics where m.kind == .regression || m.kind == .improvement || m.kind == .insufficient {
            parts.append("\(m.kind.rawValue): \(m.metric.rawValue) (limit \(format(m.limit))%)")
        }
        let uncached = change.steps.filter { $0.kind == .noLongerCached }
        if !uncached.isEmpty {
            parts.append("regression: \(uncached.count) step\(uncached.count == 1 ? "" : "s") no longer cached")
        }
        return parts.isEmpty ? "unchanged" : parts.joined(separator: "; ")
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    struct Document: Encodable {
        struct Metric: Encodable {
            var metric: String
            var baseline: Double?
            var candidate: Double?
            var delta: Double?
            var percent: Double?
            var limitPercent: Double
            var verdict: String
            var pValue: Double?
            var note: String?
            enum CodingKeys: String, CodingKey {
                case metric, baseline, candidate, delta, percent, verdict, note
                case limitPercent = "limit_percent"
                case pValue = "p_value"
            }
        }
        struct Step: Encodable {
            var phase: String
            var kind: String
            var stage: String?
            var number: Int
            var instruction: String
            var baselineMedian: Double
            var candidateMedian: Double
            var baselineCachedBuilds: String
            var candidateCachedBuilds: String
            var pValue: Double?
            var text: String
            enum CodingKeys: String, CodingKey {
                case phase, kind, stage, number, instruction, text
                case baselineMedian = "baseline_median_s"
                case candidateMedian = "candidate_median_s"
                case baselineCachedBuilds = "baseline_cached"
                case candidateCachedBuilds = "candidate_cached"
                case pValue = "p_value"
            }
        }
        struct Change: Encodable {
            var scenario: String
            var variant: String
            var baselineStatus: String
            var candidateStatus: String
            var statusVerdict: String
            var metrics: [Metric]
            var steps: [Step]
            enum CodingKeys: String, CodingKey {
                case scenario, variant, metrics, steps
                case baselineStatus = "baseline_status"
                case candidateStatus = "candidate_status"
                case statusVerdict = "status_verdict"
            }
        }
        var baselineRun: Int64
        var candidateRun: Int64
        var verdict: String
        var test: String
        var environmentDifferences: [String]
        var changes: [Change]
        var added: [Comparison.VariantKey]
        var removed: [Comparison.VariantKey]
        enum CodingKeys: String, CodingKey {
            case verdict, test, changes, added, removed
            case baselineRun = "baseline_run"
            case candidateRun = "candidate_run"
            case environmentDifferences = "environment_differences"
        }
    }

    public static func json(_ c: Comparison) -> String {
        let doc = Document(
            baselineRun: c.baseline.id, candidateRun: c.candidate.id, verdict: c.verdict.rawValue, test: WelchTest.name,
            environmentDifferences: c.environmentDifferences,
            changes: c.changes.map { change in
                Document.Change(
                    scenario: change.scenario, variant: change.variant, baselineStatus: change.baselineStatus.rawValue,
                    candidateStatus: change.candidateStatus.rawValue, statusVerdict: change.statusKind.rawValue,
                    metrics: change.metrics.map {
                        Document.Metric(
                            metric: $0.metric.rawValue, baseline: $0.baseline, candidate: $0.candidate, delta: $0.delta, percent: $0.percent,
                            limitPercent: $0.limit, verdict: $0.kind.rawValue, pValue: $0.test?.p, note: $0.note)
                    },
                    steps: change.steps.map {
                        Document.Step(
                            phase: $0.phase.rawValue, kind: $0.kind.rawValue, stage: $0.step.stage, number: $0.step.number,
                            instruction: $0.step.instruction, baselineMedian: $0.baseline.summary.median,
                            candidateMedian: $0.candidate.summary.median,
                            baselineCachedBuilds: $0.baseline.cachedText, candidateCachedBuilds: $0.candidate.cachedText, pValue: $0.test?.p,
                            text: StepText.change($0))
                    })
            }, added: c.added, removed: c.removed)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(doc)).map { String(decoding: $0, as: UTF8.self) + "\n" } ?? "{}\n"
    }
}
