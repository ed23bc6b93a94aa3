import Foundation

/// imagebench's own lines on standard error, each one line starting `imagebench:`: errors, warnings and
/// notes. Progress has its own printer; the table and reports go to standard output.
enum Console {
    /// `imagebench: error: MESSAGE`.
    static func error(_ message: String) { write("error: " + message) }

    /// `imagebench: warning: MESSAGE`.
    static func warning(_ message: String) { write("warning: " + message) }

    /// `imagebench: MESSAGE`: what a run did that a user should know (a profile, a resume, a skip).
    static func note(_ message: String) { write(message) }

    private static func write(_ text: String) {
        let line = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        FileHandle.standardError.write(Data("imagebench: \(line)\n".utf8))
    }
}
