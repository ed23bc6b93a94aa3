import Foundation
import ImageBenchCore

/// The engine stopped answering in the middle of a run: the variant it was working on stays unfinished
/// (`run --resume` builds it), what was finished is kept, and the run stops.
public struct EngineLost: Error, CustomStringConvertible, Equatable {
    public var runID: Int64
    public var variant: VariantKey
    public var activity: EngineActivity
    /// docker's last line.
    public var dockerSaid: String
    /// The engine, named when the run had several.
    public var engine: String? = nil
    /// How many variants the run finished in all (on this engine before, or on the others).
    public var finishedElsewhere: Int? = nil

    public init(runID: Int64, variant: VariantKey, activity: EngineActivity, dockerSaid: String) {
        self.runID = runID
        self.variant = variant
        self.activity = activity
        self.dockerSaid = dockerSaid
    }

    public var description: String {
        var line = "the \(engine.map { "engine \($0)" } ?? "Docker engine") stopped answering during \(activity) of \(variant)"
        let said = dockerSaid.trimmingCharacters(in: .whitespacesAndNewlines)
        if !said.isEmpty { line += " (docker said: \(said))" }
        line += "; the builds finished before are kept"
        if let finishedElsewhere, finishedElsewhere > 0 { line += " (\(finishedElsewhere) variant\(finishedElsewhere == 1 ? "" : "s") finished)" }
        return line + ". Start the engine again, then: imagebench run --resume \(runID)"
    }
}
