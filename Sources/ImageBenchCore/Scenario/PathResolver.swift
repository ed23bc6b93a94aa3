import Foundation
import Yams

/// Resolves relative paths and keeps them inside the scenario folder.
struct PathResolver {
    let root: String
    let allowOutside: Bool
    let reader: YAMLReader

    func resolve(_ relative: String, from base: String, node: Node, key: String, directory: Bool) throws(ScenarioError) -> String {
        if relative.isEmpty { throw reader.error(.invalidValue, node, "\(key) is empty; give a path") }
        if relative.hasPrefix("/") && !allowOutside {
            throw reader.error(
                .outsideScenario, node, "\(key) \"\(relative)\" is an absolute path; use a path inside the scenario folder, or pass --allow-outside")
        }
        let url = relative.hasPrefix("/") ? URL(fileURLWithPath: relative) : URL(fileURLWithPath: base).appendingPathComponent(relative)
        let path = url.standardizedFileURL.path
        /// Refuses `target` when it is not `inside` or below it, unless --allow-outside.
        func keepInside(_ target: String, _ inside: String) throws(ScenarioError) {
            guard !allowOutside, target != inside, !target.hasPrefix(inside + "/") else { return }
            throw reader.error(
                .outsideScenario, node,
                "\(key) \"\(relative)\" leads outside the scenario folder (to \(target)); keep it inside, or pass --allow-outside")
        }
        // Outside by its very spelling: refused before anything outside is even looked at.
        try keepInside(path, URL(fileURLWithPath: root).standardizedFileURL.path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw reader.error(.missingFile, node, "\(key) \"\(relative)\" does not exist (looked for \(path))")
        }
        if isDirectory.boolValue != directory {
            throw reader.error(.missingFile, node, "\(key) \"\(relative)\" is \(directory ? "a file; give a folder" : "a folder; give a file")")
        }
        // Outside through a symlink.
        try keepInside(URL(fileURLWithPath: path).resolvingSymlinksInPath().path, URL(fileURLWithPath: root).resolvingSymlinksInPath().path)
        return path
    }
}
