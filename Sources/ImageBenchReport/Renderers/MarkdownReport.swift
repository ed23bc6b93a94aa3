import Foundation
import ImageBenchCore

/// GitHub-flavoured Markdown for a pull-request comment: a one-line verdict, a table per scenario,
/// change columns against a baseline, and the layers in a collapsible block.
public enum MarkdownReport {
    public static func render(_ report: RunReport, comparison: Comparison? = nil) -> String {
        guard let run = report.runs.first else { return "No runs yet.\n" }
        var out = "### imagebench: \(text(verdict(report, comparison)))\n\n"
        let env = run.environment
        out += "Run \(run.id) · \(run.status.rawValue) · \(Units.timestamp(run.startedAt)) · \(text(EngineText.header(env)))"
        if let comparison { out += " · baseline: run \(comparison.baseline.id) (\(Units.timestamp(comparison.baseline.startedAt)))" }
        out += "\n"
        if let comparison, !comparison.environmentDifferences.isEmpty {
            out += "\n> ⚠️ The runs come from different environments: \(text(comparison.environmentDifferences.joined(separator: "; "))).\n"
        }
        for scenario in run.scenarios where scenario.images.contains(where: { $0.used != $0.requested }) {
            let list = scenario.images.filter { $0.used != $0.requested }.map {
                "\(code($0.used)) for \(code($0.requested))" + ($0.provides.map { " (it holds: \(text($0)))" } ?? "")
                    + ($0.platforms ?? [:]).sorted { $0.key < $1.key }.map { " (for \(text($0.key)): \(code($0.value)))" }.joined()
            }
            out +=
                "\nImages used by \(text(scenario.name)): " + list.joined(separator: ", ")
                + " (\(text(scenario.images.first { $0.used != $0.requested }!.source))).\n"
        }
        for scenario in report.scenarios {
            out += "\n" + section(scenario, report: report, comparison: comparison)
        }
        out +=
            "\n\(text(SizeText.meaning)). Compressed: the layers as a pull transfers them, gzip unless named beside the figure (registry manifest, stored blobs, or ~estimated). Times: wall time of `docker build`, median ± standard deviation"
        if comparison != nil { out += "; a time change counts only when beyond its threshold and significant (\(WelchTest.name))" }
        out += ". ▲ bigger or slower, ▼ smaller or faster.\n"
        if let meaning = StepText.meaning(StepText.builders(report.results)) { out += "\n" + text(meaning) + "\n" }
        if CIText.phases(report.results).contains(.ci) { out += "\n" + text(CIText.meaning) + "\n" }
        if let meaning = StartText.meaning(report.results) { out += "\n" + text(meaning) + "\n" }
        if let emulated = PlatformText.emulated(report.results) { out += "\n" + text(emulated) + "\n" }
        for note in SizeText.engineNotes(report.results) { out += "\n" + text(note) + "\n" }
        if let podman = EngineText.podmanSizeNote(report.results) { out += "\n" + podman + "\n" }
        return out
    }

    /// One line: what a reviewer needs to know first.
    static func verdict(_ report: RunReport, _ comparison: Comparison?) -> String {
        let (good, text) = verdictText(report, comparison)
        return (good ? "✅ " : "❌ ") + text
    }

    /// Whether the news is good, and the verdict without a symbol.
    static func verdictText(_ report: RunReport, _ comparison: Comparison?) -> (good: Bool, text: String) {
        if let comparison {
            switch comparison.verdict {
            case .regression:
                let names = comparison.regressions.map { "\($0.variant)" }
                return (
                    false,
                    "regression in \(names.count) variant\(names.count == 1 ? "" : "s") against run \(comparison.baseline.id): \(names.joined(separator: ", "))"
                )
            case .onlyImprovements:
                return (
                    true,
                    "only improvements against run \(comparison.baseline.id) (\(comparison.improvements.count) variant\(comparison.improvements.count == 1 ? "" : "s"))"
                )
            case .noRegression:
                return (true, "no regression against run \(comparison.baseline.id)")
            }
        }
        let unexpected = report.results.filter(\.isUnexpected)
        let skipped = report.results.filter { $0.status == .skipped }
        if unexpected.isEmpty {
            if skipped.isEmpty { return (true, "all \(report.results.count) variants behaved as expected") }
            return (
                true,
                "the \(report.results.count - skipped.count) variants built behaved as expected; \(skipped.count) skipped: "
                    + skipped.map(\.name).joined(separator: ", ")
            )
        }
        return (
            false,
            "\(unexpected.count) of \(report.results.count) variants did not behave as expected: " + unexpected.map(\.name).joined(separator: ", ")
        )
    }

