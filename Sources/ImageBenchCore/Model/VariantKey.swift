/// Names one variant of one scenario: how runs, comparisons and resumes match variants.
public struct VariantKey: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    public var scenario: String
    public var variant: String

    public init(scenario: String, variant: String) {
        self.scenario = scenario
        self.variant = variant
    }

    /// `go-http linking=static,runtime=scratch`, as progress lines and errors name a variant.
    public var description: String { "\(scenario) \(variant)" }
}

extension VariantResult {
    public var key: VariantKey { VariantKey(scenario: scenario, variant: name) }
}
