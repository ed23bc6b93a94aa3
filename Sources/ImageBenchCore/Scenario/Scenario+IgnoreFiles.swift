import Foundation

extension Scenario {
    /// The ignore file `rules` read for `variant`, as an absolute path: its `dockerignore:` file, none
    /// for `dockerignore: none`, else the first of the builder's candidates that exists.
    public func ignoreFile(for variant: Variant, rules: ContextRules) -> String? {
        switch variant.settings.dockerignore {
        case .file(let path)?: return path
        case .none?: return nil
        case nil:
            let contextPath = URL(fileURLWithPath: context).standardizedFileURL.path
            let dockerfile = URL(fileURLWithPath: contextPath).appendingPathComponent(variant.settings.dockerfile ?? self.dockerfile)
                .standardizedFileURL.path
            return rules.candidates(dockerfile: dockerfile).lazy.map { $0.hasPrefix("/") ? $0 : contextPath + "/" + $0 }
                .first { FileManager.default.fileExists(atPath: $0) }
        }
    }

    /// Compiles the ignore file `rules` read for `variant` as that builder does: a pattern it refuses is
    /// a `FILE:LINE` error before anything is built. `shownDirectory` names the scenario folder as the
    /// user gave it, for the message.
    public func checkIgnoreFile(for variant: Variant, rules: ContextRules, shownDirectory: String? = nil) throws(ScenarioError) {
        guard let file = ignoreFile(for: variant, rules: rules) else { return }
        try checkIgnoreFile(file, dialect: rules.dialect, shownDirectory: shownDirectory)
    }

    /// Compiles one ignore file in `dialect`; see ``checkIgnoreFile(for:rules:shownDirectory:)``.
    public func checkIgnoreFile(_ file: String, dialect: DockerignorePattern.Dialect, shownDirectory: String? = nil) throws(ScenarioError) {
        guard let lines = DockerignoreFile.read(path: file) else { return }
        do {
            _ = try DockerignoreMatcher(lines: lines, dialect: dialect)
        } catch {
            var shown = file
            if let shownDirectory, file.hasPrefix(directory + "/") { shown = shownDirectory + file.dropFirst(directory.count) }
            let who = dialect == .legacy ? "docker before 23.0 refuses" : "Docker refuses"
            throw ScenarioError(
                .invalidValue, file: shown, line: error.line,
                "pattern \"\(error.pattern)\": \(error.reason); \(who) to build a context with it, so fix it or escape its special characters with \\"
            )
        }
    }
}
