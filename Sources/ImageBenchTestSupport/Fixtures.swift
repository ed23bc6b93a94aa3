import Foundation
import ImageBenchCore
import ImageBenchStore

/// A fresh folder for one test, removed afterwards.
public func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async rethrows -> T {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("imagebench-test-\(UUID().uuidString)").path
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}

/// `withTemporaryDirectory` for a synchronous body.
public func withTemporaryDirectorySync<T>(_ body: (String) throws -> T) throws -> T {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("imagebench-test-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

/// A fresh database in its own folder for one test.
public func withTemporaryStore<T>(_ body: (ResultStore, String) async throws -> T) async throws -> T {
    try await withTemporaryDirectory { dir in
        let path = dir + "/results.sqlite"
        return try await body(try ResultStore(path: path), path)
    }
}

/// Writes files (relative path → contents) under `root`, creating folders.
public func writeFiles(_ files: [String: String], under root: String) throws {
    for (relative, contents) in files {
        let path = root + "/" + relative
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
