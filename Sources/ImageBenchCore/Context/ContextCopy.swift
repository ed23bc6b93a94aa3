import Foundation

/// A variant's build context as its build gets it: the scenario's context copied to a scratch folder
/// (the user's files stay untouched), the variant's `dockerignore:` choice applied, and walked with the
/// builder's rules.
public struct ContextCopy: Sendable {
    /// The copy.
    public var directory: String
    public var walk: ContextWalk
    public var facts: BuildContextFacts

    /// Copies `scenario`'s context to `path` (whose parent must not hold it yet) for a build with the
    /// Dockerfile `dockerfile` (relative to the context when `dockerfileInside`, else absolute). With a
    /// choice, every ignore file a builder looks for goes from the copy: `none` builds with none, and a
    /// file becomes the copy's `.dockerignore`, whichever file the builder would have read. A pattern
    /// the builder refuses is a `FILE:LINE` error naming the user's file.
    public static func make(
        of scenario: Scenario, at path: String, dockerfile: String, dockerfileInside: Bool, choice: DockerignoreChoice?, rules: ContextRules
    ) throws -> ContextCopy {
        let fm = FileManager.default
        try fm.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try fm.copyItem(atPath: scenario.context, toPath: path)
        if let choice {
            for candidate in ContextRules.allCandidates(dockerfile: dockerfile) where !candidate.hasPrefix("/") {
                try? fm.removeItem(atPath: path + "/" + candidate)
            }
            if case .file(let file) = choice { try fm.copyItem(atPath: file, toPath: path + "/.dockerignore") }
        }
        do {
            let walk = try ContextWalk.walk(directory: path, dockerfile: dockerfile, dockerfileInside: dockerfileInside, rules: rules)
            return ContextCopy(directory: path, walk: walk, facts: BuildContextFacts(walk, rules: rules, directory: path))
        } catch {
            // The scenario's loader and the run check every ignore file first; this names the user's file.
            let found = rules.candidates(dockerfile: dockerfile).first { fm.fileExists(atPath: $0.hasPrefix("/") ? $0 : path + "/" + $0) }
            var shown = scenario.context + "/" + (found ?? ".dockerignore")
            if let found, found.hasPrefix("/") { shown = found }
            if case .file(let file)? = choice { shown = file }
            throw ScenarioError(
                .invalidValue, file: shown, line: error.line,
                "pattern \"\(error.pattern)\": \(error.reason); Docker refuses to build a context with it")
        }
    }
}
