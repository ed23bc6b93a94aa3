import ImageBenchCore

/// Splits a stream into lines as its bytes arrive and keeps the ones that can mark a build step
/// (``StepLines``), each with the time its end arrived. A carriage return ends a line too: the classic
/// builder redraws `Sending build context` with them.
struct LineTimer {
    private var partial: [UInt8] = []
    private(set) var lines: [OutputLine] = []
    /// Bytes of one line kept; the rest of a longer line is dropped (no marker is that long).
    static let longest = 64 << 10

    mutating func consume(_ bytes: UnsafeRawBufferPointer, at seconds: Double) {
        for byte in bytes {
            if byte == 0x0A || byte == 0x0D {
                finishLine(at: seconds)
            } else if partial.count < Self.longest {
                partial.append(byte)
            }
        }
    }

    /// Ends the line in progress, as the end of the stream does.
    mutating func finishLine(at seconds: Double) {
        if !partial.isEmpty, StepLines.mayMark(partial) { lines.append(OutputLine(seconds, String(decoding: partial, as: UTF8.self))) }
        partial.removeAll(keepingCapacity: true)
    }
}
