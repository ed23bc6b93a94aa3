import ImageBenchCore

/// `imagebench history`: per variant, one row per run with the value and its change, and a sparkline.
public enum HistoryReport {
    public static func render(_ series: [HistorySeries]) -> String {
        guard let first = series.first else { return "No runs of this scenario yet.\n" }
        var out = heading(first.scenario, first.metric)
        let engines = HistorySeries.engines(series)
        if let mixed = mixedEngines(engines) { out += "warning: \(mixed)\n" }
        for s in series {
            out += "\n\(s.variant)  \(Sparkline.render(s.points.map(\.value)))\n"
            var table = TextTable(
                headers: ["run", "started", "status", s.metric.rawValue, "change"] + (engines.count > 1 ? ["engine"] : []),
                alignments: [.right, .left, .left, .right, .right, .left])
            var previous: Double?
            for point in s.points {
                var change = ""
                if let value = point.value, let before = previous {
                    change = Units.change(from: before, to: value, s.metric)
                }
                table.append(
                    [
                        String(point.runID), Units.timestamp(point.startedAt), point.status.rawValue,
                        point.value.map { Units.metric($0, s.metric) } ?? "—", change,
                    ] + (engines.count > 1 ? [point.engine ?? "—"] : []))
                if let value = point.value { previous = value }
            }
            out += table.render()
        }
        if first.metric == .compressed && series.allSatisfy({ $0.points.allSatisfy { $0.value == nil } }) {
            out += "\nNo compressed sizes are recorded in these runs.\n"
        }
        return out
    }

    /// `history --by commit`: per variant, a row per commit with its date and subject, the value and the
    /// change from the previous commit that has one; skipped commits say why.
    public static func byCommit(_ histories: [CommitHistory]) -> String {
        guard let first = histories.first else { return "No runs of this scenario yet.\n" }
        var out = heading(first.scenario, first.metric)
        if let mixed = mixedEngines(Array(Set(histories.flatMap(\.engines))).sorted()) { out += "warning: \(mixed)\n" }
        for history in histories where !history.rows.isEmpty {
            out += "\n\(history.variant)  \(Sparkline.render(history.rows.filter { $0.skipped == nil }.map(\.value)))\n"
            var table = TextTable(
                headers: ["commit", "date", "subject", "run", history.metric.rawValue, "change"],
                alignments: [.left, .left, .left, .right, .right, .right])
            var previous: Double?
            for row in history.rows {
                var change = ""
                if let value = row.value, let before = previous {
                    change = Units.change(from: before, to: value, history.metric)
                }
                let shown = row.skipped.map { "skipped: \($0)" } ?? row.value.map { Units.metric($0, history.metric) } ?? "— (\(row.status))"
                table.append(
                    [
                        row.commit.short, Units.timestamp(row.commit.date), CommitRunsReport.subject(row.commit.subject), String(row.runID), shown,
                        change,
                    ])
                if let value = row.value { previous = value }
            }
            out += table.render()
        }
        return out
    }

    static func heading(_ scenario: String, _ metric: Metric) -> String {
        let what =
            switch metric {
            case .start: "median seconds from `docker run` to the service's first expected answer"
            case .pull: "median seconds a fresh engine takes to pull and unpack the image from the registry"
            case .size: "what the layers hold unpacked, SI units"
            case .compressed: "compressed bytes, SI units"
            case .cold, .warm, .edit, .ci, .ciNone: "median wall time of `docker build`"
            }
        return "\(scenario) · \(metric.rawValue) (\(what))\n"
    }

    /// Said when the runs come from engines that differ; nil for one engine.
    static func mixedEngines(_ engines: [String]) -> String? {
        engines.count > 1
            ? "these runs come from \(engines.count) different engines (\(engines.joined(separator: "; "))): values compare only between runs of one engine"
            : nil
    }
}
