import Foundation
import ImageBenchCore

/// One self-contained HTML file: the tables, SVG bar charts of size and build time, trend lines over
/// earlier runs, and each image's layers. No scripts, fonts or network.
public enum HTMLReport {
    /// `trends`: per scenario, the size and cold-build series over earlier runs (from the store's history).
    /// With `commits` (run id → the commit it was made from), the trend lines' axis is commits instead.
    public static func render(
        _ report: RunReport, comparison: Comparison? = nil, trends: [String: [HistorySeries]] = [:], commits: [Int64: CommitInfo]? = nil
    ) -> String {
        guard let run = report.runs.first else { return page(title: "imagebench", body: "<p>No runs yet.</p>") }
        let env = run.environment
        var body = "<header><h1>imagebench · run \(run.id)</h1>"
        let (good, verdict) = MarkdownReport.verdictText(report, comparison)
        body += "<p class=\"verdict \(good ? "good" : "bad")\">\(good ? "✓" : "✗") \(e(verdict))</p>"
        body +=
            "<p class=\"env\">\(e(run.status.rawValue)) · \(e(Units.timestamp(run.startedAt))) · \(e(EngineText.header(env)))"
        if let comparison { body += " · baseline: run \(comparison.baseline.id)" }
        body += "</p>"
        if let comparison, !comparison.environmentDifferences.isEmpty {
            body +=
                "<p class=\"warning\">The runs come from different environments: \(e(comparison.environmentDifferences.joined(separator: "; ")))</p>"
        }
        body += "</header>"
        for scenario in report.scenarios {
            body += section(scenario, report: report, run: run, comparison: comparison, trends: trends[scenario] ?? [], commits: commits)
        }
        body +=
            "<footer>\(e(SizeText.meaning)). \(e(SizeText.engineNotes(report.results).map { $0 + " " }.joined()))Compressed: the layers as a pull transfers them, gzip unless named beside the figure, from the registry's manifest, the engine's stored blobs or ~estimated by gzip. Times: wall time of <code>docker build</code>, median ± standard deviation over the repetitions. \(e(StartText.meaning(report.results).map { $0 + " " } ?? ""))\(e(PlatformText.emulated(report.results).map { $0 + " " } ?? ""))\(e(EngineText.podmanSizeNote(report.results).map { $0 + " " } ?? ""))Written by imagebench \(e(env.imagebenchVersion)).</footer>"
        return page(title: "imagebench run \(run.id)", body: body)
    }

