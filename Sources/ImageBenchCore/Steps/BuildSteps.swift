/// The steps of one build, read from its output lines as they arrived.
public enum BuildSteps {
    /// `lines` are the build's marker lines (``StepLines``) with their arrival times; `wall` is the
    /// build's wall time, which no step outlasts. `labels`: the `key=value` of the build's `--label`
    /// flags, which the classic builder and Buildah run as `LABEL` steps of their own after the Dockerfile's.
    public static func parse(_ lines: [OutputLine], builder: BuilderKind, wall: Double, labels: [String] = []) -> [StepRecord] {
        let steps =
            switch builder {
            case .buildkit: BuildKitSteps.parse(lines, wall: wall)
            case .classic: ClassicSteps.parse(lines, wall: wall, labels: labels)
            case .buildah: BuildahSteps.parse(lines, wall: wall, labels: labels)
            }
        // To the millisecond, as stored, and never past the wall time: rounding must not add time.
        let limit = (wall * 1000).rounded(.down) / 1000
        return framed(steps, wall: wall).map { step in
            var step = step.toMilliseconds()
            step.start = min(step.start, limit)
            if step.start + step.seconds > wall { step.seconds = max(0, ((limit - step.start) * 1000).rounded() / 1000) }
            return step
        }
    }

    /// The time before the builder's first step: the client starting, reaching the engine, and (BuildKit)
    /// opening its session. A few tenths of a second on an idle machine, more under load or on a remote engine.
    public static let beforeFirst = "(before the first step: client start, connection, session)"
    /// The time after the builder's last step until the client exits.
    public static let afterLast = "(after the last step: client exit)"

    /// A fresh runner's `docker pull` of its cache image before the build (classic `--cache-from`, and
    /// moby/buildkit#1981's workaround for the inline cache).
    public static let pullingCache = "(docker pull of the cache image before the build)"

    /// `steps` of a build that a `seconds`-long pull of the cache image preceded: the pull first, the
    /// build's steps after it.
    public static func afterPull(_ steps: [StepRecord], seconds: Double) -> [StepRecord] {
        let pull = StepRecord(
            stage: nil, number: 0, total: nil, instruction: pullingCache, kind: .internal, cached: false, start: 0,
            seconds: (seconds * 1000).rounded() / 1000)
        return [pull]
            + steps.map { step in
                var step = step
                step.start = ((step.start + pull.seconds) * 1000).rounded() / 1000
                return step
            }
    }

    /// Whether the step is one of the two imagebench adds around the builder's steps.
    public static func isFrame(_ step: StepRecord) -> Bool {
        step.kind == .internal && (step.instruction == beforeFirst || step.instruction == afterLast)
    }

    /// The builder's steps with the client's time before the first and after the last as steps of their
    /// own, so the steps account for the whole wall time the build is measured by.
    static func framed(_ steps: [StepRecord], wall: Double) -> [StepRecord] {
        guard let first = steps.map(\.start).min(), let last = steps.map({ $0.start + $0.seconds }).max() else { return steps }
        func frame(_ instruction: String, _ start: Double, _ seconds: Double) -> StepRecord {
            StepRecord(stage: nil, number: 0, total: nil, instruction: instruction, kind: .internal, cached: false, start: start, seconds: seconds)
        }
        var framed = steps
        if first >= 0.0005 { framed.insert(frame(beforeFirst, 0, first), at: 0) }
        if wall - last >= 0.0005 { framed.append(frame(afterLast, last, wall - last)) }
        return framed
    }

    /// Seconds during which at least one step ran: steps of stages BuildKit runs in parallel count once.
    public static func timeline(_ steps: [StepRecord]) -> Double {
        var total = 0.0
        var reach = -Double.infinity
        for step in steps.sorted(by: { $0.start < $1.start }) {
            let end = step.start + step.seconds
            if step.start >= reach {
                total += step.seconds
                reach = end
            } else if end > reach {
                total += end - reach
                reach = end
            }
        }
        return total
    }
}
