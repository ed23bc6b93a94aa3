import Foundation
import ImageBenchCore

/// `report --steps`: per variant, each step's median time, spread and cache hits in every phase, the
/// slowest steps first and the rest folded, and what the edit invalidated.
public enum StepsReport {
    /// Steps shown per variant before the rest are folded.
    public static let shown = 8

    /// One step of a variant in every phase that ran it.
    struct Row {
        var step: StepRecord
        var phases: [Phase: StepStats]
    }

    /// The variant's steps, slowest first: by the cold median, else the largest median of any phase.
    static func rows(_ phases: [PhaseSteps]) -> [Row] {
        var order: [String] = []
        var rows: [String: Row] = [:]
        for phase in phases {
            for stats in phase.steps {
                if rows[stats.key] == nil {
                    order.append(stats.key)
                    rows[stats.key] = Row(step: stats.step, phases: [:])
                }
                rows[stats.key]!.phases[phase.phase] = stats
            }
        }
        func weight(_ row: Row) -> Double { row.phases[.cold]?.summary.median ?? row.phases.values.map(\.summary.median).max() ?? 0 }
        return order.enumerated().map { ($0.offset, rows[$0.element]!) }
            .sorted { a, b in weight(a.1) != weight(b.1) ? weight(a.1) > weight(b.1) : a.0 < b.0 }.map(\.1)
    }

    static func timeCell(_ stats: StepStats?) -> String {
        stats.map { Units.medianRange($0.summary) } ?? "—"
    }

    static func hitsCell(_ stats: StepStats?) -> String {
        guard let stats, stats.step.kind == .instruction else { return stats == nil ? "—" : "" }
        return "\(stats.cachedCount)/\(stats.runs)"
    }

    /// The folded steps' medians added up, per phase.
    static func foldedCell(_ rows: [Row], _ phase: Phase) -> String {
        let medians = rows.compactMap { $0.phases[phase]?.summary.median }
        return medians.isEmpty ? "—" : Units.plainSeconds(medians.reduce(0, +))
    }

    static func builderText(_ r: VariantResult) -> String {
        Set(r.builds.filter { $0.steps != nil }.map(\.builder.rawValue)).sorted().joined(separator: ", ")
    }

    static func header(_ report: RunReport) -> String {
        let runs = report.runs.map { "run \($0.id)" }.joined(separator: ", ")
        return "Steps of \(runs): slowest first; seconds as median (min–max) over the successful builds of each phase.\n"
    }

    static let hits = "Hits: in how many of the phase's builds the step was a cache hit."

    public static func table(_ report: RunReport) -> String {
        guard !report.results.isEmpty else { return TableReport.render(report) }
        var out = header(report)
        let phases = Phase.allCases.filter { phase in report.results.contains { $0.steps(phase) != nil } }
        for scenario in report.scenarios {
            out += "\n" + TextTable.plain(scenario) + "\n"
            for r in report.rows(for: scenario) {
                let variant = r.phaseSteps
                out += "\n" + TextTable.plain(r.name)
                guard !variant.isEmpty else {
                    out += ": no steps recorded" + (r.builds.isEmpty ? "" : " (recorded before imagebench read them, or no build succeeded)") + "\n"
                    continue
                }
                out += " · \(builderText(r))\n"
                var table = TextTable(
                    headers: ["step"] + phases.flatMap { ["\($0.rawValue) s", "hits"] },
                    alignments: [.left] + phases.flatMap { _ in [TextTable.Alignment.right, .right] })
                let rows = rows(variant)
                for row in rows.prefix(shown) {
                    table.append([StepText.label(row.step, limit: 60)] + phases.flatMap { [timeCell(row.phases[$0]), hitsCell(row.phases[$0])] })
                }
                let folded = Array(rows.dropFirst(shown))
                if !folded.isEmpty {
                    table.append(
                        ["\(folded.count) more step\(folded.count == 1 ? "" : "s"), medians added"] + phases.flatMap { [foldedCell(folded, $0), ""] })
                }
                table.append(
                    ["build (wall time)"] + phases.flatMap { p in [variant.first { $0.phase == p }.map { Units.medianRange($0.builds) } ?? "—", ""] })
                out += table.render()
                if let edit = r.steps(.edit), let invalidation = CacheInvalidation(edit) {
                    out += TextTable.plain(StepText.invalidation(invalidation, build: edit.builds)) + "\n"
                }
            }
        }
        return out + "\n" + (StepText.meaning(StepText.builders(report.results)).map { $0 + " " } ?? "") + hits
            + " Every step of every build: --format csv --steps, or --format json.\n"
    }

    public static func markdown(_ report: RunReport) -> String {
        guard let run = report.runs.first else { return "No runs yet.\n" }
        var out = "### imagebench: steps of run \(run.id)\n\n" + MarkdownReport.text(header(report).trimmingCharacters(in: .newlines)) + "\n"
        let phases = Phase.allCases.filter { phase in report.results.contains { $0.steps(phase) != nil } }
        let headers = ["step"] + phases.flatMap { ["\($0.rawValue) s", "hits"] }
        let rule = "|" + headers.map { $0 == "step" ? " --- |" : " ---: |" }.joined() + "\n"
        func line(_ row: Row) -> String {
            MarkdownReport.row(
                [MarkdownReport.code(StepText.label(row.step, limit: 100))] + phases.flatMap { [timeCell(row.phases[$0]), hitsCell(row.phases[$0])] })
        }
        for scenario in report.scenarios {
            out += "\n#### \(MarkdownReport.text(scenario))\n"
            for r in report.rows(for: scenario) {
                let variant = r.phaseSteps
                out += "\n**\(MarkdownReport.text(r.name))**"
                guard !variant.isEmpty else {
                    out += ": no steps recorded.\n"
                    continue
                }
                out += " · \(MarkdownReport.text(builderText(r)))\n\n" + MarkdownReport.row(headers) + rule
                let rows = rows(variant)
                for row in rows.prefix(shown) { out += line(row) }
                out += MarkdownReport.row(
                    ["build (wall time)"] + phases.flatMap { p in [variant.first { $0.phase == p }.map { Units.medianRange($0.builds) } ?? "—", ""] })
                let folded = Array(rows.dropFirst(shown))
                if !folded.isEmpty {
                    out +=
                        "\n<details><summary>\(folded.count) more step\(folded.count == 1 ? "" : "s")</summary>\n\n" + MarkdownReport.row(headers)
                        + rule
                    for row in folded { out += line(row) }
                    out += "\n</details>\n"
                }
                if let edit = r.steps(.edit), let invalidation = CacheInvalidation(edit) {
                    out += "\n" + StepText.invalidation(invalidation, build: edit.builds, name: MarkdownReport.code) + "\n"
                }
            }
        }
        return out + "\n" + MarkdownReport.text((StepText.meaning(StepText.builders(report.results)).map { $0 + " " } ?? "") + hits) + "\n"
    }
}
