import Foundation

/// Reads podman's (Buildah's) output: `[k/n] STEP i/m: INSTRUCTION` (just `STEP i/m:` in a single-stage
/// build), `--> Using cache <id>`, and `[k/n] COMMIT <name>` (the final image's commit, kept as an
/// internal step). Like the classic builder it prints no times: each step lasts until the next one's
/// line, or `Successfully tagged`, arrives.
enum BuildahSteps {
    /// `labels`: the `--label` flags' `key=value`; Buildah runs them as `LABEL` steps at the end of the
    /// last stage, kept as internal steps named `--label key`.
    static func parse(_ lines: [OutputLine], wall: Double, labels: [String] = []) -> [StepRecord] {
        var steps = SequentialSteps()
        var seen: Set<String> = []
        for line in lines {
            var text = Substring(line.text)
            var stage: Int? = nil
            if text.hasPrefix("["), let close = text.firstIndex(of: "]"),
                let (index, _) = SequentialSteps.position(text.dropFirst().prefix(upTo: close))
            {
                stage = index - 1
                text = text[text.index(after: close)...].drop(while: { $0 == " " })
            }
            if text.hasPrefix("STEP "), let colon = text.firstIndex(of: ":"),
                let (number, total) = SequentialSteps.position(text[text.index(text.startIndex, offsetBy: 5)..<colon]),
                seen.insert("\(stage ?? 0) \(number)").inserted
            {
                let instruction = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                if number > total - labels.count, let flag = SequentialSteps.labelFlag(instruction, labels: labels) {
                    steps.beginInternal(flag, number: number, total: total, at: line.seconds)
                    continue
                }
                let kind = SequentialSteps.kind(instruction, afterFrom: true)
                if kind == .base { steps.nameStage(stage ?? 0, SequentialSteps.stageName(instruction)) }
                let step = StepRecord(
                    stage: nil, number: number, total: total, instruction: instruction, kind: kind, cached: false, start: 0, seconds: 0)
                steps.begin(step, at: line.seconds, stage: stage ?? 0)
            } else if text.hasPrefix("--> Using cache") {
                steps.markCached()
            } else if text.hasPrefix("COMMIT") {
                // Just `COMMIT`: the name after it is the run's own tag, different in every run.
                steps.beginInternal("COMMIT", at: line.seconds)
            } else if text.hasPrefix("Successfully tagged ") {
                steps.end(at: line.seconds)
            }
        }
        return steps.finished(wall: wall)
    }
}
