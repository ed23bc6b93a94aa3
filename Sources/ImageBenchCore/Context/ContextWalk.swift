import Foundation

/// One context folder walked the way one builder walks it (``ContextRules``): the files its build can
/// `COPY`, the files it sends (with the Dockerfile and the ignore file it read), what it leaves out,
/// and which ignore file applied.
public struct ContextWalk: Sendable, Equatable {
    public struct File: Sendable, Equatable {
        /// Relative to the context, slash-separated.
        public var path: String
        /// Bytes of a regular file; 0 for links and others.
        public var size: Int64
    }

    /// What `COPY . /dst` copies: every file (not directory) the ignore file leaves in, in walk order.
    public var copyable: [File] = []
    /// What goes over the wire: the files above, plus the Dockerfile and the ignore file read when they are not among them.
    public var sent: [File] = []
    public var excludedFiles = 0
    public var excludedBytes: Int64 = 0
    /// The ignore file that applied, relative to the context (absolute when it lies outside); nil for none.
    public var ignoreFile: String?

    /// Walks `directory`. `dockerfile` is the Dockerfile's path relative to the context when
    /// `dockerfileInside`, else absolute. Throws the first pattern Docker would refuse.
    public static func walk(directory: String, dockerfile: String, dockerfileInside: Bool = true, rules: ContextRules) throws(DockerignorePattern
        .Refusal) -> ContextWalk
    {
        var walk = ContextWalk()
        var lines: [DockerignoreFile.Line] = []
        for candidate in rules.candidates(dockerfile: dockerfile) {
            let path = candidate.hasPrefix("/") ? candidate : directory + "/" + candidate
            if let read = DockerignoreFile.read(path: path) {
                lines = read
                walk.ignoreFile = candidate
                break
            }
        }
        let matcher = try DockerignoreMatcher(lines: lines, dialect: rules.dialect)
        let walker = Walker(root: directory, rules: rules)
        if rules.sendsBuildFilesInContext {
            // The CLI re-includes the Dockerfile and .dockerignore to send them (TrimBuildFilesFromExcludes,
            // with patternmatcher's deprecated Matches); the daemon removes them again when excluded.
            var trimmed = lines
            let buildFiles = [".dockerignore"] + (dockerfileInside ? [dockerfile] : [])
            for file in buildFiles where matcher.matchesParentAtDepth(file) {
                trimmed.append(DockerignoreFile.Line(pattern: "!" + file, number: 0))
            }
            let sending = try DockerignoreMatcher(lines: trimmed, dialect: rules.dialect)
            let sent = walker.files(sending)
            walk.sent = sent.kept
            walk.copyable = sent.kept.filter { !(buildFiles.contains($0.path) && matcher.matchesParentAtDepth($0.path)) }
            walk.excludedFiles = sent.excludedFiles
            walk.excludedBytes = sent.excludedBytes
        } else {
            let result = walker.files(matcher)
            walk.copyable = result.kept
            walk.sent = result.kept
            walk.excludedFiles = result.excludedFiles
            walk.excludedBytes = result.excludedBytes
            // The Dockerfile and the ignore file travel beside the context.
            for extra in [dockerfileInside ? dockerfile : nil, walk.ignoreFile].compactMap({ $0 }) where !extra.hasPrefix("/") {
                if !walk.sent.contains(where: { $0.path == extra }), let file = walker.file(extra) {
                    walk.sent.append(file)
                    walk.excludedFiles -= 1
                    walk.excludedBytes -= file.size
                }
            }
        }
        // A Dockerfile outside the context is sent too. The classic client adds it under a random name
        // (`.dockerfile.` and 20 characters) and lists that name in the .dockerignore it sends, which it
        // writes itself when there is none (starting it with `.dockerignore`): neither can be copied.
        if !dockerfileInside, let size = Walker.size(dockerfile) {
            walk.sent.append(File(path: dockerfile, size: size))
            if rules.sendsBuildFilesInContext {
                let listed = Int64("\n.dockerfile.".utf8.count + 20 + 1)
                if let i = walk.sent.firstIndex(where: { $0.path == ".dockerignore" }) {
                    walk.sent[i].size += listed
                } else {
                    walk.sent.append(File(path: ".dockerignore", size: Int64(".dockerignore".utf8.count) + listed))
                }
            }
        }
        return walk
    }

