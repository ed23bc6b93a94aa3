import Foundation

/// The current row of a statement, read by column name. A column the query lacks, or a value that does
/// not decode (an unknown status, JSON that does not fit its type), throws a ``StoreError`` naming the
/// table, the column and the row, instead of becoming a default.
struct Row {
    let statement: Statement
    let table: String

    /// The row's `rowid` when the query selected it (as `_rowid`), for messages.
    var rowID: Int64? {
        statement.columnIndex["_rowid"].map { statement.int($0) }
    }

    private func index(_ column: String) throws(StoreError) -> Int32 {
        guard let i = statement.columnIndex[column] else { throw undecodable(column, "the query has no such column") }
        return i
    }

    func undecodable(_ column: String, _ problem: String) -> StoreError {
        let row = rowID.map { "row \($0)" } ?? "a row"
        return StoreError(
            .undecodable, path: statement.databasePath,
            message:
                "table \(table), column \(column), \(row): \(problem); the file was changed by something other than imagebench (`imagebench db check` checks it)"
        )
    }

    func isNull(_ column: String) throws(StoreError) -> Bool { statement.isNull(try index(column)) }

    func int(_ column: String) throws(StoreError) -> Int64 {
        guard let value = try optionalInt(column) else { throw undecodable(column, "NULL where a number belongs") }
        return value
    }

    func optionalInt(_ column: String) throws(StoreError) -> Int64? {
        let i = try index(column)
        switch statement.type(i) {
        case .null: return nil
        case .integer: return statement.int(i)
        default: throw undecodable(column, "\(statement.text(i).prefix(60)) where a whole number belongs")
        }
    }

    func double(_ column: String) throws(StoreError) -> Double {
        guard let value = try optionalDouble(column) else { throw undecodable(column, "NULL where a number belongs") }
        return value
    }

    func optionalDouble(_ column: String) throws(StoreError) -> Double? {
        let i = try index(column)
        switch statement.type(i) {
        case .null: return nil
        case .integer, .real: return statement.double(i)
        default: throw undecodable(column, "\(statement.text(i).prefix(60)) where a number belongs")
        }
    }

    func text(_ column: String) throws(StoreError) -> String {
        guard let value = try optionalText(column) else { throw undecodable(column, "NULL where text belongs") }
        return value
    }

    func optionalText(_ column: String) throws(StoreError) -> String? {
        let i = try index(column)
        switch statement.type(i) {
        case .null: return nil
        case .text: return statement.text(i)
        default: throw undecodable(column, "a \(statement.type(i)) value where text belongs")
        }
    }

    /// A text column holding one of an enum's raw values.
    func value<T: RawRepresentable>(_ type: T.Type, _ column: String) throws(StoreError) -> T where T.RawValue == String {
        let raw = try text(column)
        guard let value = T(rawValue: raw) else { throw undecodable(column, "\"\(raw)\" is not a \(String(describing: T.self))") }
        return value
    }

    /// A text column holding JSON of `type`.
    func json<T: Decodable>(_ type: T.Type, _ column: String) throws(StoreError) -> T {
        let raw = try text(column)
        return try decode(type, raw, column)
    }

    /// A text column holding JSON of `type`, or NULL.
    func optionalJSON<T: Decodable>(_ type: T.Type, _ column: String) throws(StoreError) -> T? {
        guard let raw = try optionalText(column) else { return nil }
        return try decode(type, raw, column)
    }

    private func decode<T: Decodable>(_ type: T.Type, _ raw: String, _ column: String) throws(StoreError) -> T {
        do {
            return try JSONColumn.decoder.decode(type, from: Data(raw.utf8))
        } catch {
            throw undecodable(column, "\(raw.prefix(60))\(raw.count > 60 ? "…" : "") is not a \(String(describing: T.self)) (\(Self.reason(error)))")
        }
    }

    static func reason(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let key, _)?: "no \(key.stringValue)"
        case .typeMismatch(_, let context)?, .dataCorrupted(let context)?, .valueNotFound(_, let context)?:
            context.codingPath.isEmpty
                ? "not JSON" : context.codingPath.map(\.stringValue).joined(separator: ".") + ": " + context.debugDescription
        default: "not JSON"
        }
    }
}
