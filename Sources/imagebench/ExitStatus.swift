import ArgumentParser

/// imagebench's exit statuses, the contract documented in the README. Raised only from commands.
enum ExitStatus: Int32 {
    /// Everything behaved as expected.
    case ok = 0
    /// An unexpected internal error.
    case failure = 1
    /// `compare`: a regression.
    case regression = 2
    /// `run`: a build failed or a smoke test failed unexpectedly, or an expect-broken entry is stale.
    case unexpectedVariant = 3
    /// `compare`: only improvements.
    case onlyImprovements = 4
    /// `compare`/`report`: the requested run does not exist.
    case runNotFound = 5
    /// `run --fail-on-secrets`: a secret found by content (with `--secret-names`, or a file named like one) ended up inside an image.
    case secretInImage = 6
    /// `check`, `run --check`: a variant exceeds one of its scenario's budgets.
    case budgetExceeded = 7
    /// `bisect`: no single first commit, because commits where the metric may have moved could not be
    /// measured (their scenario does not load or their build failed).
    case bisectNotFound = 8
    /// `bisect`: the good and the bad commit do not differ beyond the threshold; nothing to look for.
    case noDifference = 9
    /// A flag or argument is wrong (argument-parser's usage error).
    case usage = 64
    /// A scenario or profile file is invalid.
    case invalidScenario = 65
    /// An image archive (`docker-archive:PATH`, `oci-archive:PATH`) cannot be read: missing, not an image
    /// archive, truncated, or a layer compressed in a way this machine cannot decode.
    case archive = 66
    /// No Docker engine answers (also when it stops answering during a run), or docker cannot be
    /// started, or no registry answers at `--registry`.
    case dockerUnavailable = 69
    /// A docker command failed outside a build (inspect, history, cleanup).
    case dockerFailed = 70
    /// The database cannot be opened, read or written, or is from a newer imagebench.
    case database = 74
    /// Interrupted by SIGINT or SIGTERM; finished builds are kept.
    case interrupted = 130

    var exitCode: ExitCode { ExitCode(rawValue) }
}
