/// `--steps N`: which of a range's commits to build.
public enum CommitSteps {
    /// `steps` indices spread evenly over `0..<count`, always the first and the last (asv's `--steps`);
    /// every index when `steps` is nil or not below `count`.
    public static func pick(count: Int, steps: Int?) -> [Int] {
        guard count > 0 else { return [] }
        guard let steps, steps < count else { return Array(0..<count) }
        if steps <= 1 { return [count - 1] }
        var picked: [Int] = []
        for i in 0..<steps {
            let index = Int((Double(i) * Double(count - 1) / Double(steps - 1)).rounded())
            if picked.last != index { picked.append(index) }
        }
        return picked
    }
}
