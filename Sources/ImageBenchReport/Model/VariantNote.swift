import ImageBenchCore

/// What a report says under its table about one variant; every format words these its own way.
public enum VariantNote: Sendable, Equatable {
    /// Why the variant did not behave as expected.
    case problem(String)
    /// The expected failure, in docker's words (last line of the smoke output).
    case expectedBroken(dockerSaid: String)
    /// Secrets found by content: `rule path (layer N, line L)`.
    case secretsInContext([String])
    case secretsInImage([String])
    /// Files whose name alone looks secret; their content is neither flagged nor public.
    case secretNamesInContext([String])
    case secretNamesInImage([String])
    case waste(bytes: Int64, efficiency: Double, largest: String)
    /// The entrypoint's interpreter is not in the image.
    case missingInterpreter(Linkage)
    /// The edit phase's first cache miss and what ran again; `build` is the edit builds' wall time.
    case editInvalidated(CacheInvalidation, build: Summary)
    /// The `--target` stage the variant built alone.
    case target(String)
    /// What the fresh runner gained from its cache.
    case ci(CIVerdict)
    /// Why the `ci` phase was not built, or why it stopped.
    case ciSkipped(String)
    case ciProblem(String)

    /// Paths listed under a table: the first ten, then how many more (JSON and CSV list them all).
    static func firstFew(_ paths: [String]) -> [String] {
        paths.count <= 10 ? paths : Array(paths.prefix(10)) + ["and \(paths.count - 10) more (JSON and CSV list all)"]
    }

    /// The notes for a variant, in the order every format shows them.
    public static func notes(for r: VariantResult) -> [VariantNote] {
        var notes: [VariantNote] = []
        if let problem = r.problem {
            notes.append(.problem(problem))
        } else if r.status == .expectedBroken, let smoke = r.smoke {
            notes.append(.expectedBroken(dockerSaid: smoke.output.split(separator: "\n").last.map(String.init) ?? ""))
        }
        if let linkage = r.insight?.linkage, linkage.interpreterPresent == false { notes.append(.missingInterpreter(linkage)) }
        if let secrets = r.context?.secrets, !secrets.isEmpty { notes.append(.secretsInContext(Self.firstFew(secrets))) }
        if let secrets = r.insight?.secrets, !secrets.isEmpty { notes.append(.secretsInImage(Self.firstFew(secrets))) }
        if let names = r.context?.secretNames, !names.isEmpty { notes.append(.secretNamesInContext(Self.firstFew(names))) }
        if let names = r.insight?.secretNames, !names.isEmpty { notes.append(.secretNamesInImage(Self.firstFew(names))) }
        if let edit = r.steps(.edit), let invalidation = CacheInvalidation(edit) { notes.append(.editInvalidated(invalidation, build: edit.builds)) }
        if let target = r.target { notes.append(.target(target)) }
        if let verdict = CIVerdict(r) { notes.append(.ci(verdict)) }
        if let skipped = r.ci?.skipped { notes.append(.ciSkipped(skipped)) }
        if let problem = r.ci?.problem { notes.append(.ciProblem(problem)) }
        if let insight = r.insight, insight.wastedBytes > 0 {
            notes.append(.waste(bytes: insight.wastedBytes, efficiency: insight.efficiency, largest: insight.wastedFiles.first?.path ?? ""))
        }
        return notes
    }
}