    static func section(
        _ scenario: String, report: RunReport, run: RunRecord, comparison: Comparison?, trends: [HistorySeries], commits: [Int64: CommitInfo]?
    ) -> String {
        let rows = report.rows(for: scenario)
        var html = "<section><h2>\(e(scenario))</h2>"
        if let mixed = EngineText.mixedWarning(rows) { html += "<p class=\"warning\">Mixed engines: \(e(mixed))</p>" }
        if let images = run.scenarios.first(where: { $0.name == scenario })?.images, !images.isEmpty {
            html +=
                "<p class=\"images\">Images used: "
                + images.map { i in
                    "<code>\(e(i.name))</code> = <code>\(e(i.used))</code>"
                        + (i.used == i.requested
                            ? ""
                            : " (stands in for <code>\(e(i.requested))</code>, \(e(i.source))\(i.provides.map { "; it holds: \(e($0))" } ?? "")\(e(TableReport.platformNote(i))))")
                }.joined(separator: "; ") + "</p>"
        }
        let changes = (comparison?.changes ?? []).filter { $0.scenario == scenario }
        html += table(
            rows, smallest: report.smallestWorkingSize(for: scenario), changes: comparison == nil ? nil : changes,
            sharing: SharedBytes.compute(report.results), engines: EngineText.needsColumn(rows))
        let steps = changes.flatMap { change in
            change.steps.map { "<li>\(e(change.variant)): \(StepText.change($0, name: { "<code>\(e($0))</code>" }))</li>" }
        }
        if !steps.isEmpty { html += "<p>Steps that changed since the baseline:</p><ul class=\"images\">" + steps.joined() + "</ul>" }
        if let total = TableReport.sharedTotalLine(report, scenario) { html += "<p class=\"images\">\(e(total))</p>" }
        if let ignore = TableReport.ignoreLine(rows, name: { "<code>\(e($0))</code>" }) { html += "<p class=\"images\">\(ignore)</p>" }
        html += packages(rows)
        html += platforms(rows)
        html += "<div class=\"charts\">"
        // A platform or compression pair side by side: what those axes exist to compare.
        let charted = PairOrder.grouped(rows)
        let sized = charted.filter { $0.image != nil }
        html += "<figure><figcaption>Image size (what the layers hold unpacked)</figcaption>"
        html +=
            SVGChart.bars(
                sized.map { ($0.name, Double($0.image!.sizeBytes), Units.bytes($0.image!.sizeBytes)) }, color: SVGChart.palette[0],
                cssClass: "chart size-chart") + "</figure>"
        let compressed = charted.filter { $0.insight?.compressedBytes != nil }
        if !PairOrder.pairAxes(rows).isEmpty, !compressed.isEmpty {
            html += "<figure><figcaption>Compressed size (what a pull transfers)</figcaption>"
            html +=
                SVGChart.bars(
                    compressed.map { ($0.name, Double($0.insight!.compressedBytes!), Units.compressed($0.insight)) }, color: SVGChart.palette[2],
                    cssClass: "chart compressed-chart") + "</figure>"
        }
        let phases = CIText.phases(rows)
        html += "<figure><figcaption>Build time, median (s)</figcaption>"
        html +=
            SVGChart.groupedBars(
                charted.map { r in (r.name, phases.map { Summary(r.samples($0))?.median }) }, series: phases.map(\.rawValue),
                format: { Units.seconds($0) }, cssClass: "chart time-chart") + "</figure>"
        for series in [Metric.size, .cold].map({ m in trends.filter { $0.metric == m } }) where !series.isEmpty {
            let metric = series[0].metric
            let axis = TrendAxis(series, commits: commits)
            guard axis.count > 0 else { continue }
            html +=
                "<figure><figcaption>\(metric == .size ? "Size" : "Cold build time") over the last \(axis.count) \(axis.unit)\(axis.count == 1 ? "" : "s")"
                + (HistoryReport.mixedEngines(HistorySeries.engines(series)).map { " · \(e($0))" } ?? "") + "</figcaption>"
            html +=
                SVGChart.lines(axis.lines, format: { Units.metric($0, metric) }, cssClass: "chart trend-chart", label: axis.label) + "</figure>"
        }
        html += "</div>" + waterfalls(rows)
        let layered = rows.filter { !($0.image?.history.isEmpty ?? true) }
        if !layered.isEmpty {
            html += "<details open><summary>Layers per image (docker history, uncompressed)</summary>"
            for r in layered {
                html +=
                    "<h3>\(e(r.name)) · \(Units.bytes(r.image!.sizeBytes))</h3>" + SVGChart.layers(r.image!.history, cssClass: "chart layer-chart")
                html += "<table class=\"layers\"><tr><th>#</th><th>size</th><th>instruction</th></tr>"
                for layer in r.image!.history {
                    html +=
                        "<tr><td>\(layer.position)</td><td class=\"num\">\(Units.bytes(layer.sizeBytes))</td><td><code>\(e(String(MarkdownReport.instruction(layer.createdBy).prefix(160))))</code></td></tr>"
                }
                html += "</table>"
            }
            html += "</details>"
        }
        return html + "</section>"
    }