    static func section(_ scenario: String, report: RunReport, comparison: Comparison?) -> String {
        let rows = report.rows(for: scenario)
        let changes = Dictionary(
            (comparison?.changes ?? []).filter { $0.scenario == scenario }.map { ($0.variant, $0) }, uniquingKeysWith: { a, _ in a })
        let sharing = SharedBytes.compute(report.results)
        var headers = ["variant", "status", "size"]
        if comparison != nil { headers.append("Δ size") }
        let disk = SizeText.showsDisk(rows)
        if disk { headers.append(SizeText.diskHeader) }
        headers += ["compressed", "unique", "wasted", "layers"]
        let times = StartText.times(rows)
        for metric in times {
            headers.append(metric.rawValue)
            if comparison != nil { headers.append("Δ \(metric.rawValue)") }
        }
        headers += ["slowest step (cold)", "smoke"]
        let memory = StartText.showsMemory(rows)
        if memory { headers.append(StartText.memoryHeader) }
        let engines = EngineText.needsColumn(rows)
        if engines { headers.append("engine") }
        var out = "#### \(text(scenario))\n\n" + (EngineText.mixedWarning(rows).map { "> ⚠️ Mixed engines: \(text($0)).\n\n" } ?? "")
        out += row(headers) + "|"
        out += headers.map { ["variant", "status", "slowest step (cold)", "smoke", "engine"].contains($0) ? " --- |" : " ---: |" }.joined() + "\n"
        for r in rows {
            let change = changes[r.name]
            var cells = [code(r.name), statusCell(r, change)]
            cells.append(r.image.map { Units.bytes($0.sizeBytes) } ?? "—")
            if comparison != nil { cells.append(changeCell(change, .size)) }
            if disk { cells.append(SizeText.diskCell(r)) }
            cells.append(Units.compressed(r.insight))
            cells.append(sharing[r].map { Units.bytes($0.unique) } ?? "—")
            cells.append(r.insight.map { Units.bytes($0.wastedBytes) } ?? "—")
            cells.append(r.image.map { String($0.layers) } ?? "—")
            for metric in times {
                cells.append(Summary(metric.samples(of: r)).map(Units.medianSpread) ?? "—")
                if comparison != nil { cells.append(changeCell(change, metric)) }
            }
            cells.append(StepText.slowestCell(r, limit: 48, name: code))
            cells.append(smokeCell(r))
            if memory { cells.append(StartText.memoryCell(r)) }
            if engines { cells.append(text(EngineText.cell(r))) }
            out += row(cells)
        }
        if let comparison {
            let added = comparison.added.filter { $0.scenario == scenario }.map { code($0.variant) }
            let removed = comparison.removed.filter { $0.scenario == scenario }.map { code($0.variant) }
            if !added.isEmpty { out += "\nAdded since the baseline: \(added.joined(separator: ", ")).\n" }
            if !removed.isEmpty { out += "\nRemoved since the baseline: \(removed.joined(separator: ", ")).\n" }
            let steps = rows.compactMap { changes[$0.name] }.flatMap { change in
                change.steps.map { "- \($0.kind == .noLongerCached ? "❌ " : "")\(code(change.variant)): \(StepText.change($0, name: code))" }
            }
            if !steps.isEmpty { out += "\nSteps that changed:\n" + steps.joined(separator: "\n") + "\n" }
        }
        let notes = rows.flatMap { r in
            VariantNote.notes(for: r).map { note -> String in
                switch note {
                case .problem(let problem): "- \(code(r.name)): \(text(problem))"
                case .expectedBroken(let said): "- \(code(r.name)) is expected-broken; docker said: \(code(said))"
                case .secretsInContext(let paths):
                    "- ⚠️ \(code(r.name)): secrets in the build context: " + paths.map(code).joined(separator: ", ")
                case .secretsInImage(let paths):
                    "- 🚨 \(code(r.name)): secrets inside the image: " + paths.map(code).joined(separator: ", ")
                case .secretNamesInContext(let paths):
                    "- \(code(r.name)): named like secrets in the build context, content not flagged: " + paths.map(code).joined(separator: ", ")
                case .secretNamesInImage(let paths):
                    "- \(code(r.name)): named like secrets inside the image, content not flagged: " + paths.map(code).joined(separator: ", ")
                case .missingInterpreter(let linkage): "- \(code(r.name)): entrypoint \(text(linkage.summary))"
                case .editInvalidated(let invalidation, let build):
                    "- \(code(r.name)) \(StepText.invalidation(invalidation, build: build, name: code))"
                case .target(let stage): "- \(code(r.name)) builds \(code("--target " + stage)): that stage alone"
                case .ci(let verdict): "- \(code(r.name)) \(CIText.verdict(verdict, name: code))"
                case .ciSkipped(let reason): "- \(code(r.name)): ci phase skipped: \(text(reason))"
                case .ciProblem(let problem): "- \(code(r.name)): ci phase stopped: \(text(problem))"
                case .waste(let bytes, let efficiency, let largest):
                    "- \(code(r.name)) wastes \(Units.bytes(bytes)) (efficiency \(String(format: "%.1f", efficiency * 100))%), largest: \(code(largest))"
                }
            }
        }
        let gains = (CIText.gains(rows, name: code) + PlatformText.crossLines(rows, name: code)).map { "- \($0)" }
        if !notes.isEmpty || !gains.isEmpty { out += "\n" + (notes + gains).joined(separator: "\n") + "\n" }
        if let total = TableReport.sharedTotalLine(report, scenario) { out += "\n" + total + "\n" }
        if let ignore = TableReport.ignoreLine(rows, name: code) { out += "\n" + ignore + "\n" }
        out += packages(rows)
        out += layers(rows)
        out += platforms(rows)
        return out
    }

