import ImageBenchCore

/// `imagebench history`: per variant, one row per run with the value and its change, and a sparkline.
public enum HistoryReport {
    public static func render(_ series: [HistorySeries]) -> String {
        guard let first = series.first else { return "No runs of this scenario yet.\n" }
        let what =
            switch first.metric {
            case .start: "median seconds from `docker run` to the service's first expected answer"
            case .size: "uncompressed bytes on disk, SI units"
            case .compressed: "compressed bytes, SI units"
            case .cold, .warm, .edit, .ci, .ciNone: "median wall time of `docker build`"
            }
        var out = "\(first.scenario) · \(first.metric.rawValue) (\(what))\n"
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
                    change = Units.change(value - before, percent: before == 0 ? nil : (value - before) / before * 100, s.metric)
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

    /// Said when the runs come from engines that differ; nil for one engine.
    static func mixedEngines(_ engines: [String]) -> String? {
        engines.count > 1
            ? "these runs come from \(engines.count) different engines (\(engines.joined(separator: "; "))): values compare only between runs of one engine"
            : nil
    }
}
