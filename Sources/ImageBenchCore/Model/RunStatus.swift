import Foundation

/// How a run ended.
public enum RunStatus: String, Sendable, Codable {
    case running, complete, failed, interrupted
}
