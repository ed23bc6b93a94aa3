import ArgumentParser
import Foundation
import ImageBenchStore

/// `--db FILE`, shared by every command that reads or writes results.
struct DatabaseOptions: ParsableArguments {
    static let defaultPath = "Reports/imagebench.sqlite"

    @Option(name: .long, help: ArgumentHelp("SQLite file holding the results (default: $IMAGEBENCH_DB or \(defaultPath)).", valueName: "file"))
    var db: String?

    var path: String {
        if let db { return db }
        if let env = ProcessInfo.processInfo.environment["IMAGEBENCH_DB"], !env.isEmpty { return env }
        return Self.defaultPath
    }

    func validate() throws {
        if let db, db.isEmpty { throw ValidationError("--db needs a file path, e.g. --db results.sqlite") }
    }

    func open() throws -> ResultStore { try ResultStore(path: path) }

    /// Opens an existing database for reading; a missing file is "no runs", not a new empty file.
    func openExisting() throws -> ResultStore? {
        FileManager.default.fileExists(atPath: path) ? try ResultStore(path: path) : nil
    }
}
