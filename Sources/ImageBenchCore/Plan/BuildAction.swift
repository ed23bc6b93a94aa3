/// One thing a variant's build stage does, in order.
public enum BuildAction: Sendable, Equatable {
    /// A build that is not recorded: it fills the cache with the state the next warm or edit build
    /// needs, when that state was built by an earlier attempt (`run --resume`) or not at all.
    case fillCache
    /// Append edit number N to the scenario's `edit` file.
    case edit(Int)
    /// A recorded build.
    case build(BuildKey)
}
