import Foundation

/// Compares `text` with `__Snapshots__/NAME` beside the test file. With IMAGEBENCH_RECORD_SNAPSHOTS=1
/// it writes the file instead (review the diff before committing it). Returns a failure message or nil.
public func snapshotMismatch(_ text: String, named name: String, testFile: String = #filePath) -> String? {
    let folder = URL(fileURLWithPath: testFile).deletingLastPathComponent().appendingPathComponent("__Snapshots__")
    let file = folder.appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["IMAGEBENCH_RECORD_SNAPSHOTS"] == "1" {
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try? text.write(to: file, atomically: true, encoding: .utf8)
        return nil
    }
    guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
        return "no snapshot at \(file.path); run the test with IMAGEBENCH_RECORD_SNAPSHOTS=1 to record it"
    }
    if expected == text { return nil }
    let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let b = text.split(separator: "\n", omittingEmptySubsequences: false)
    let line = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
    return "snapshot \(name) differs at line \(line + 1):\n- \(line < a.count ? a[line] : "<end>")\n+ \(line < b.count ? b[line] : "<end>")"
}
