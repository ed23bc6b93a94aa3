import Foundation

/// What became of a variant.
public enum VariantStatus: String, Sendable, Codable {
    /// Built, and its smoke test passed.
    case ok
    /// In `expect-broken`, and its smoke test failed as expected.
    case expectedBroken = "expected-broken"
    /// Built, but its smoke test failed unexpectedly.
    case broken
    /// A build failed or timed out.
    case buildFailed = "build-failed"
    /// Not built: this environment cannot build it (for example `builder: buildkit` with a client that
    /// has no BuildKit). The problem says why and how to fix it.
    case skipped
    /// Not finished (the run stopped before it).
    case pending
}
