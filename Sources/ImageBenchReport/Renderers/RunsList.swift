import ImageBenchCore

/// `imagebench runs`: one line per run.
public enum RunsList {
    public static func render(_ runs: [(run: RunRecord, variants: Int)]) -> String {
        guard !runs.isEmpty else { return "No runs yet: run `imagebench run SCENARIO` first.\n" }
        var table = TextTable(
            headers: ["id", "started", "status", "scenarios", "variants", "labels"],
            alignments: [.right, .left, .left, .left, .right, .left])
        for (run, variants) in runs {
            table.append([
                String(run.id), Units.timestamp(run.startedAt), run.status.rawValue,
                run.scenarios.map(\.name).joined(separator: ","), String(variants),
                run.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","),
            ])
        }
        return table.render()
    }
}
