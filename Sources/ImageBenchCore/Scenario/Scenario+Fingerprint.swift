import Foundation

extension Scenario {
    /// SHA-256 over every file under the scenario folder (relative path, then contents), in path order,
    /// so a changed Dockerfile or source file changes the fingerprint.
    public func contentHash() -> String {
        var hasher = SHA256()
        let base = URL(fileURLWithPath: directory)
        let enumerator = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey])
        var files: [String] = []
        while let url = enumerator?.nextObject() as? URL {
            if (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                files.append(String(url.standardizedFileURL.path.dropFirst(base.standardizedFileURL.path.count)))
            }
        }
        for file in files.sorted() {
            hasher.update(file + "\u{0}")
            if let data = FileManager.default.contents(atPath: directory + file) { hasher.update(data) }
            hasher.update([0])
        }
        return hasher.finalizeHex()
    }
}