    /// Go's `filepath.Walk` over the context: names in byte order, links not followed.
    struct Walker {
        let root: String
        let rules: ContextRules

        struct Result {
            var kept: [File] = []
            var excludedFiles = 0
            var excludedBytes: Int64 = 0
        }

        /// Whether some `!` pattern holds a pattern character before any trailing `/*` or `/**`
        /// (fsutil's `onlyPrefixExcludeExceptions` is false then).
        static func wildcardException(_ matcher: DockerignoreMatcher) -> Bool {
            matcher.patterns.contains { pattern in
                guard pattern.exclusion else { return false }
                var text = pattern.cleaned
                for suffix in ["/**", "/*"] where text.hasSuffix(suffix) { text.removeLast(suffix.count) }
                return text.unicodeScalars.contains { "*[]?^\\".unicodeScalars.contains($0) }
            }
        }

        func files(_ matcher: DockerignoreMatcher) -> Result {
            var result = Result()
            let wildcard = rules.walk == .wildcardExceptions && Self.wildcardException(matcher)
            visit("", parent: DockerignoreMatcher.MatchInfo(), matcher: matcher, wildcard: wildcard, into: &result)
            return result
        }

        private func visit(
            _ relative: String, parent: DockerignoreMatcher.MatchInfo, matcher: DockerignoreMatcher, wildcard: Bool, into result: inout Result
        ) {
            let here = relative.isEmpty ? root : root + "/" + relative
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: here) else { return }
            for name in names.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                let path = relative.isEmpty ? name : relative + "/" + name
                guard let attributes = try? FileManager.default.attributesOfItem(atPath: root + "/" + path) else { continue }
                let isDirectory = attributes[.type] as? FileAttributeType == .typeDirectory
                let excluded: Bool
                var info = DockerignoreMatcher.MatchInfo()
                switch rules.matching {
                case .parentAtDepth: excluded = matcher.matchesParentAtDepth(path)
                case .parentResults: (excluded, info) = matcher.matchesUsingParentResults(path, parent: parent)
                }
                if !isDirectory {
                    let size = attributes[.type] as? FileAttributeType == .typeRegular ? (attributes[.size] as? NSNumber)?.int64Value ?? 0 : 0
                    if excluded {
                        result.excludedFiles += 1
                        result.excludedBytes += size
                    } else {
                        result.kept.append(File(path: path, size: size))
                    }
                    continue
                }
                if excluded && !wildcard && !mayReinclude(matcher, under: path) {
                    count(root + "/" + path, into: &result)
                    continue
                }
                visit(path, parent: info, matcher: matcher, wildcard: wildcard, into: &result)
            }
        }

        /// Whether an excluded directory must be walked: a `!` pattern, as written (fsutil: without a
        /// trailing `/*` or `/**`), starts inside it.
        func mayReinclude(_ matcher: DockerignoreMatcher, under directory: String) -> Bool {
            guard matcher.hasExclusions else { return false }
            return matcher.patterns.contains { pattern in
                guard pattern.exclusion else { return false }
                var text = pattern.cleaned
                if rules.walk == .wildcardExceptions {
                    for suffix in ["/**", "/*"] where text.hasSuffix(suffix) { text.removeLast(suffix.count) }
                }
                return GoPath.hasPrefix(text + "/", (directory + "/").utf8)
            }
        }

        /// Adds a skipped directory's files to the excluded totals.
        private func count(_ directory: String, into result: inout Result) {
            guard let walker = FileManager.default.enumerator(atPath: directory) else { return }
            while walker.nextObject() != nil {
                guard let attributes = walker.fileAttributes, attributes[.type] as? FileAttributeType != .typeDirectory else { continue }
                result.excludedFiles += 1
                result.excludedBytes +=
                    attributes[.type] as? FileAttributeType == .typeRegular ? (attributes[.size] as? NSNumber)?.int64Value ?? 0 : 0
            }
        }

        /// One file of the context by its relative path; nil when it is not a file there.
        func file(_ relative: String) -> File? {
            Self.size(root + "/" + relative).map { File(path: relative, size: $0) }
        }

        static func size(_ path: String) -> Int64? {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                attributes[.type] as? FileAttributeType != .typeDirectory
            else { return nil }
            return attributes[.type] as? FileAttributeType == .typeRegular ? (attributes[.size] as? NSNumber)?.int64Value ?? 0 : 0
        }
    }
}
