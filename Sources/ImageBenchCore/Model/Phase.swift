/// The three ways a variant is built, in the order they run.
public enum Phase: String, Sendable, Codable, CaseIterable, Comparable {
    /// `--no-cache` build; base images already present.
    case cold
    /// The same build again, nothing changed.
    case warm
    /// A line appended to the scenario's `edit` file, then a cached build.
    case edit

    public static func < (lhs: Phase, rhs: Phase) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
