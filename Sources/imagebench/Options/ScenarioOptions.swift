import ArgumentParser
import Foundation
import ImageBenchCore

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

    /// What the arguments select, for the library to load.
    var selection: ScenarioSelection {
        ScenarioSelection(
            paths: scenarios, profile: profile, images: Dictionary(images.compactMap(Self.split), uniquingKeysWith: { _, b in b }),
            only: only.compactMap { Self.split($0).map { AxisChoice(axis: $0.0, value: $0.1) } }, allowOutside: allowOutside)
    }
}
