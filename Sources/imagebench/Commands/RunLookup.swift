import ArgumentParser
import Foundation
import ImageBenchCore
import ImageBenchReport
import ImageBenchStore

/// Finds runs named by `--run`, `--baseline` and `--candidate`; a missing one is exit status 5.
struct RunLookup {
    let store: ResultStore
    let database: String

    func snapshot(_ text: String) async throws -> RunSnapshot {
        guard let selector = RunSelector(text), let id = try await store.resolve(selector), let snapshot = try await store.snapshot(runID: id) else {
            throw RequestError.runNotFound(text, database: database)
        }
        return snapshot
    }
}
