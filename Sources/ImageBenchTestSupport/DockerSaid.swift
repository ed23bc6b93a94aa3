import ImageBenchCore

/// What a builder's own output says, counted apart from imagebench's parser, to check it against.
public enum DockerSaid {
    /// Cache hits in the builder's words: BuildKit's vertices with a `#N CACHED` line (a `FROM` too; a
    /// vertex two stages share is printed twice and counts once), the classic builder's
    /// ` ---> Using cache`, Buildah's `--> Using cache`.
    public static func cacheHits(_ lines: [String], builder: BuilderKind) -> Int {
        switch builder {
        case .buildkit: Set(lines.filter { $0.hasPrefix("#") && $0.hasSuffix(" CACHED") }).count
        case .classic: lines.filter { $0 == " ---> Using cache" }.count
        case .buildah: lines.filter { $0.hasPrefix("--> Using cache") }.count
        }
    }
}
