import CSQLite

/// A prepared statement: prepared in `init`, finalized in `deinit`.
final class Statement {
    private let database: Database
    private var handle: OpaquePointer?
    let sql: String

    private static let transient = unsafeBitCast(Int(-1), to: sqlite3_destructor_type.self)

    init(database: Database, sql: String) throws(StoreError) {
        self.database = database
        self.sql = sql
        let rc = sqlite3_prepare_v2(database.handle, sql, -1, &handle, nil)
        if rc != SQLITE_OK {
            sqlite3_finalize(handle)
            throw database.error(rc, sql: sql)
        }
    }

    deinit {
        sqlite3_finalize(handle)
    }

    func bind(_ values: [SQLValue]) throws(StoreError) {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let rc: Int32
            switch value {
            case .int(let v): rc = sqlite3_bind_int64(handle, index, v)
            case .double(let v): rc = sqlite3_bind_double(handle, index, v)
            case .text(let v): rc = sqlite3_bind_text(handle, index, v, -1, Statement.transient)
            case .null: rc = sqlite3_bind_null(handle, index)
            }
            if rc != SQLITE_OK { throw database.error(rc, sql: sql) }
        }
    }

    /// Advances to the next row; false when done.
    @discardableResult
    func step() throws(StoreError) -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw database.error(rc, sql: sql)
        }
    }

    /// Binds, runs to completion and resets.
    func run(_ values: [SQLValue]) throws(StoreError) {
        try bind(values)
        while try step() {}
        sqlite3_reset(handle)
    }

    /// The result columns by name (`SELECT a, b AS c` → a, c), for reading rows by name.
    private(set) lazy var columnIndex: [String: Int32] = {
        var index: [String: Int32] = [:]
        for i in 0..<sqlite3_column_count(handle) {
            if let name = sqlite3_column_name(handle, i) { index[String(cString: name)] = i }
        }
        return index
    }()

    var databasePath: String { database.path }

    /// SQLite's storage class of a result column's value in the current row.
    enum StorageClass: String {
        case integer, real, text, blob, null
    }

    func type(_ column: Int32) -> StorageClass {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_INTEGER: .integer
        case SQLITE_FLOAT: .real
        case SQLITE_TEXT: .text
        case SQLITE_BLOB: .blob
        default: .null
        }
    }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }
    func int(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }
    func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }
    func text(_ column: Int32) -> String {
        guard let c = sqlite3_column_text(handle, column) else { return "" }
        return String(cString: c)
    }
    func optionalText(_ column: Int32) -> String? { isNull(column) ? nil : text(column) }
    func optionalInt(_ column: Int32) -> Int64? { isNull(column) ? nil : int(column) }
}
