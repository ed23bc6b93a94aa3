/// What a run set out to do, stored with it so `run --resume` can finish it: its variants per scenario
/// and the settings that shape its builds.
public struct RunPlan: Sendable, Codable, Equatable {
    /// Scenario name → the names of the variants the run builds, in order.
    public var variants: [String: [String]]
    public var settings: RunSettings

    public init(variants: [String: [String]], settings: RunSettings) {
        self.variants = variants
        self.settings = settings
    }

    enum CodingKeys: String, CodingKey {
        case variants
    }

    // Stored flat, the settings beside `variants`, as runs recorded before this type held them.
    public init(from decoder: any Decoder) throws {
        variants = try decoder.container(keyedBy: CodingKeys.self).decode([String: [String]].self, forKey: .variants)
        settings = try RunSettings(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try settings.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(variants, forKey: .variants)
    }
}
