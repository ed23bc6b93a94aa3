import Foundation
import ImageBenchCore

/// A run recorded and ready to build: what ``RunLauncher/start(_:openStore:)`` or
/// ``RunLauncher/resume(_:in:allowOutside:)`` found, for ``RunLauncher/execute(_:)``.
public struct PreparedRun: Sendable {
    public var id: Int64
    public var store: any RunStore
    public var jobs: [ScenarioJob]
    /// What an earlier attempt at this run recorded (empty for a new run).
    public var prior: [VariantKey: StoredVariant]
    public var engines: [EngineSlot]
    public var settings: RunSettings
    /// The token in this run process's tags, container names and session label.
    public var session = String(UUID().uuidString.prefix(8)).lowercased()
    /// The `ci` phase's fresh runner (stopped when the run ends), or why there is none.
    public var fresh: FreshRunner? = nil
    public var freshUnavailable: String? = nil
    /// The engines axis values name that do not answer, and why: their variants are skipped.
    public var unavailableEngines: [NamedEngine: String] = [:]
}
