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
        return steps.map { $0.toMilliseconds() }
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
