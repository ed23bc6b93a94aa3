import ArgumentParser
import Foundation
import ImageBenchCore
import ImageBenchStore

struct MergeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge databases written elsewhere (for example CI matrix shards) into one; a run already there is skipped.")

    @Argument(help: ArgumentHelp("The database to merge into (made when missing).", valueName: "out"))
    var output: String

    @Argument(help: ArgumentHelp("Databases to merge from; they are read, never changed.", valueName: "in"))
    var inputs: [String]

    func validate() throws {
        if inputs.isEmpty { throw ValidationError("merge needs at least one database to merge from, e.g. imagebench merge all.sqlite shard1.sqlite") }
    }

    func run() async throws {
        // Every schema version is checked before anything is written.
        for input in inputs {
            let check = try DatabaseCheck.run(path: input)
            if check.schemaVersion > check.knownVersion {
                throw StoreError(
                    .newerSchema, path: input,
                    message:
                        "written by a newer imagebench (schema version \(check.schemaVersion), this one knows up to \(check.knownVersion)); upgrade imagebench to merge it"
                )
            }
            if check.integrity != "ok" { throw StoreError(.corrupt, path: input, message: "fails SQLite's integrity check: \(check.integrity)") }
        }
        if FileManager.default.fileExists(atPath: output) {
            let check = try DatabaseCheck.run(path: output)
            if check.schemaVersion > check.knownVersion {
                throw StoreError(
                    .newerSchema, path: output,
                    message: "written by a newer imagebench (schema version \(check.schemaVersion)); upgrade imagebench to merge into it")
            }
        }
        let target = try ResultStore(path: output)
        var added = 0
        var skipped = 0
        for input in inputs {
            let here = try await ResultStore.withSnapshotCopy(of: input) { source in
                var here = (added: 0, skipped: 0)
                for summary in try await source.runSummaries() {
                    if try await target.hasRun(uid: summary.run.uid) {
                        here.skipped += 1
                        continue
                    }
                    _ = try await target.importRun(summary.run, results: try await source.results(runID: summary.run.id, files: true))
                    here.added += 1
                }
                return here
            }
            print("\(input): \(here.added) runs added, \(here.skipped) already in \(output)")
            added += here.added
            skipped += here.skipped
        }
        print("\(output): \(added) runs added, \(skipped) skipped (already there)")
    }
}
