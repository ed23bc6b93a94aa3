import Foundation
import Yams

/// Substitutions of image references from a profile file and `--image` flags.
public struct ImageSubstitutions: Sendable, Equatable {
    public var profileName: String?
    /// Upstream reference → substitute, from the profile.
    public var profile: [String: String]
    /// Name or reference → substitute, from `--image`.
    public var overrides: [String: String]
    /// Platform (`linux/arm64`) → upstream reference → that platform's substitute, from the profile's
    /// `platforms:`: what a variant built for that one platform builds against instead.
    public var platformProfile: [String: [String: String]]

    public init(
        profileName: String? = nil, profile: [String: String] = [:], overrides: [String: String] = [:],
        platformProfile: [String: [String: String]] = [:]
    ) {
        self.profileName = profileName
        self.profile = profile
        self.overrides = overrides
        self.platformProfile = platformProfile
    }

    /// Every named image of `scenario` with the reference to use, `--image` first, then the profile.
    public func resolve(_ scenario: Scenario) -> [ResolvedImage] {
        // The platforms a variant is built for alone: only their substitutes are used, and recorded.
        let single = Set(scenario.variants().compactMap { $0.settings.platform.flatMap(PlatformIndex.single) })
        return scenario.images.map { image in
            if let used = overrides[image.name] ?? overrides[image.reference] {
                return ResolvedImage(name: image.name, requested: image.reference, used: used, source: "--image")
            }
            if let used = profile[image.reference] {
                var resolved = ResolvedImage(name: image.name, requested: image.reference, used: used, source: "profile \(profileName ?? "")")
                let platforms = platformProfile.filter { single.contains($0.key) }.compactMapValues { $0[image.reference] }
                resolved.platforms = platforms.isEmpty ? nil : platforms
                return resolved
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
        try reader.allowOnly(top, ["description", "images", "platforms"], in: "the profile")
        var map: [String: String] = [:]
        if let images = top["images"] {
            for (key, value) in try reader.pairs(images, "images") { map[key.name] = try reader.string(value, "images.\(key.name)") }
        }
        // platforms: { linux/arm64: { upstream: that platform's substitute } }, for upstreams images: names too.
        var platforms: [String: [String: String]] = [:]
        if let node = top["platforms"] {
            for (platform, images) in try reader.pairs(node, "platforms") {
                guard platform.name.split(separator: "/").count >= 2 else {
                    throw ScenarioError(
                        .invalidValue, file: path, line: platform.line,
                        "platforms.\(platform.name) is not a platform; write os/arch, e.g. linux/arm64")
                }
                for (key, value) in try reader.pairs(images, "platforms.\(platform.name)") {
                    guard map[key.name] != nil else {
                        throw ScenarioError(
                            .invalidValue, file: path, line: key.line,
                            "platforms.\(platform.name).\(key.name) has no substitute under images:; add \(key.name) there first")
                    }
                    platforms[platform.name, default: [:]][key.name] = try reader.string(value, "platforms.\(platform.name).\(key.name)")
                }
            }
        }
        return ImageSubstitutions(profileName: name, profile: map, platformProfile: platforms)
    }
}
