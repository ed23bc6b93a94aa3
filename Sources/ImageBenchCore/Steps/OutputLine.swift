/// One line a build printed, and when it arrived: seconds after the build started.
public struct OutputLine: Sendable, Equatable {
    public var seconds: Double
    public var text: String

    public init(_ seconds: Double, _ text: String) {
        self.seconds = seconds
        self.text = text
    }
}
