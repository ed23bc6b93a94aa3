import Foundation
import Yams

/// Substitutions of image references from a profile file and `--image` flags.
public struct ImageSubstitutions: Sendable, Equatable {
    public var profileName: String?
    /// Upstream reference → substitute, from the profile.
    public var profile: [String: String]
    /// Name or reference → substitute, from `--image`.
    public var overrides: [String: String]

    public init(profileName: String? = nil, profile: [String: String] = [:], overrides: [String: String] = [:]) {
        self.profileName = profileName
        self.profile = profile
        self.overrides = overrides
    }

    /// Every named image of `scenario` with the reference to use, `--image` first, then the profile.
    public func resolve(_ scenario: Scenario) -> [ResolvedImage] {
        scenario.images.map { image in
            if let used = overrides[image.name] ?? overrides[image.reference] {
                return ResolvedImage(name: image.name, requested: image.reference, used: used, source: "--image")
            }
            if let used = profile[image.reference] {
                return ResolvedImage(name: image.name, requested: image.reference, used: used, source: "profile \(profileName ?? "")")
            }
            return ResolvedImage(name: image.name, requested: image.reference, used: image.reference, source: "scenario")
        }
    }

    /// Reads a profile: `images: { upstream-reference: substitute }` plus an optional `description`.
    public static func loadProfile(path: String, name: String) throws(ScenarioError) -> ImageSubstitutions {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScenarioError(
                .missingFile, file: path, line: 0,
                "profile \"\(name)\" not found; give a profile name from Scenarios/profiles or a path to a profile .yaml")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ScenarioError(.unreadable, file: path, line: 0, "the profile is not UTF-8 text")
        }
        let reader = YAMLReader(file: path)
        guard let root = try reader.compose(text) else {
            throw ScenarioError(.invalidValue, file: path, line: 0, "the profile is empty; it needs images: { upstream: substitute }")
        }
        let top = try reader.mapping(root, "the profile")
        try reader.allowOnly(top, ["description", "images"], in: "the profile")
        var map: [String: String] = [:]
        if let images = top["images"] {
            for (key, value) in try reader.pairs(images, "images") { map[key.name] = try reader.string(value, "images.\(key.name)") }
        }
        return ImageSubstitutions(profileName: name, profile: map)
    }
}
