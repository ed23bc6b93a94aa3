import Foundation

/// The external images a Dockerfile builds FROM, so they can be made present before any build is timed.
public enum DockerfileBases {
    /// Image references of every `FROM` that is not `scratch` or an earlier stage, with `$VAR` and
    /// `${VAR}` expanded from the global `ARG` defaults and `buildArgs`.
    public static func references(dockerfile text: String, buildArgs: [String: String]) -> [String] {
        var result: [String] = []
        for base in bases(dockerfile: text, buildArgs: buildArgs) where !result.contains(base.image) { result.append(base.image) }
        return result
    }

    /// The references of ``references(dockerfile:buildArgs:)`` that some stage builds FROM for the target
    /// platform: a stage without `--platform=$BUILDPLATFORM` (BuildKit's native build stage).
    public static func targetPlatformReferences(dockerfile text: String, buildArgs: [String: String]) -> [String] {
        var result: [String] = []
        for base in bases(dockerfile: text, buildArgs: buildArgs) where !base.onBuildPlatform && !result.contains(base.image) {
            result.append(base.image)
        }
        return result
    }

    /// The `RUN` instructions of the stages the build needs (the `target` stage, else the last, and those it
    /// builds FROM or copies from) that build for the target platform: not on `--platform=$BUILDPLATFORM`, nor
    /// FROM a stage that is. Where the target platform is not the engine's, these run under emulation; a
    /// cross-compiling Dockerfile has none.
    public static func targetPlatformRuns(dockerfile text: String, buildArgs: [String: String], target: String? = nil) -> Int {
        let stages = stages(dockerfile: text, buildArgs: buildArgs)
        let last = target.flatMap { name in stages.firstIndex { $0.name == name.lowercased() } } ?? (stages.isEmpty ? nil : stages.count - 1)
        guard let last else { return 0 }
        var seen: Set<Int> = []
        var pending = [last]
        var runs = 0
        while let index = pending.popLast() {
            guard seen.insert(index).inserted else { continue }
            if !stages[index].onBuildPlatform { runs += stages[index].runs }
            pending += stages[index].needs
        }
        return runs
    }

    static func bases(dockerfile text: String, buildArgs: [String: String]) -> [(image: String, onBuildPlatform: Bool)] {
        stages(dockerfile: text, buildArgs: buildArgs).compactMap { stage in stage.image.map { ($0, stage.onBuildPlatform) } }
    }

    /// One `FROM` of a Dockerfile and what follows it.
    struct Stage {
        /// The external image it builds FROM, expanded; nil for `scratch` or an earlier stage.
        var image: String?
        /// Its `AS` name, lowercased.
        var name: String?
        /// Whether it runs on the build platform: `--platform=$BUILDPLATFORM`, or FROM a stage that does.
        var onBuildPlatform: Bool
        /// Its `RUN` instructions.
        var runs = 0
        /// The earlier stages it builds FROM or copies from (`COPY --from=`, `RUN --mount=...,from=`).
        var needs: [Int] = []
    }

    /// Every stage, with `$VAR` and `${VAR}` expanded from the global `ARG` defaults and `buildArgs`.
    static func stages(dockerfile text: String, buildArgs: [String: String]) -> [Stage] {
        var args: [String: String] = [:]
        var stages: [Stage] = []
        func stageIndex(_ reference: String, numbers: Bool) -> Int? {
            if let named = stages.firstIndex(where: { $0.name == reference.lowercased() }) { return named }
            if numbers, let number = Int(reference), number >= 0, number < stages.count { return number }
            return nil
        }
        for line in logicalLines(text) {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let keyword = words.first?.uppercased() else { continue }
            let values = args.merging(buildArgs) { $1 }
            if keyword == "ARG", stages.isEmpty {
                for decl in words.dropFirst() {
                    let parts = decl.split(separator: "=", maxSplits: 1).map(String.init)
                    args[parts[0]] = buildArgs[parts[0]] ?? (parts.count > 1 ? unquote(parts[1]) : nil)
                }
            } else if keyword == "FROM" {
                let operands = words.dropFirst().filter { !$0.hasPrefix("--") }
                let platform = words.dropFirst().first { $0.lowercased().hasPrefix("--platform=") }.map { String($0.dropFirst("--platform=".count)) }
                var stage = Stage(onBuildPlatform: platform == "$BUILDPLATFORM" || platform == "${BUILDPLATFORM}")
                if operands.count >= 3, operands[operands.index(after: operands.startIndex)].uppercased() == "AS" {
                    stage.name = operands[operands.index(operands.startIndex, offsetBy: 2)].lowercased()
                }
                if let image = operands.first {
                    let expanded = expand(image, values)
                    if let parent = stageIndex(expanded, numbers: false) ?? stageIndex(image, numbers: false) {
                        stage.needs.append(parent)
                        if platform == nil { stage.onBuildPlatform = stages[parent].onBuildPlatform }
                    } else if !expanded.isEmpty, expanded.lowercased() != "scratch", expanded.lowercased() != stage.name {
                        stage.image = expanded
                    }
                }
                stages.append(stage)
            } else if !stages.isEmpty {
                if keyword == "RUN" { stages[stages.count - 1].runs += 1 }
                let from =
                    words.dropFirst().filter { $0.lowercased().hasPrefix("--from=") }.map { String($0.dropFirst("--from=".count)) }
                    + words.dropFirst().filter { $0.hasPrefix("--mount=") }.flatMap { mount in
                        mount.dropFirst("--mount=".count).split(separator: ",").compactMap { option -> String? in
                            option.lowercased().hasPrefix("from=") ? String(option.dropFirst("from=".count)) : nil
                        }
                    }
                for reference in from {
                    if let needed = stageIndex(expand(reference, values), numbers: true) { stages[stages.count - 1].needs.append(needed) }
                }
            }
        }
        return stages
    }

    static func logicalLines(_ text: String) -> [String] {
        var lines: [String] = []
        var current = ""
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = String(raw)
            if line.hasSuffix("\r") { line.removeLast() }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("#") && current.isEmpty { continue }
            if trimmed.hasSuffix("\\") {
                current += String(trimmed.dropLast()) + " "
            } else {
                lines.append((current + trimmed).trimmingCharacters(in: .whitespaces))
                current = ""
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    static func unquote(_ value: String) -> String {
        if value.count >= 2, let f = value.first, f == "\"" || f == "'", value.last == f { return String(value.dropFirst().dropLast()) }
        return value
    }

    static func expand(_ word: String, _ args: [String: String]) -> String {
        var out = ""
        var i = word.startIndex
        while i < word.endIndex {
            if word[i] == "$" {
                let next = word.index(after: i)
                if next < word.endIndex, word[next] == "{", let close = word[next...].firstIndex(of: "}") {
                    var name = String(word[word.index(after: next)..<close])
                    if let colon = name.firstIndex(of: ":") { name = String(name[..<colon]) }
                    out += args[name] ?? ""
                    i = word.index(after: close)
                    continue
                }
                var end = next
                while end < word.endIndex, word[end].isLetter || word[end].isNumber || word[end] == "_" { end = word.index(after: end) }
                if end > next {
                    out += args[String(word[next..<end])] ?? ""
                    i = end
                    continue
                }
            }
            out.append(word[i])
            i = word.index(after: i)
        }
        return out
    }
}
