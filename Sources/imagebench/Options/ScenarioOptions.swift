import ArgumentParser
import Foundation
import ImageBenchCore
import ImageBenchDocker

/// Which scenarios and variants to build, and with which images.
struct ScenarioOptions: ParsableArguments {
    @Argument(
        help: ArgumentHelp(
            "Scenario folders (or scenario.yaml files). Default: every folder under ./Scenarios with a scenario.yaml.", valueName: "scenario"))
    var scenarios: [String] = []

    @Option(name: .long, help: ArgumentHelp("Image substitutions from Scenarios/profiles/NAME.yaml (or a profile file path).", valueName: "name"))
    var profile: String?

    @Option(
        name: .customLong("image"),
        help: ArgumentHelp("Substitute an image: an images name or reference, = the reference to use. Repeatable.", valueName: "ref=ref"))
    var images: [String] = []

    @Option(
        name: .customLong("only"),
        help: ArgumentHelp("Build only variants with this axis value. Repeatable; values of one axis are alternatives.", valueName: "axis=value"))
    var only: [String] = []

    @Flag(name: .long, help: "Let context, dockerfile, dockerignore and edit paths point outside the scenario folder.")
    var allowOutside = false

    func validate() throws {
        for item in images where Self.split(item) == nil {
            throw ValidationError("--image \"\(item)\" must be REF=REF, e.g. --image alpine:3.20=imagebench-local/musl-busybox:1")
        }
        for item in only where Self.split(item) == nil {
            throw ValidationError("--only \"\(item)\" must be axis=value, e.g. --only linking=static")
        }
        if let profile, profile.isEmpty { throw ValidationError("--profile needs a name, e.g. --profile offline") }
    }

    static func split(_ text: String) -> (String, String)? {
        guard let eq = text.firstIndex(of: "=") else { return nil }
        let a = String(text[..<eq]), b = String(text[text.index(after: eq)...])
        return a.isEmpty || b.isEmpty ? nil : (a, b)
    }

    /// The scenario folders to use.
    func scenarioPaths() throws -> [String] {
        if !scenarios.isEmpty { return scenarios }
        let root = "Scenarios"
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        let found = entries.sorted().map { "\(root)/\($0)" }.filter { FileManager.default.fileExists(atPath: "\($0)/scenario.yaml") }
        if found.isEmpty {
            throw ValidationError(
                "no scenario given and no ./Scenarios/*/scenario.yaml found; name a scenario folder, e.g. imagebench run Scenarios/go-http")
        }
        return found
    }

    /// Loads and checks everything before any docker command runs.
    func load() throws -> (jobs: [ScenarioJob], substitutions: ImageSubstitutions) {
        let loader = ScenarioLoader(allowOutside: allowOutside)
        let scenarios = try scenarioPaths().map { path throws(ScenarioError) in try loader.load(path: path) }
        var substitutions = ImageSubstitutions()
        if let profile { substitutions = try ImageSubstitutions.loadProfile(path: try profilePath(profile, scenarios: scenarios), name: profile) }
        for item in images {
            if let (from, to) = Self.split(item) { substitutions.overrides[from] = to }
        }
        let filter = VariantFilter(pairs: only.compactMap { Self.split($0).map { AxisChoice(axis: $0.0, value: $0.1) } })
        for pair in filter.pairs {
            let axes = scenarios.flatMap(\.axes).filter { $0.name == pair.axis }
            if axes.isEmpty {
                throw ValidationError(
                    "--only \(pair.axis)=\(pair.value): no scenario has an axis \"\(pair.axis)\"; axes: \(Set(scenarios.flatMap(\.axes).map(\.name)).sorted().joined(separator: ", "))"
                )
            }
            if !axes.contains(where: { $0.values.contains { $0.name == pair.value } }) {
                throw ValidationError(
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
    func profilePath(_ name: String, scenarios: [Scenario]) throws -> String {
        if name.contains("/") || name.hasSuffix(".yaml") || name.hasSuffix(".yml") { return name }
        var candidates = scenarios.map {
            (($0.directory as NSString).deletingLastPathComponent as NSString).appendingPathComponent("profiles/\(name).yaml")
        }
        candidates.append("Scenarios/profiles/\(name).yaml")
        return candidates.first { FileManager.default.fileExists(atPath: $0) } ?? candidates.last!
    }
}
