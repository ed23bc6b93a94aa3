/// Builders that run one step at a time and print no durations (the classic builder, Buildah): a step
/// lasts from the line that starts it to the line that starts the next one, or ends the build.
struct SequentialSteps {
    private(set) var steps: [StepRecord] = []
    /// Stage names in order of their `FROM`s, and the stage each step belongs to.
    private var stageNames: [String] = []
    private var stageOfStep: [Int?] = []

    /// A step begins at `seconds`; the one before it ends there.
    mutating func begin(_ step: StepRecord, at seconds: Double, stage: Int?) {
        end(at: seconds)
        var step = step
        step.start = seconds
        step.seconds = -1
        steps.append(step)
        stageOfStep.append(stage)
    }

    /// One of the builder's own steps begins at `seconds`: outside every stage.
    mutating func beginInternal(_ instruction: String, number: Int = 0, total: Int? = nil, at seconds: Double) {
        let step = StepRecord(
            stage: nil, number: number, total: total, instruction: instruction, kind: .internal, cached: false, start: 0, seconds: 0)
        begin(step, at: seconds, stage: nil)
    }

    /// The running step ends at `seconds`, if one runs.
    mutating func end(at seconds: Double) {
        guard let last = steps.indices.last, steps[last].seconds < 0 else { return }
        steps[last].seconds = max(0, seconds - steps[last].start)
    }

    /// The running step was a cache hit, as the builder said.
    mutating func markCached() {
        guard let last = steps.indices.last else { return }
        steps[last].cached = true
    }

    /// Stage `index` is called `name` (`FROM ... AS name`); unnamed stages are `stage-<index>`, as
    /// BuildKit calls them.
    mutating func nameStage(_ index: Int, _ name: String?) {
        while stageNames.count <= index { stageNames.append("stage-\(stageNames.count)") }
        if let name { stageNames[index] = name }
    }

    /// The steps, the last ended at `wall` if nothing ended it, and each given its stage's name when the
    /// Dockerfile has more than one stage (a single-stage build's steps have none, as in BuildKit's).
    func finished(wall: Double) -> [StepRecord] {
        var copy = self
        copy.end(at: wall)
        let named = stageNames.count > 1
        return zip(copy.steps, stageOfStep).map { step, stage in
            var step = step
            step.start = min(step.start, wall)
            step.seconds = min(step.seconds, wall - step.start)
            if named, let stage, stage < stageNames.count { step.stage = stageNames[stage] }
            return step
        }
    }

    /// `--label key` when the instruction is the `LABEL` a `--label key=value` flag made: the classic
    /// builder prints `LABEL key=value`, Buildah `LABEL "key"="value"`. The value is left out: a value
    /// such as the session token differs from run to run.
    static func labelFlag(_ instruction: String, labels: [String]) -> String? {
        guard instruction.hasPrefix("LABEL ") else { return nil }
        let pair = instruction.dropFirst(6)
        for label in labels {
            guard let equals = label.firstIndex(of: "=") else { continue }
            let key = label[..<equals]
            let value = label[label.index(after: equals)...]
            if pair == label || pair == "\"\(key)\"=\"\(value)\"" { return "--label \(key)" }
        }
        return nil
    }

    /// `FROM image AS name` → `name`.
    static func stageName(_ instruction: String) -> String? {
        let words = instruction.split(whereSeparator: \.isWhitespace)
        guard words.count >= 4, words[0].uppercased() == "FROM", words[words.count - 2].uppercased() == "AS" else { return nil }
        return String(words[words.count - 1])
    }

    static func kind(_ instruction: String, afterFrom: Bool) -> StepRecord.Kind {
        if instruction.uppercased().hasPrefix("FROM") { return .base }
        return afterFrom ? .instruction : .global
    }

    /// `5/9` as (5, 9).
    static func position(_ text: Substring) -> (Int, Int)? {
        guard let slash = text.firstIndex(of: "/"), let number = Int(text[..<slash]), let total = Int(text[text.index(after: slash)...]) else {
            return nil
        }
        return (number, total)
    }
}
