import Foundation

/// The build context docker will send: the files a `.dockerignore` leaves in, and the ones that look
/// like secrets.
public struct BuildContextFacts: Sendable, Equatable, Codable {
    /// Files (and symlinks) sent.
    public var files: Int
    /// Sum of their sizes in bytes (file contents; docker's own figure counts tar headers too).
    public var bytes: Int64
    /// Relative paths of files that look like secrets, e.g. `.env`, `id_rsa`.
    public var secrets: [String]
    /// Files and bytes the `.dockerignore` kept out.
    public var excludedFiles: Int
    public var excludedBytes: Int64

    public init(files: Int = 0, bytes: Int64 = 0, secrets: [String] = [], excludedFiles: Int = 0, excludedBytes: Int64 = 0) {
        self.files = files
        self.bytes = bytes
        self.secrets = secrets
        self.excludedFiles = excludedFiles
        self.excludedBytes = excludedBytes
    }

    enum CodingKeys: String, CodingKey {
        case files, bytes, secrets
        case excludedFiles = "excluded_files"
        case excludedBytes = "excluded_bytes"
    }

    /// Walks `directory` as the docker CLI does, applying its `.dockerignore` (if any). The Dockerfile
    /// (relative path) and `.dockerignore` are always sent, as docker re-includes them.
    public static func scan(directory: String, dockerfile: String = "Dockerfile") -> BuildContextFacts {
        let ignoreText = (try? String(contentsOfFile: directory + "/.dockerignore", encoding: .utf8)) ?? ""
        var matcher = DockerignoreMatcher(text: ignoreText)
        for keep in [".dockerignore", DockerignoreMatcher.clean(dockerfile)] where matcher.excludes(keep) {
            matcher = DockerignoreMatcher(patterns: matcher.patterns.map { ($0.exclusion ? "!" : "") + $0.cleaned } + ["!" + keep])
        }
        var facts = BuildContextFacts()
        walk(directory, relative: "", matcher: matcher, parentExcluded: false, into: &facts)
        facts.secrets.sort()
        return facts
    }

    private static func walk(
        _ root: String, relative: String, matcher: DockerignoreMatcher, parentExcluded: Bool, into facts: inout BuildContextFacts
    ) {
        let fm = FileManager.default
        let here = relative.isEmpty ? root : root + "/" + relative
        guard let names = try? fm.contentsOfDirectory(atPath: here) else { return }
        for name in names.sorted() {
            let path = relative.isEmpty ? name : relative + "/" + name
            let full = root + "/" + path
            guard let attributes = try? fm.attributesOfItem(atPath: full) else { continue }
            let type = attributes[.type] as? FileAttributeType
            let excluded = matcher.excludes(path)
            if type == .typeDirectory {
                if excluded && !matcher.mayReinclude(under: path) {
                    count(full, into: &facts)
                    continue
                }
                walk(root, relative: path, matcher: matcher, parentExcluded: excluded, into: &facts)
                continue
            }
            let size = type == .typeRegular ? (attributes[.size] as? NSNumber)?.int64Value ?? 0 : 0
            if excluded {
                facts.excludedFiles += 1
                facts.excludedBytes += size
            } else {
                facts.files += 1
                facts.bytes += size
                if SecretPatterns.looksSecret(path) { facts.secrets.append(path) }
            }
        }
    }

    /// Adds a skipped directory's files to the excluded totals.
    private static func count(_ directory: String, into facts: inout BuildContextFacts) {
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return }
        while walker.nextObject() != nil {
            guard let attributes = walker.fileAttributes, attributes[.type] as? FileAttributeType != .typeDirectory else { continue }
            facts.excludedFiles += 1
            facts.excludedBytes += attributes[.type] as? FileAttributeType == .typeRegular ? (attributes[.size] as? NSNumber)?.int64Value ?? 0 : 0
        }
    }
}
