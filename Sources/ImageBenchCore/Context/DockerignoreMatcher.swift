/// A `.dockerignore`'s patterns and the three ways moby/patternmatcher decides whether a path is left
/// out: the last matching pattern wins, `!` patterns re-include, and a pattern matching a parent
/// directory matches what is below it. Which way applies depends on the builder (``ContextRules``).
public struct DockerignoreMatcher: Sendable {
    public let patterns: [DockerignorePattern]

    /// Whether any pattern is an exception (`!`).
    public var hasExclusions: Bool { patterns.contains(where: \.exclusion) }

    /// `patternmatcher.New`: compiles every pattern, or throws the first refusal Docker would make.
    public init(lines: [DockerignoreFile.Line], dialect: DockerignorePattern.Dialect = .current) throws(DockerignorePattern.Refusal) {
        var compiled: [DockerignorePattern] = []
        for line in lines {
            do {
                if let pattern = try DockerignorePattern(line.pattern, line: line.number, dialect: dialect) { compiled.append(pattern) }
            } catch {
                throw DockerignorePattern.Refusal(pattern: line.written, line: line.number, reason: error.reason)
            }
        }
        patterns = compiled
    }

    /// Patterns as a list (no file): line numbers count from 1.
    public init(patterns: [String], dialect: DockerignorePattern.Dialect = .current) throws(DockerignorePattern.Refusal) {
        try self.init(lines: patterns.enumerated().map { DockerignoreFile.Line(pattern: $1, number: $0 + 1) }, dialect: dialect)
    }

    /// The deprecated `Matches` (docker CLI before 23.0, and the fsutil that docker 20.10's BuildKit
    /// sends with): the path, then only its ancestor as deep as the pattern (`dirs` segments).
    public func matchesParentAtDepth(_ path: String) -> Bool {
        let parent = GoPath.dir(path)
        let parentDirs = parent.split(separator: "/", omittingEmptySubsequences: false)
        var matched = false
        for pattern in patterns where pattern.exclusion == matched {
            var match = pattern.matches(path)
            if !match && parent != "." && pattern.segments <= parentDirs.count {
                match = pattern.matches(parentDirs[..<pattern.segments].joined(separator: "/"))
            }
            if match { matched = !pattern.exclusion }
        }
        return matched
    }

    /// `MatchesOrParentMatches`: the path, then each of its ancestors.
    public func matchesOrParentMatches(_ path: String) -> Bool {
        let parent = GoPath.dir(path)
        let parentDirs = parent.split(separator: "/", omittingEmptySubsequences: false)
        var matched = false
        for pattern in patterns where pattern.exclusion == matched {
            var match = pattern.matches(path)
            if !match && parent != "." {
                for i in parentDirs.indices where pattern.matches(parentDirs[...i].joined(separator: "/")) {
                    match = true
                    break
                }
            }
            if match { matched = !pattern.exclusion }
        }
        return matched
    }

    /// Which patterns matched a directory, for its children (`patternmatcher.MatchInfo`).
    public struct MatchInfo: Sendable, Equatable {
        var parentMatched: [Bool] = []
        public init() {}
    }

    /// `MatchesUsingParentResults` (docker CLI 23.0 on, and BuildKit's fsutil since 2021): a pattern that
    /// matched the parent directory matches the path; with no parent information, as `MatchesOrParentMatches`.
    public func matchesUsingParentResults(_ path: String, parent: MatchInfo) -> (matched: Bool, info: MatchInfo) {
        let parentMatched = parent.parentMatched
        var matched = false
        var info = MatchInfo()
        info.parentMatched = Array(repeating: false, count: patterns.count)
        for (i, pattern) in patterns.enumerated() {
            var match = parentMatched.isEmpty ? false : parentMatched[i]
            if !match {
                if pattern.exclusion != matched { continue }
                match = pattern.matches(path)
                if !match && parentMatched.isEmpty {
                    let parentPath = GoPath.dir(path)
                    if parentPath != "." {
                        let dirs = parentPath.split(separator: "/", omittingEmptySubsequences: false)
                        for j in dirs.indices where pattern.matches(dirs[...j].joined(separator: "/")) {
                            match = true
                            break
                        }
                    }
                }
            }
            info.parentMatched[i] = match
            if match { matched = !pattern.exclusion }
        }
        return (matched, info)
    }
}
