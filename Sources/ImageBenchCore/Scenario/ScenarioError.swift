import Foundation

/// A scenario or profile file that cannot be used, with the place and the fix.
public struct ScenarioError: Error, CustomStringConvertible, Equatable {
    public enum Reason: String, Sendable {
        case unreadable, invalidYAML, invalidValue, unknownKey, missingFile, undefinedImage, outsideScenario,
            tooManyVariants, emptyMatrix, unknownSelector
    }

    public var reason: Reason
    public var file: String
    /// 1-based line, or 0 when the problem is the whole file.
    public var line: Int
    public var message: String

    public init(_ reason: Reason, file: String, line: Int, _ message: String) {
        self.reason = reason
        self.file = file
        self.line = line
        // One line, always: a message that quotes YAML or docker output must not break it.
        self.message = message.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }

    /// `FILE:LINE: message`, the form compilers and editors understand.
    public var description: String {
        line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)"
    }
}
