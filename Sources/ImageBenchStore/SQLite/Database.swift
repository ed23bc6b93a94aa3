import CSQLite
import Foundation

/// One SQLite connection. Not thread-safe: ``ResultStore`` (an actor) owns it.
final class Database {
    let path: String
    private(set) var handle: OpaquePointer?

    /// Opens (creating if needed) the database with WAL and a busy timeout, so a second writer waits.
    init(path: String, busyTimeoutMilliseconds: Int32 = 60_000, createIfMissing: Bool = true) throws(StoreError) {
        self.path = path
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX | (createIfMissing ? SQLITE_OPEN_CREATE : 0)
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(db)  // close the handle even when open fails
            throw StoreError(
                .cannotOpen, path: path, code: rc, message: "cannot open the database: \(message); check the path given with --db or IMAGEBENCH_DB")
        }
        handle = db
        sqlite3_busy_timeout(db, busyTimeoutMilliseconds)
        try execute("PRAGMA foreign_keys = ON")
        let mode = try scalarText("PRAGMA journal_mode = WAL")
        if mode?.lowercased() != "wal" {
            // A database on a filesystem without shared memory stays in its old mode; it still works.
        }
        try execute("PRAGMA synchronous = NORMAL")
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    func error(_ rc: Int32, sql: String?) -> StoreError {
        let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "unknown error"
        let reason: StoreError.Reason = rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB ? .corrupt : .sqlite
        var e = StoreError(reason, path: path, code: rc, message: message, sql: sql)
        if reason == .corrupt { e.message = "not a valid imagebench database (\(message)); give another file with --db" }
        return e
    }

    /// Runs one or more statements that return no rows.
    func execute(_ sql: String) throws(StoreError) {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        if let errorMessage { sqlite3_free(errorMessage) }
        if rc != SQLITE_OK { throw error(rc, sql: sql) }
    }

    func prepare(_ sql: String) throws(StoreError) -> Statement {
        try Statement(database: self, sql: sql)
    }

    func scalarText(_ sql: String) throws(StoreError) -> String? {
        let statement = try prepare(sql)
        return try statement.step() ? statement.text(0) : nil
    }

    func scalarInt(_ sql: String, _ values: [SQLValue] = []) throws(StoreError) -> Int64? {
        let statement = try prepare(sql)
        try statement.bind(values)
        return try statement.step() && !statement.isNull(0) ? statement.int(0) : nil
    }

    var lastInsertID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Runs `body` in a transaction that commits when it returns and rolls back when it throws.
    func transaction<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }
}
