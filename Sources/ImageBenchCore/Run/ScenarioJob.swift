/// One scenario of a run: its variants (already filtered) and the images they use.
public struct ScenarioJob: Sendable {
    public var scenario: Scenario
    public var variants: [Variant]
    public var images: [ResolvedImage]

    public init(scenario: Scenario, variants: [Variant], images: [ResolvedImage]) {
        self.scenario = scenario
        self.variants = variants
        self.images = images
    }
}