    /// Each platform of the variants built for a list of them, and what their index stores.
    static func platforms(_ rows: [VariantResult]) -> String {
        let indexed = rows.filter { $0.platformIndex != nil }
        guard !indexed.isEmpty else { return "" }
        var out = "\n" + row(["variant", "platform", "size", "compressed", "layers"]) + "| --- | --- | ---: | ---: | ---: |\n"
        for r in indexed {
            guard let index = r.platformIndex else { continue }
            let smoked = r.platform.flatMap { PlatformIndex.smokePlatform($0, native: r.engine?.architecture) }
            for m in index.members {
                out += row([
                    code(r.name), code(m.platform) + (m.platform == smoked ? " (smoke-tested)" : ""), Units.bytes(m.bytes),
                    Units.bytes(m.compressedBytes), String(m.layers),
                ])
            }
            out += row([code(r.name), "index, every blob once", "—", Units.bytes(index.storedBytes), "—"])
        }
        return out + "\n" + PlatformText.indexMeaning + "\n"
    }

    /// The largest packages and Go binaries of each variant, and why the largest image is larger.
    static func packages(_ rows: [VariantResult]) -> String {
        let inside = PackageText.lines(rows, name: code)
        guard !inside.isEmpty else { return "" }
        var out = "\n" + (PackageText.why(rows, name: code).map { $0 + "\n\n" } ?? "")
        out +=
            "<details><summary>Inside the images: largest packages, Go binaries</summary>\n\n| variant | packages and Go binaries |\n| --- | --- |\n"
        for line in inside { out += row([code(line.variant), line.text]) }
        return out + "\n" + text(PackageText.meaning) + "\n\n</details>\n"
    }

