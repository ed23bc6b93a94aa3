/// Which lines of a build's output can mark a step, so the process reader times only those: BuildKit's
/// `#N ...` lines (not the `#N 0.181 ...` output of a step), the classic builder's `Step`, `Sending`,
/// `Successfully` and ` ---> Using cache` lines, and Buildah's `STEP`, `[k/n] STEP`, `COMMIT` and `-->`.
public enum StepLines {
    public static func mayMark(_ line: some Collection<UInt8>) -> Bool {
        guard var i = line.indices.first else { return false }
        if line[i] == UInt8(ascii: " ") {
            i = line.index(after: i)
            guard i < line.endIndex else { return false }
        }
        switch line[i] {
        case UInt8(ascii: "#"):
            // `#12 0.181 npm notice ...` is a step's own output: a digit after the number's space.
            var j = line.index(after: i)
            while j < line.endIndex, line[j] >= UInt8(ascii: "0"), line[j] <= UInt8(ascii: "9") { j = line.index(after: j) }
            guard j < line.endIndex, line[j] == UInt8(ascii: " ") else { return false }
            j = line.index(after: j)
            return j < line.endIndex && !(line[j] >= UInt8(ascii: "0") && line[j] <= UInt8(ascii: "9"))
        case UInt8(ascii: "S"), UInt8(ascii: "["), UInt8(ascii: "-"), UInt8(ascii: "C"):
            return true
        default:
            return false
        }
    }
}
