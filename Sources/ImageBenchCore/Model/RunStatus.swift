import Foundation

/// How a run ended. `skipped`: a run over commits found no loadable scenario at a commit and
/// recorded why (``RunRecord/problem``) instead of building.
public enum RunStatus: String, Sendable, Codable {
    case running, complete, failed, interrupted, skipped
}
