/// A record type's table, with its columns listed once: every statement that writes or reads the
/// table's rows is made from this list (writing a run, finishing a variant, merging a database).
protocol TableMapping {
    static var table: String { get }
    /// The columns a record writes, in the order of its values.
    static var columns: [String] { get }
}

extension TableMapping {
    static var insertSQL: String {
        "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))"
    }

    /// `SELECT rowid, id..., columns FROM table` followed by `clause`; `extra` are further result columns.
    static func selectSQL(_ clause: String, extra: [String] = []) -> String {
        "SELECT \((["rowid AS _rowid"] + extra + columns).joined(separator: ", ")) FROM \(table) \(clause)"
    }
}
