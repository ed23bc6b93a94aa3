import Foundation

/// Reads podman's (Buildah's) output: `[k/n] STEP i/m: INSTRUCTION` (just `STEP i/m:` in a single-stage
/// build), `--> Using cache <id>`, and `[k/n] COMMIT <name>` (the final image's commit, kept as an
/// internal step). Like the classic builder it prints no times: each step lasts until the next one's
/// line, or `Successfully tagged`, arrives.
enum BuildahSteps {
    static func parse(_ lines: [OutputLine], wall: Double) -> [StepRecord] {
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
                let kind = SequentialSteps.kind(instruction, afterFrom: true)
                if kind == .base { steps.nameStage(stage ?? 0, SequentialSteps.stageName(instruction)) }
                let step = StepRecord(
                    stage: nil, number: number, total: total, instruction: instruction, kind: kind, cached: false, start: 0, seconds: 0)
                steps.begin(step, at: line.seconds, stage: stage ?? 0)
            } else if text.hasPrefix("--> Using cache") {
                steps.markCached()
            } else if text.hasPrefix("COMMIT") {
                // Just `COMMIT`: the name after it is the run's own tag, different in every run.
                let step = StepRecord(stage: nil, number: 0, total: nil, instruction: "COMMIT", kind: .internal, cached: false, start: 0, seconds: 0)
                steps.begin(step, at: line.seconds, stage: nil)
            } else if text.hasPrefix("Successfully tagged ") {
                steps.end(at: line.seconds)
            }
        }
        return steps.finished(wall: wall)
    }
}
