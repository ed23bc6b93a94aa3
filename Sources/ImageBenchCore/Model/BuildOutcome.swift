import Foundation

/// How one build ended.
public enum BuildOutcome: String, Sendable, Codable {
    case ok, failed, timeout
}
