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

/// Paths inside this package's checkout.
public enum PackagePaths {
    /// The package root (the folder holding Package.swift).
    public static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.path + "/Package.swift") { return url.path }
        }
        return FileManager.default.currentDirectoryPath
    }()

    public static var scenarios: String { root + "/Scenarios" }

    /// The built `imagebench` executable, beside the test bundle.
    /// The imagebench the end-to-end tests run: `$IMAGEBENCH_TEST_BINARY` (scripts/test sets the release
    /// build, which users run and whose optimizer the debug build does not exercise), else the one
    /// built beside the tests.
    public static var binary: String {
        if let given = ProcessInfo.processInfo.environment["IMAGEBENCH_TEST_BINARY"], FileManager.default.isExecutableFile(atPath: given) {
            return given
        }
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path + "/imagebench",
            root + "/.build/debug/imagebench",
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates.last!
    }
}

/// Facts for building fixed report models in tests.
public enum Sample {
    public static let date = Date(timeIntervalSince1970: 1_795_000_000)

    public static func environment() -> RunEnvironment {
        var e = RunEnvironment()
        e.host = "ci-1"
        e.cpus = 2
        e.memoryBytes = 24_000_000_000
        e.kernel = "6.1.0"
        e.os = "Debian GNU/Linux 12 (bookworm)"
        e.dockerPath = "docker"
        e.dockerClient = "28.2.2"
        e.dockerServer = "20.10.24+dfsg1"
        e.storageDriver = "overlay2"
        e.cgroupVersion = "1"
        e.defaultBuilder = .classic
        e.imagebenchVersion = "0.1.0"
        return e
    }

    public static func builds(_ phase: Phase, _ seconds: [Double]) -> [BuildRecord] {
        seconds.enumerated().map { i, s in
            BuildRecord(
                phase: phase, repetition: i + 1, startedAt: date, seconds: s, outcome: .ok, exitCode: 0, builder: .classic, imageID: "sha256:abc")
        }
    }
}
