import Foundation

/// Where runs are kept: the seam between starting or resuming a run and the database. The SQLite store
/// implements it.
public protocol RunStore: RunRecording {
    /// Where the runs are, for messages (`its finished builds are in PATH`).
    var path: String { get }
    /// Stores a new run (status `running`) and returns its id.
    func createRun(_ run: RunRecord) async throws -> Int64
    func run(id: Int64) async throws -> RunRecord?
    /// Every variant of a run with its row id, builds and layers, in the order they were begun.
    func variants(runID: Int64) async throws -> [StoredVariant]
    /// Marks a stopped run as running again, for `run --resume`.
    func reopenRun(id: Int64) async throws
    func finishRun(id: Int64, status: RunStatus, at date: Date) async throws
}
