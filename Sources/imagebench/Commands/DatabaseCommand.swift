import ArgumentParser
import Foundation
import ImageBenchStore

struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db", abstract: "Look after the results database.", subcommands: [CheckCommand.self])

    struct CheckCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Run SQLite's integrity check and print the schema version and row counts; changes nothing. Exit 74 when not ok.")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let check = try DatabaseCheck.run(path: database.path)
            print("database: \(database.path)")
            print("integrity: \(check.integrity)")
            var version = "schema version: \(check.schemaVersion) (this imagebench knows up to \(check.knownVersion))"
            if check.schemaVersion > check.knownVersion { version += "; written by a newer imagebench: upgrade before writing to it" }
            if check.schemaVersion < check.knownVersion { version += "; the next run or report brings it up to date" }
            print(version)
            print("rows: " + check.rows.map { "\($0.table) \($0.count)" }.joined(separator: ", "))
            if !check.isHealthy { throw ExitStatus.database.exitCode }
        }
    }
}
