import Foundation
import ImageBenchCore

/// What a builder's own output says, counted apart from imagebench's parser, to check it against.
public enum DockerSaid {
    /// BuildKit's Dockerfile steps (`#N [stage k/n] INSTRUCTION`, not `FROM`) that ended `DONE` with no line
    /// but the pull of their layer from an imported cache (`#N sha256:<hex> …`, `#N extracting sha256:<hex> …`).
    public static func importedSteps(_ lines: [String]) -> Int {
        var names: [String: String] = [:]
        var pulled = Set<String>()
        var other = Set<String>()
        var done = Set<String>()
        for line in lines where line.hasPrefix("#") {
            guard let space = line.firstIndex(of: " ") else { continue }
            let index = String(line[..<space])
            let rest = String(line[line.index(after: space)...])
            if names[index] == nil {
                names[index] = rest
            } else if rest.hasPrefix("DONE ") {
                done.insert(index)
            } else if rest.range(of: #"^(extracting sha256:[0-9a-f]{64}|sha256:[0-9a-f]{64} .* / )"#, options: .regularExpression) != nil {
                pulled.insert(index)
            } else if rest != names[index], rest.first?.isNumber != true,
                rest.range(of: #"^sha256:[0-9a-f]{64}$"#, options: .regularExpression) == nil
            {
                other.insert(index)
            }
        }
        return names.filter { index, name in
            name.hasPrefix("[") && name.range(of: #"^\[[^\]]*\d+/\d+\] FROM "#, options: .regularExpression) == nil && pulled.contains(index)
                && done.contains(index) && !other.contains(index)
        }.count
    }

    /// Cache hits in the builder's words: BuildKit's vertices with a `#N CACHED` line (a `FROM` too; a
    /// vertex two stages share is printed twice and counts once), the classic builder's
    /// ` ---> Using cache`, Buildah's `--> Using cache`; and BuildKit's steps taken from an imported cache
    /// (``importedSteps(_:)``).
    public static func cacheHits(_ lines: [String], builder: BuilderKind) -> Int {
        switch builder {
        case .buildkit: Set(lines.filter { $0.hasPrefix("#") && $0.hasSuffix(" CACHED") }).count + importedSteps(lines)
        case .classic: lines.filter { $0 == " ---> Using cache" }.count
        case .buildah: lines.filter { $0.hasPrefix("--> Using cache") }.count
        }
    }
}
