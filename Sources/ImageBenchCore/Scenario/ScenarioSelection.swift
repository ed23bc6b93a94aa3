import Foundation

/// Which scenarios and variants a command works on, and with which images: what `run` and `list` take
/// from their scenario arguments, `--profile`, `--image` and `--only`.
public struct ScenarioSelection: Sendable, Equatable {
    /// Scenario folders or `scenario.yaml` files; empty: every `./Scenarios/*/scenario.yaml`.
    public var paths: [String]
    /// A profile name (looked up in `profiles/` beside the scenarios) or a profile file.
    public var profile: String?
    /// `--image NAME-OR-REF=REF` substitutions.
    public var images: [String: String]
    /// `--only axis=value` filters.
    public var only: [AxisChoice]
    public var allowOutside: Bool

    public init(
        paths: [String] = [], profile: String? = nil, images: [String: String] = [:], only: [AxisChoice] = [], allowOutside: Bool = false
    ) {
        self.paths = paths
        self.profile = profile
        self.images = images
        self.only = only
        self.allowOutside = allowOutside
    }

    /// The scenario folders to use.
    public func scenarioPaths() throws(RequestError) -> [String] {
        if !paths.isEmpty { return paths }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "Scenarios")) ?? []
        let found = entries.sorted().map { "Scenarios/\($0)" }.filter { FileManager.default.fileExists(atPath: "\($0)/scenario.yaml") }
        if found.isEmpty {
            throw RequestError(
                .noScenario,
                "no scenario given and no ./Scenarios/*/scenario.yaml found; name a scenario folder, e.g. imagebench run Scenarios/go-http")
        }
        return found
    }

    /// Loads and checks everything before any docker command runs: the scenarios, the profile and
    /// substitutions, and the `--only` filters (each must name an axis and value some scenario has).
    public func load() throws -> (jobs: [ScenarioJob], substitutions: ImageSubstitutions) {
        let loader = ScenarioLoader(allowOutside: allowOutside)
        let scenarios = try scenarioPaths().map { path throws(ScenarioError) in try loader.load(path: path) }
        var substitutions = ImageSubstitutions()
        if let profile { substitutions = try ImageSubstitutions.loadProfile(path: profilePath(profile, scenarios: scenarios), name: profile) }
        substitutions.overrides.merge(images) { _, b in b }
        let filter = VariantFilter(pairs: only)
        for pair in filter.pairs {
            let axes = scenarios.flatMap(\.axes).filter { $0.name == pair.axis }
            if axes.isEmpty {
                throw RequestError(
                    .unknownFilter,
                    "--only \(pair.axis)=\(pair.value): no scenario has an axis \"\(pair.axis)\"; axes: \(Set(scenarios.flatMap(\.axes).map(\.name)).sorted().joined(separator: ", "))"
                )
            }
            if !axes.contains(where: { $0.values.contains { $0.name == pair.value } }) {
                throw RequestError(
                    .unknownFilter,
                    "--only \(pair.axis)=\(pair.value): axis \(pair.axis) has no value \"\(pair.value)\"; values: \(axes.flatMap { $0.values.map(\.name) }.joined(separator: ", "))"
                )
            }
        }
        let jobs = scenarios.map { scenario in
            ScenarioJob(scenario: scenario, variants: filter.apply(scenario.variants(), axes: scenario.axes), images: substitutions.resolve(scenario))
        }
        return (jobs, substitutions)
    }

    /// A profile name is looked up in `profiles/` beside the scenario folders, then in ./Scenarios/profiles.
    func profilePath(_ name: String, scenarios: [Scenario]) -> String {
        if name.contains("/") || name.hasSuffix(".yaml") || name.hasSuffix(".yml") { return name }
        var candidates = scenarios.map {
            (($0.directory as NSString).deletingLastPathComponent as NSString).appendingPathComponent("profiles/\(name).yaml")
        }
        candidates.append("Scenarios/profiles/\(name).yaml")
        return candidates.first { FileManager.default.fileExists(atPath: $0) } ?? candidates.last!
    }
}
