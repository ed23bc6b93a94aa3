import ImageBenchCore

/// `run --commits`: what each commit of the range came to.
public enum CommitRunsReport {
    public static func table(_ rows: [(commit: CommitInfo, run: RunRecord, result: String)]) -> String {
        var table = TextTable(headers: ["commit", "date", "subject", "result"], alignments: [.left, .left, .left, .left])
        for row in rows {
            table.append([row.commit.short, Units.timestamp(row.commit.date), subject(row.commit.subject), row.result])
        }
        return table.render()
    }

    /// A subject cut to fit a table row.
    static func subject(_ text: String, width: Int = 48) -> String {
        text.count <= width ? text : String(text.prefix(width - 1)) + "…"
    }
}