    /// Per variant, the steps of its median cold, edit and ci build on their time lines.
    /// Why the largest image is larger, and each variant's largest packages and Go binaries.
    static func packages(_ rows: [VariantResult]) -> String {
        let code = { (text: String) in "<code>\(e(text))</code>" }
        let inside = PackageText.lines(rows, name: code)
        guard !inside.isEmpty else { return "" }
        var html = PackageText.why(rows, name: code).map { "<p class=\"why\">\($0)</p>" } ?? ""
        html +=
            "<details><summary>Inside the images: largest packages, Go binaries</summary><table><tr><th>variant</th><th>packages and Go binaries</th></tr>"
        for line in inside { html += "<tr><td>\(code(line.variant))</td><td>\(line.text)</td></tr>" }
        return html + "</table><p class=\"images\">\(e(PackageText.meaning))</p></details>"
    }

    /// Each platform of the variants built for a list of them, and what their index stores.
    static func platforms(_ rows: [VariantResult]) -> String {
        let lines = PlatformText.indexLines(rows)
        guard !lines.isEmpty else { return "" }
        var html = "<table class=\"platforms\"><tr><th>variant</th><th>platforms</th></tr>"
        for line in lines { html += "<tr><td><code>\(e(line.variant))</code></td><td><code>\(e(line.text))</code></td></tr>" }
        return html + "</table><p class=\"images\">\(e(PlatformText.indexMeaning))</p>"
    }

    static func waterfalls(_ rows: [VariantResult]) -> String {
        var html = ""
        for r in rows {
            for phase in [Phase.cold, .edit, .ci] {
                let builds = r.builds.filter { $0.phase == phase && $0.succeeded && !($0.steps ?? []).isEmpty }.sorted { $0.seconds < $1.seconds }
                guard !builds.isEmpty else { continue }
                let build = builds[(builds.count - 1) / 2]
                let which = builds.count == 1 ? "" : ", the median of \(builds.count)"
                html +=
                    "<h3>\(e(r.name)) · \(phase.rawValue) build \(build.repetition)\(which) · \(Units.seconds(build.seconds)) · \(e(build.builder.rawValue))</h3>"
                html += SVGChart.waterfall(build.steps ?? [], wall: build.seconds, cssClass: "chart step-chart")
            }
        }
        guard !html.isEmpty else { return "" }
        let meaning = e(StepText.meaning(StepText.builders(rows)) ?? "")
        return
            "<details open><summary>Steps per variant: where the build's time goes (filled: ran; hollow: cache hit; grey: the builder's own steps and FROM)</summary>"
            + html + "<p class=\"images\">\(meaning)</p></details>"
    }

