/// A database that cannot be opened, read or written, with the SQL that failed.
public struct StoreError: Error, CustomStringConvertible, Equatable {
    public enum Reason: String, Sendable {
        case cannotOpen, sqlite, newerSchema, notFound, corrupt
        /// A value in the file that does not decode into what imagebench wrote there.
        case undecodable
    }

    public var reason: Reason
    public var path: String
    public var code: Int32
    public var message: String
    public var sql: String?

    public init(_ reason: Reason, path: String, code: Int32 = 0, message: String, sql: String? = nil) {
        self.reason = reason
        self.path = path
        self.code = code
        self.message = message
        self.sql = sql
    }

    /// `FILE: SQLite error 19: NOT NULL constraint failed: ... - while executing `...``.
    public var description: String {
        switch reason {
        case .sqlite:
            var text = "\(path): SQLite error \(code): \(message)"
            if let sql { text += " - while executing `\(sql.split(separator: "\n").joined(separator: " "))`" }
            return text
        default:
            return "\(path): \(message)"
        }
    }
}
