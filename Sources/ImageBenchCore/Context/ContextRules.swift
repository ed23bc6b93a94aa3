/// How one builder turns a context folder and an ignore file into what it sends and what its build can
/// `COPY`. The rules differ by builder and by the docker client's age, each checked against its sources
/// and, where this machine has it, against the builder itself:
///
/// | builder | ignore files read, first found wins | patterns | matching | walking into an excluded directory |
/// | --- | --- | --- | --- | --- |
/// | classic, docker CLI before 23.0 | `.dockerignore` | `pkg/fileutils` (legacy) | the path and its ancestor as deep as the pattern (`Matches`) | when a `!` pattern's text starts with the directory |
/// | classic, docker CLI 23.0 on | `.dockerignore` | patternmatcher | the path and every ancestor (`MatchesUsingParentResults`) | likewise |
/// | BuildKit in docker before 23.0 (fsutil of 2020) | `<Dockerfile>.dockerignore`, `.dockerignore` | legacy | `Matches` | likewise |
/// | BuildKit through buildx (fsutil since December 2021) | `<Dockerfile>.dockerignore`, `.dockerignore` | patternmatcher | `MatchesUsingParentResults` | also whenever a `!` pattern holds a wildcard (it may match below) |
/// | Buildah (podman) | `<Dockerfile>.dockerignore`, `<Dockerfile>.containerignore`, `.containerignore`, `.dockerignore` | patternmatcher | `MatchesUsingParentResults` | when a `!` pattern's text starts with the directory |
///
/// The podman row's ignore files were measured with podman 4.3 here; its matching and walking are
/// taken to be patternmatcher's (Buildah vendors a fork of it), not ported from Buildah's sources.
///
/// The classic client always sends the Dockerfile and `.dockerignore` (it re-includes them), and the
/// daemon removes them again before the build when the patterns exclude them; BuildKit sends the
/// Dockerfile and the ignore file it read beside the context. Either way they are on the wire, and
/// `COPY` sees them only when the patterns do not exclude them.
public struct ContextRules: Sendable, Equatable, Codable {
    public enum Matching: String, Sendable, Codable {
        /// patternmatcher's deprecated `Matches`.
        case parentAtDepth = "parent-at-depth"
        /// `MatchesUsingParentResults` (as `MatchesOrParentMatches` for a path alone).
        case parentResults = "parent-results"
    }

    public enum Walk: String, Sendable, Codable {
        /// Into an excluded directory only when some `!` pattern, as written, starts with it.
        case literalExceptions = "literal-exceptions"
        /// Also into every excluded directory once some `!` pattern holds a wildcard.
        case wildcardExceptions = "wildcard-exceptions"
    }

    /// Short name for reports and JSON: `classic`, `classic-pre23`, `buildkit`, `buildkit-pre23`, `buildah`.
    public var name: String
    /// How patterns become regular expressions: docker 20.10's `pkg/fileutils`, or patternmatcher.
    public var dialect: DockerignorePattern.Dialect
    public var matching: Matching
    public var walk: Walk
    /// The ignore files read, first found wins; `<Dockerfile>` stands for the Dockerfile's own path.
    public var ignoreFiles: [String]
    /// The classic client: it re-includes the Dockerfile and `.dockerignore` in the context it sends
    /// (`TrimBuildFilesFromExcludes`), and the daemon takes them out again when the patterns exclude them.
    public var sendsBuildFilesInContext = false

    static let dockerfileMark = "<Dockerfile>"

    /// The rules of `builder` when the client is `client` (its version, `20.10.24+dfsg1`, `28.2.2`).
    public static func of(_ builder: BuilderKind, client: String) -> ContextRules {
        let modern = (Int(client.prefix { $0.isNumber }) ?? 0) >= 23
        switch builder {
        case .classic:
            return ContextRules(
                name: modern ? "classic" : "classic-pre23", dialect: modern ? .current : .legacy, matching: modern ? .parentResults : .parentAtDepth,
                walk: .literalExceptions, ignoreFiles: [".dockerignore"], sendsBuildFilesInContext: true)
        case .buildkit:
            return ContextRules(
                name: modern ? "buildkit" : "buildkit-pre23", dialect: modern ? .current : .legacy,
                matching: modern ? .parentResults : .parentAtDepth,
                walk: modern ? .wildcardExceptions : .literalExceptions, ignoreFiles: [dockerfileMark + ".dockerignore", ".dockerignore"])
        case .buildah:
            return ContextRules(
                name: "buildah", dialect: .current, matching: .parentResults, walk: .literalExceptions,
                ignoreFiles: [dockerfileMark + ".dockerignore", dockerfileMark + ".containerignore", ".containerignore", ".dockerignore"])
        }
    }

    /// The ignore file names to look for, in order, for a Dockerfile at `dockerfile` (relative to the
    /// context when inside it, else absolute).
    public func candidates(dockerfile: String) -> [String] {
        ignoreFiles.map { $0.hasPrefix(Self.dockerfileMark) ? dockerfile + $0.dropFirst(Self.dockerfileMark.count) : $0 }
    }

    /// A client version with today's rules, for checks that do not know the client yet.
    public static let currentClient = "23.0"

    /// Every ignore file name any builder may read (the ones `dockerignore:` replaces).
    public static func allCandidates(dockerfile: String) -> [String] {
        var names: [String] = []
        for builder in BuilderKind.allCases {
            for name in of(builder, client: currentClient).candidates(dockerfile: dockerfile) where !names.contains(name) { names.append(name) }
        }
        return names
    }
}
