import Foundation
import ImageBenchCore
import ImageBenchDocker
import ImageBenchReport

/// Shows a run's progress on stderr: one live line on a terminal, one plain line per variant otherwise.
final class ProgressPrinter: @unchecked Sendable {
    // @unchecked: every access to the mutable state goes through `lock`.
    private let lock = NSLock()
    private let live: Bool
    private let start = Date()
    private var variantLine = ""
    private var phaseLine = ""
    /// The heading of each variant in flight (several at once with several engines or jobs).
    private var headings: [VariantKey: String] = [:]

    init(live: Bool = ProgressPrinter.terminalAllowsEscapes) {
        self.live = live
    }

    /// A live line needs escape sequences: only on a terminal, and not when `NO_COLOR` is set
    /// (no-color.org) or the terminal is `dumb`.
    static var terminalAllowsEscapes: Bool {
        let environment = ProcessInfo.processInfo.environment
        return isatty(STDERR_FILENO) == 1 && (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
    }

    func handle(_ event: RunEvent) {
        lock.lock()
        defer { lock.unlock() }
        switch event {
        case .variantStarted(let key, let index, let total, let engine):
            variantLine = "[\(index)/\(total)] \(key)" + (engine.map { " on \($0)" } ?? "")
            headings[key] = variantLine
            phaseLine = ""
        case .buildStarted(let phase, let repetition, let of):
            phaseLine = "\(phase.rawValue) \(repetition)/\(of)"
        case .buildFinished:
            return
        case .smokeStarted:
            phaseLine = "smoke test"
        case .variantFinished(let result):
            if live { write("\r\u{1B}[K") }
            let heading = headings.removeValue(forKey: result.key) ?? variantLine
            write("\(heading): \(Self.summary(result))\n")
            return
        case .note(let text):
            if live { write("\r\u{1B}[K") }
            Console.note(text)
            return
        case .warning(let text):
            if live { write("\r\u{1B}[K") }
            Console.warning(text)
            return
        }
        if live {
            let elapsed = Int(Date().timeIntervalSince(start))
            write("\r\u{1B}[K\(variantLine) · \(phaseLine) · \(elapsed / 60)m\(String(format: "%02d", elapsed % 60))s")
        }
    }

    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if live { write("\r\u{1B}[K") }
    }

    static func summary(_ r: VariantResult) -> String {
        var parts = [r.status.rawValue]
        if let image = r.image { parts.append(Units.bytes(image.sizeBytes)) }
        if let cold = Summary(r.samples(.cold)) { parts.append("cold \(Units.seconds(cold.median))") }
        if let problem = r.problem { parts.append(problem) }
        return parts.joined(separator: ", ")
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