    /// `changes` (with a baseline) adds a change column after size and each phase.
    static func table(
        _ rows: [VariantResult], smallest: Int64?, changes: [Comparison.VariantChange]?, sharing: SharedBytes.Index, engines: Bool = false
    ) -> String {
        let delta = changes != nil
        let disk = SizeText.showsDisk(rows)
        var html = "<div class=\"table-wrap\"><table><tr><th>variant</th><th>status</th><th>size</th>" + (delta ? "<th>Δ size</th>" : "")
        if disk { html += "<th>\(SizeText.diskHeader)</th>" }
        html += "<th>compressed</th><th>vs min</th><th>unique</th><th>wasted</th><th>layers</th><th>context</th>"
        let times = StartText.times(rows)
        let memory = StartText.showsMemory(rows)
        for metric in times { html += "<th>\(metric.rawValue)</th>" + (delta ? "<th>Δ \(metric.rawValue)</th>" : "") }
        html +=
            "<th>slowest step (cold)</th><th>smoke</th>" + (memory ? "<th>\(StartText.memoryHeader)</th>" : "") + (engines ? "<th>engine</th>" : "")
            + "</tr>"
        let columns = 11 + (delta ? 1 : 0) + (disk ? 1 : 0) + times.count * (delta ? 2 : 1) + (memory ? 1 : 0) + (engines ? 1 : 0)
        for r in rows {
            let change = changes?.first { $0.variant == r.name }
            let size = r.image?.sizeBytes
            let ratio = (size != nil && smallest != nil && r.status == .ok) ? Units.ratio(Double(size!) / Double(smallest!)) : "—"
            html += "<tr class=\"\(r.status.rawValue)\"><td><code>\(e(r.name))</code></td><td>\(e(r.status.rawValue))</td>"
            html += "<td class=\"num\">\(size.map(Units.bytes) ?? "—")</td>"
            if delta { html += "<td class=\"num delta\">\(e(MarkdownReport.changeCell(change, .size, symbols: false)))</td>" }
            if disk { html += "<td class=\"num\">\(e(SizeText.diskCell(r)))</td>" }
            html += "<td class=\"num\">\(Units.compressed(r.insight))</td>"
            html += "<td class=\"num\">\(ratio)</td>"
            html += "<td class=\"num\">\(sharing[r].map { Units.bytes($0.unique) } ?? "—")</td>"
            html += "<td class=\"num\">\(r.insight.map { Units.bytes($0.wastedBytes) } ?? "—")</td>"
            html += "<td class=\"num\">\(r.image.map { String($0.layers) } ?? "—")</td>"
            html += "<td class=\"num\">\(e(TableReport.contextCell(r)))</td>"
            for metric in times {
                html += "<td class=\"num\">\(Summary(metric.samples(of: r)).map(Units.medianSpread) ?? "—")</td>"
                if delta { html += "<td class=\"num delta\">\(e(MarkdownReport.changeCell(change, metric, symbols: false)))</td>" }
            }
            html += "<td>\(e(StepText.slowestCell(r, limit: 48)))</td>"
            html +=
                "<td class=\"smoke\">\(e(TableReport.smokeCell(r)))</td>" + (memory ? "<td class=\"num\">\(StartText.memoryCell(r))</td>" : "")
                + (engines ? "<td>\(e(EngineText.cell(r)))</td>" : "") + "</tr>"
            for note in VariantNote.notes(for: r) {
                let cssClass: String
                let body: String
                switch note {
                case .problem(let text): (cssClass, body) = ("note", e(text))
                case .expectedBroken(let said): (cssClass, body) = ("note", "expected-broken; docker said: <code>\(e(said))</code>")
                case .missingInterpreter(let linkage): (cssClass, body) = ("note", "entrypoint " + e(linkage.summary))
                case .editInvalidated(let invalidation, let build):
                    (cssClass, body) = ("note", StepText.invalidation(invalidation, build: build, name: { "<code>\(e($0))</code>" }))
                case .waste(let bytes, let efficiency, let largest):
                    cssClass = "note"
                    body =
                        "wastes \(Units.bytes(bytes)) (efficiency \(String(format: "%.1f", efficiency * 100))%, as dive counts it); largest: <code>\(e(largest))</code>"
                case .secretsInImage(let paths):
                    (cssClass, body) = ("note secret", "secrets inside the image: <code>\(e(paths.joined(separator: ", ")))</code>")
                case .secretsInContext(let paths):
                    (cssClass, body) = ("note secret", "secrets in the build context: <code>\(e(paths.joined(separator: ", ")))</code>")
                case .secretNamesInImage(let paths):
                    (cssClass, body) = (
                        "note", "named like secrets inside the image, content not flagged: <code>\(e(paths.joined(separator: ", ")))</code>"
                    )
                case .secretNamesInContext(let paths):
                    (cssClass, body) = (
                        "note", "named like secrets in the build context, content not flagged: <code>\(e(paths.joined(separator: ", ")))</code>"
                    )
                case .target(let stage): (cssClass, body) = ("note", "builds <code>--target \(e(stage))</code>: that stage alone")
                case .ci(let verdict): (cssClass, body) = ("note", CIText.verdict(verdict, name: { "<code>\(e($0))</code>" }))
                case .ciSkipped(let reason): (cssClass, body) = ("note", "ci phase skipped: " + e(reason))
                case .ciProblem(let problem): (cssClass, body) = ("note", "ci phase stopped: " + e(problem))
                }
                html += "<tr class=\"\(cssClass)\"><td colspan=\"\(columns)\">\(body)</td></tr>"
            }
        }
        for gain in CIText.gains(rows, name: { "<code>\(e($0))</code>" }) + PlatformText.crossLines(rows).map(e) {
            html += "<tr class=\"note\"><td colspan=\"\(columns)\">\(gain)</td></tr>"
        }
        return html + "</table></div>"
    }

