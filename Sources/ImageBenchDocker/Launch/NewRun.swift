import ImageBenchCore

/// What a new run is asked to do: the scenarios' jobs, how they were chosen, and its settings.
public struct NewRun: Sendable {
    public var jobs: [ScenarioJob]
    /// The profile the images were substituted from, if any.
    public var profile: String?
    /// `--label key=value`.
    public var labels: [String: String]
    public var settings: RunSettings
    /// For a run over commits: the checkout its scenario was loaded from (recorded under its repository
    /// path, with the commit as its git commit).
    public var checkout: CommitCheckout?

    public init(
        jobs: [ScenarioJob], profile: String? = nil, labels: [String: String] = [:], settings: RunSettings = RunSettings(),
        checkout: CommitCheckout? = nil
    ) {
        self.checkout = checkout
        self.jobs = jobs
        self.profile = profile
        self.labels = labels
        self.settings = settings
    }
}
