import Foundation
import ImageBenchCore
import ImageBenchStore

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
