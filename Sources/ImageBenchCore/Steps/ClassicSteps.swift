import Foundation

/// Reads the classic builder's output: `Step k/n : INSTRUCTION`, ` ---> Using cache`, `Sending build
/// context to Docker daemon` (the upload, kept as an internal step) and `Successfully built`. It prints
/// no times, so each step is timed by when its line arrives. A `Step` line a RUN prints counts only
/// when its number is the next one expected.
enum ClassicSteps {
    /// `labels`: the `--label` flags' `key=value`; the last steps are `LABEL` steps of them, internal
    /// ones named `--label key` (a value such as the session token differs from run to run).
    static func parse(_ lines: [OutputLine], wall: Double, labels: [String] = []) -> [StepRecord] {
        var steps = SequentialSteps()
        var stage = -1
        var last = 0
        for line in lines {
            let text = line.text
            if text.hasPrefix("Step "), let colon = text.range(of: " : "),
                let (number, total) = SequentialSteps.position(text[text.index(text.startIndex, offsetBy: 5)..<colon.lowerBound]),
                number == last + 1
            {
                last = number
                let instruction = String(text[colon.upperBound...])
                if number > total - labels.count, let flag = SequentialSteps.labelFlag(instruction, labels: labels) {
                    steps.beginInternal(flag, number: number, total: total, at: line.seconds)
                    continue
                }
                let kind = SequentialSteps.kind(instruction, afterFrom: stage >= 0)
                if kind == .base {
                    stage += 1
                    steps.nameStage(stage, SequentialSteps.stageName(instruction))
                }
                let step = StepRecord(
                    stage: nil, number: number, total: total, instruction: instruction, kind: kind, cached: false, start: 0, seconds: 0)
                steps.begin(step, at: line.seconds, stage: stage >= 0 ? stage : nil)
            } else if text == " ---> Using cache" {
                steps.markCached()
            } else if last == 0, text.hasPrefix("Sending build context to Docker daemon"), steps.steps.isEmpty {
                steps.beginInternal("sending build context", at: line.seconds)
            } else if text.hasPrefix("Successfully built ") {
                steps.end(at: line.seconds)
            }
        }
        return steps.finished(wall: wall)
    }
}