    static func layers(_ rows: [VariantResult]) -> String {
        let withHistory = rows.filter { !($0.image?.history.isEmpty ?? true) }
        guard !withHistory.isEmpty else { return "" }
        var out = "\n<details><summary>Layers per variant (docker history, uncompressed)</summary>\n\n"
        for r in withHistory {
            out += "**\(text(r.name))**\n\n| # | size | instruction |\n| ---: | ---: | --- |\n"
            for layer in r.image!.history {
                out += row([String(layer.position), Units.bytes(layer.sizeBytes), code(String(instruction(layer.createdBy).prefix(100)))])
            }
            out += "\n"
        }
        return out + "</details>\n"
    }

    /// `/bin/sh -c #(nop)  ENTRYPOINT ["/app"]` → `ENTRYPOINT ["/app"]`.
    public static func instruction(_ createdBy: String) -> String {
        var text = createdBy
        for prefix in ["/bin/sh -c #(nop) ", "/bin/sh -c "] where text.hasPrefix(prefix) {
            text = String(text.dropFirst(prefix.count))
            if prefix == "/bin/sh -c " { text = "RUN " + text }
            break
        }
        return text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "\n", with: " ")
    }

    static func statusCell(_ r: VariantResult, _ change: Comparison.VariantChange?) -> String {
        var text = r.status.rawValue
        if let change, change.statusKind == .regression { text += " ❌ (was \(change.baselineStatus.rawValue))" }
        if let change, change.statusKind == .improvement { text += " ✅ (was \(change.baselineStatus.rawValue))" }
        return text
    }

    /// The change of a metric with its verdict: ❌/✅ in Markdown, words where emoji may not render.
    static func changeCell(_ change: Comparison.VariantChange?, _ metric: Metric, symbols: Bool = true) -> String {
        guard let m = change?.metrics.first(where: { $0.metric == metric }), let delta = m.delta else { return "—" }
        var text = Units.change(delta, percent: m.percent, metric)
        switch m.kind {
        case .regression: text += symbols ? " ❌" : " (regression)"
        case .improvement: text += symbols ? " ✅" : " (improvement)"
        case .insufficient: text += " (too few runs)"
        case .notSignificant: text += " (noise)"
        default: break
        }
        return text
    }

    static func smokeCell(_ r: VariantResult) -> String {
        guard let smoke = r.smoke else { return "—" }
        if smoke.ok { return "✅ \(Units.seconds(smoke.seconds))" }
        return smoke.timedOut ? "❌ timeout" : "❌ exit \(smoke.exitCode.map(String.init) ?? "?")"
    }

    /// A code span: what is inside is shown as written and never read as HTML or Markdown. A backtick
    /// would end it and becomes `'`; a line break would end the line and becomes a space.
    static func code(_ raw: String) -> String { "`" + oneLine(raw).replacingOccurrences(of: "`", with: "'") + "`" }

    /// Text outside code spans, from docker, file names or scenarios: `&`, `<` and `>` as entities, so it
    /// never becomes a tag; pipes escaped and line breaks as spaces, so it never leaves its table cell.
    static func text(_ raw: String) -> String {
        oneLine(raw).replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "|", with: "\\|")
    }

    /// A table row of cells made by ``text(_:)``, ``code(_:)`` or imagebench itself: every `|` left in a
    /// cell, also inside a code span, is escaped (GitHub splits cells on it before reading code spans).
    static func row(_ cells: [String]) -> String {
        "| "
            + cells.map { cell in
                var escaped = ""
                var backslashes = 0
                for c in oneLine(cell) {
                    // A pipe after an odd number of backslashes is escaped already; after an even number it splits the cell.
                    if c == "|" && backslashes % 2 == 0 { escaped.append("\\") }
                    backslashes = c == "\\" ? backslashes + 1 : 0
                    escaped.append(c)
                }
                return escaped
            }.joined(separator: " | ") + " |\n"
    }

    static func oneLine(_ raw: String) -> String {
        raw.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).joined(separator: " ")
    }
}
