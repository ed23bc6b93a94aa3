import Foundation

/// Quoting for showing commands (`imagebench list`), never for running them.
public enum ShellQuote {
    public static func quote(_ word: String) -> String {
        if !word.isEmpty && word.allSatisfy({ $0.isLetter || $0.isNumber || "-_./:=,@%+".contains($0) }) && word.allSatisfy(\.isASCII) {
            return word
        }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
