import ArgumentParser
import Foundation
import ImageBenchCore
import ImageBenchReport
import ImageBenchStore

/// Writes a command's output to a file, or to standard output when no file is given.
enum OutputFile {
    static func write(_ text: String, to path: String?) throws {
        guard let path else {
            print(text, terminator: "")
            return
        }
        do {
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw RequestError(
                .cannotWrite, "--output \(path): cannot write the file (\(error.localizedDescription)); give a path in a folder you can write")
        }
    }
}
