import Foundation

/// The build context a builder sends and what its build can `COPY`: the files a `.dockerignore` (or a
/// `<Dockerfile>.dockerignore`) leaves in, the ignore file that applied, and the ones that look like secrets.
public struct BuildContextFacts: Sendable, Equatable, Codable, SecretRecording {
    /// Files (and symlinks) sent to the engine: the Dockerfile and the ignore file included, as the wire carries them.
    public var files: Int
    /// Sum of their sizes in bytes (file contents; docker's own figure counts tar headers too).
    public var bytes: Int64
    /// Files the build can `COPY`: what the ignore file leaves in (the Dockerfile and the ignore file
    /// only when it does not exclude them). Nil in runs recorded before imagebench told them apart.
    public var copyableFiles: Int?
    public var copyableBytes: Int64?
    /// Secrets found by what the files the build can `COPY` hold: `rule path (line L)`, paths relative to
    /// the context. In runs recorded before content was read, the name-based list moved to ``secretNames``.
    public var secrets: [String]
    /// Files the build can `COPY` whose name alone looks secret (`.env`, `id_rsa` ...), whose content no
    /// rule flags and is not recognised as public.
    public var secretNames: [String] = []
    /// Every finding with its rule, line and masked excerpt (nil in runs recorded before content was read).
    public var secretFindings: [SecretFinding]?
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
        case secretNames = "secret_names"
        case secretFindings = "secret_findings"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        files = try c.decode(Int.self, forKey: .files)
        bytes = try c.decode(Int64.self, forKey: .bytes)
        copyableFiles = try c.decodeIfPresent(Int.self, forKey: .copyableFiles)
        copyableBytes = try c.decodeIfPresent(Int64.self, forKey: .copyableBytes)
        excludedFiles = try c.decode(Int.self, forKey: .excludedFiles)
        excludedBytes = try c.decode(Int64.self, forKey: .excludedBytes)
        ignoreFile = try c.decodeIfPresent(String.self, forKey: .ignoreFile)
        rules = try c.decodeIfPresent(String.self, forKey: .rules)
        (secrets, secretNames, secretFindings) = try RecordedSecrets.decode(c, secrets: .secrets, names: .secretNames, findings: .secretFindings)
    }

    /// Walks `directory` as `rules` say (``ContextWalk``). `dockerfile` is relative to the context when
    /// `dockerfileInside`, else absolute.
    public static func scan(directory: String, dockerfile: String = "Dockerfile", dockerfileInside: Bool = true, rules: ContextRules)
        throws(DockerignorePattern.Refusal) -> BuildContextFacts
    {
        let walk = try ContextWalk.walk(directory: directory, dockerfile: dockerfile, dockerfileInside: dockerfileInside, rules: rules)
        return BuildContextFacts(walk, rules: rules, directory: directory)
    }

    /// The facts of a walk of `directory`, whose files the build can `COPY` are read for secrets.
    public init(_ walk: ContextWalk, rules: ContextRules, directory: String) {
        self.init(
            files: walk.sent.count, bytes: walk.sent.reduce(0) { $0 + $1.size }, copyableFiles: walk.copyable.count,
            copyableBytes: walk.copyable.reduce(0) { $0 + $1.size }, excludedFiles: walk.excludedFiles, excludedBytes: walk.excludedBytes,
            ignoreFile: walk.ignoreFile, rules: rules.name)
        record(secrets: Self.secrets(of: walk.copyable, in: directory))
    }

    /// What the files hold and their names say about secrets; paths relative to the context, in path order.
    /// Only regular files are opened (a symlink may point out of the context).
    static func secrets(of files: [ContextWalk.File], in directory: String) -> [SecretFinding] {
        var findings: [SecretFinding] = []
        for file in files.sorted(by: { $0.path < $1.path }) where SecretScanner.wants(file.path, size: file.size) {
            let full = directory + "/" + file.path
            var info = stat()
            guard lstat(full, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
            findings += SecretScanner.findings(inFileAt: full, path: file.path, size: file.size)
        }
        return findings
    }
}
