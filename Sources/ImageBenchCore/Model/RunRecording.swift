/// Where a run's results go as soon as they exist. The store implements it; a crash loses at most
/// the build in flight.
public protocol RunRecording: Sendable {
    /// Creates the variant's row (status `pending`) and returns its id.
    func beginVariant(runID: Int64, scenario: String, axes: [AxisChoice]) async throws -> Int64
    /// Stores one finished build at once.
    func record(build: BuildRecord, variantID: Int64) async throws
    /// Stores the variant's measurements and final status.
    func finishVariant(id: Int64, result: VariantResult) async throws
}