    static func page(title: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(e(title))</title>
        <style>
        body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1400px;color:#222;background:#fff;padding:0 16px}
        .table-wrap{overflow-x:auto}td.num.delta{white-space:normal;font-size:.85em;min-width:6em}
        h1{font-size:1.5em;margin:0 0 4px}h2{border-bottom:2px solid #4C78A8;padding-bottom:4px;margin-top:32px}h3{font-size:1em;margin:16px 0 4px}
        .verdict{font-size:1.15em;font-weight:600}.verdict.good{color:#1b7f3b}.verdict.bad{color:#b00020}td.smoke{white-space:nowrap}.env,.images,footer{color:#555;font-size:.9em}.warning{background:#fff3cd;padding:6px 10px;border-radius:4px}
        table{border-collapse:collapse;margin:12px 0;font-size:.88em}th,td{padding:4px 8px;border-bottom:1px solid #ddd;text-align:left}th{background:#f3f5f8}
        td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}tr.expected-broken td{color:#777}tr.broken td,tr.build-failed td{color:#b00020}
        tr.note td{font-size:.85em;color:#666;border-bottom:1px solid #ddd}
        .charts{display:flex;flex-wrap:wrap;gap:8px}figure{margin:8px 0}figcaption{font-weight:600;font-size:.9em;margin-bottom:4px}
        svg text{font-family:inherit;font-size:12px;fill:#333}svg text.small{font-size:10px;fill:#555}svg .axis{stroke:#999}
        code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.92em}footer{margin-top:32px;border-top:1px solid #ddd;padding-top:8px}
        </style></head>
        <body>\(body)</body></html>

        """
    }

    static func e(_ s: String) -> String { SVGChart.escape(s) }
}

/// The x axis of trend lines: runs, or (with the commit of each run) commits in commit order, each
/// commit showing its newest run.
struct TrendAxis {
    var lines: [(name: String, points: [(run: Int64, value: Double?)])]
    var label: (Int64) -> String
    var unit: String
    var count: Int

    init(_ series: [HistorySeries], commits: [Int64: CommitInfo]?) {
        guard let commits else {
            lines = series.map { s in (s.variant, s.points.map { ($0.runID, $0.value) }) }
            label = { "run \($0)" }
            unit = "run"
            count = Set(series.flatMap { $0.points.map(\.runID) }).count
            return
        }
        var firstRun: [String: Int64] = [:]
        var commitOf: [String: CommitInfo] = [:]
        for point in series.flatMap(\.points) {
            guard let commit = commits[point.runID] else { continue }
            commitOf[commit.sha] = commit
            firstRun[commit.sha] = min(firstRun[commit.sha] ?? .max, point.runID)
        }
        let ordered = commitOf.values.sorted { ($0.date, firstRun[$0.sha]!) < ($1.date, firstRun[$1.sha]!) }
        let position = Dictionary(uniqueKeysWithValues: ordered.enumerated().map { ($0.element.sha, Int64($0.offset)) })
        lines = series.map { s in
            var newest: [Int64: (run: Int64, value: Double?)] = [:]
            for point in s.points {
                guard let sha = commits[point.runID]?.sha, let x = position[sha] else { continue }
                if (newest[x]?.run ?? .min) < point.runID { newest[x] = (point.runID, point.value) }
            }
            return (s.variant, newest.keys.sorted().map { ($0, newest[$0]!.value) })
        }
        label = { ordered.indices.contains(Int($0)) ? "commit \(ordered[Int($0)].short)" : "" }
        unit = "commit"
        count = ordered.count
    }
}
