import Foundation

/// The build context a builder sends and what its build can `COPY`: the files a `.dockerignore` (or a
/// `<Dockerfile>.dockerignore`) leaves in, the ignore file that applied, and the ones that look like secrets.
public struct BuildContextFacts: Sendable, Equatable, Codable {
    /// Files (and symlinks) sent to the engine: the Dockerfile and the ignore file included, as the wire carries them.
    public var files: Int
    /// Sum of their sizes in bytes (file contents; docker's own figure counts tar headers too).
    public var bytes: Int64
    /// Files the build can `COPY`: what the ignore file leaves in (the Dockerfile and the ignore file
    /// only when it does not exclude them). Nil in runs recorded before imagebench told them apart.
    public var copyableFiles: Int?
    public var copyableBytes: Int64?
    /// Relative paths of files the build can `COPY` that look like secrets, e.g. `.env`, `id_rsa`.
    public var secrets: [String]
    /// Files and bytes the ignore file kept out.
    public var excludedFiles: Int
    public var excludedBytes: Int64
    /// The ignore file that applied (relative to the context, absolute outside it); nil when none did.
    public var ignoreFile: String?
    /// The builder's context rules (``ContextRules/name``), e.g. `buildkit-pre23`.
    public var rules: String?

    public init(
        files: Int = 0, bytes: Int64 = 0, copyableFiles: Int? = nil, copyableBytes: Int64? = nil, secrets: [String] = [], excludedFiles: Int = 0,
        excludedBytes: Int64 = 0, ignoreFile: String? = nil, rules: String? = nil
    ) {
        self.files = files
        self.bytes = bytes
        self.copyableFiles = copyableFiles
        self.copyableBytes = copyableBytes
        self.secrets = secrets
        self.excludedFiles = excludedFiles
        self.excludedBytes = excludedBytes
        self.ignoreFile = ignoreFile
        self.rules = rules
    }

    enum CodingKeys: String, CodingKey {
        case files, bytes, secrets, rules
        case copyableFiles = "copyable_files"
        case copyableBytes = "copyable_bytes"
        case excludedFiles = "excluded_files"
        case excludedBytes = "excluded_bytes"
        case ignoreFile = "ignore_file"
    }

    /// Walks `directory` as `rules` say (``ContextWalk``). `dockerfile` is relative to the context when
    /// `dockerfileInside`, else absolute.
    public static func scan(directory: String, dockerfile: String = "Dockerfile", dockerfileInside: Bool = true, rules: ContextRules)
        throws(DockerignorePattern.Refusal) -> BuildContextFacts
    {
        let walk = try ContextWalk.walk(directory: directory, dockerfile: dockerfile, dockerfileInside: dockerfileInside, rules: rules)
        return BuildContextFacts(walk, rules: rules)
    }

    public init(_ walk: ContextWalk, rules: ContextRules) {
        self.init(
            files: walk.sent.count, bytes: walk.sent.reduce(0) { $0 + $1.size }, copyableFiles: walk.copyable.count,
            copyableBytes: walk.copyable.reduce(0) { $0 + $1.size }, secrets: walk.copyable.map(\.path).filter(SecretPatterns.looksSecret).sorted(),
            excludedFiles: walk.excludedFiles, excludedBytes: walk.excludedBytes, ignoreFile: walk.ignoreFile, rules: rules.name)
    }
}
