/// A variant as a run's database holds it, with its row id: what `run --resume` finds an earlier,
/// stopped attempt began or finished.
public struct StoredVariant: Sendable, Equatable {
    public var id: Int64
    public var result: VariantResult

    public init(id: Int64, result: VariantResult) {
        self.id = id
        self.result = result
    }
}
