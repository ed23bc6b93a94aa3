import Foundation

/// What `imagebench db check` reports: SQLite's integrity check, the schema version and row counts.
public struct DatabaseCheck: Sendable, Equatable {
    /// `ok`, or what SQLite's `PRAGMA integrity_check` found.
    public var integrity: String
    /// The schema version the file records (0 for a file imagebench never wrote).
    public var schemaVersion: Int
    /// The newest schema version this imagebench knows.
    public var knownVersion: Int
    /// Rows per table, in the order the tables were made.
    public var rows: [TableRows]

    public struct TableRows: Sendable, Equatable {
        public var table: String
        public var count: Int64
    }

    public var isHealthy: Bool { integrity == "ok" && schemaVersion <= knownVersion }

    /// Reads the file without changing it: no migration runs, nothing is created.
    public static func run(path: String) throws(StoreError) -> DatabaseCheck {
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreError(.notFound, path: path, message: "no database here; give one with --db or IMAGEBENCH_DB")
        }
        let db = try Database(path: path)
        let integrity = (try db.scalarText("PRAGMA integrity_check")) ?? ""
        var tables: [String] = []
        let list = try db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid")
        while try list.step() { tables.append(list.text(0)) }
        let version =
            tables.contains("schema_migrations") ? Int(try db.scalarInt("SELECT COALESCE(MAX(version), 0) FROM schema_migrations") ?? 0) : 0
        var rows: [TableRows] = []
        for table in tables {
            rows.append(
                TableRows(
                    table: table, count: try db.scalarInt("SELECT COUNT(*) FROM \"\(table.replacingOccurrences(of: "\"", with: "\"\""))\"") ?? 0))
        }
        return DatabaseCheck(integrity: integrity, schemaVersion: version, knownVersion: Migrations.latest, rows: rows)
    }
}
