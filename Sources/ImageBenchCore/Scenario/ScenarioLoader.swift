import Foundation
import Yams

/// Reads `scenario.yaml` files into ``Scenario`` values, rejecting anything it does not understand
/// with a ``ScenarioError`` that names the file and line.
public struct ScenarioLoader: Sendable {
    /// The most variants one scenario may expand to.
    public static let variantLimit = 256
    /// Let `context`, `dockerfile`, `dockerignore` and `edit` point outside the scenario folder.
    public var allowOutside: Bool

    public init(allowOutside: Bool = false) {
        self.allowOutside = allowOutside
    }

    /// Loads a scenario from its folder or from the path of its YAML file.
    public func load(path: String) throws(ScenarioError) -> Scenario {
        var isDirectory: ObjCBool = false
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory) else {
            throw ScenarioError(.missingFile, file: path, line: 0, "no such scenario folder or file; give a folder holding scenario.yaml")
        }
        let file = isDirectory.boolValue ? absolute + "/scenario.yaml" : absolute
        let shown = isDirectory.boolValue ? (path.hasSuffix("/") ? path + "scenario.yaml" : path + "/scenario.yaml") : path
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ScenarioError(.unreadable, file: shown, line: 0, "cannot read the file; a scenario folder needs a scenario.yaml")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ScenarioError(.unreadable, file: shown, line: Self.firstInvalidUTF8Line(data), "the file is not UTF-8 text; save it as UTF-8")
        }
        return try parse(text: text, file: file, shownAs: shown)
    }

    /// Parses scenario YAML. `file` is the absolute path the relative paths are resolved against,
    /// `shownAs` the name used in error messages.
    public func parse(text: String, file: String, shownAs: String? = nil) throws(ScenarioError) -> Scenario {
        let reader = YAMLReader(file: shownAs ?? file)
        let root = try reader.compose(text)
        guard let root else { throw reader.error(.invalidValue, 0, "the file is empty; a scenario needs at least a Dockerfile to build") }
        let top = try reader.mapping(root, "the scenario")
        try reader.allowOnly(
            top,
            [
                "name", "description", "context", "dockerfile", "images", "build-args", "axes", "exclude",
                "expect-broken", "smoke", "edit", "thresholds",
            ],
            in: "the scenario")

        let directory = (file as NSString).deletingLastPathComponent
        let folderName = (directory as NSString).lastPathComponent
        let paths = PathResolver(root: directory, allowOutside: allowOutside, reader: reader)

        var scenario = Scenario(name: folderName, file: file, directory: directory, context: directory)
        if let node = top["name"] {
            scenario.name = try reader.string(node, "name")
            guard scenario.name.range(of: "^[A-Za-z0-9][A-Za-z0-9._-]*$", options: .regularExpression) != nil else {
                throw reader.error(.invalidValue, node, "name \"\(scenario.name)\" may hold only letters, digits, '.', '_' and '-'")
            }
        }
        if let node = top["description"] { scenario.description = try reader.string(node, "description") }
        if let node = top["context"] {
            scenario.context = try paths.resolve(try reader.string(node, "context"), from: directory, node: node, key: "context", directory: true)
        }
        if let node = top["images"] {
            for (key, value) in try reader.pairs(node, "images") {
                scenario.images.append(NamedImage(name: key.name, reference: try reader.string(value, "images.\(key.name)"), line: key.line))
            }
        }
        let imageNames = Set(scenario.images.map(\.name))
        if let node = top["build-args"] { scenario.buildArgs = try reader.buildArgs(node, "build-args", images: imageNames) }

        let dockerfileNode = top["dockerfile"]
        if let dockerfileNode { scenario.dockerfile = try reader.string(dockerfileNode, "dockerfile") }

        if let node = top["axes"] {
            let axisPairs = try reader.pairs(node, "axes")
            if axisPairs.isEmpty {
                throw reader.error(
                    .emptyMatrix, reader.keyLine(top, "axes"), "axes is empty; remove it for a single variant or give each axis at least one value")
            }
            for (axisKey, axisNode) in axisPairs {
                let valuePairs = try reader.pairs(axisNode, "axis \(axisKey.name)")
                if valuePairs.isEmpty {
                    throw reader.error(
                        .emptyMatrix, axisKey.line, "axis \(axisKey.name) has no values; give it at least one, e.g. \(axisKey.name): { a: {} }")
                }
                var values: [AxisValue] = []
                for (valueKey, valueNode) in valuePairs {
                    let settings = try reader.settings(
                        valueNode, "\(axisKey.name).\(valueKey.name)", images: imageNames, context: scenario.context, paths: paths)
                    values.append(AxisValue(name: valueKey.name, settings: settings, line: valueKey.line))
                }
                scenario.axes.append(Axis(name: axisKey.name, values: values, line: axisKey.line))
            }
        }
        if let node = top["exclude"] { scenario.exclude = try reader.selectors(node, "exclude", axes: scenario.axes) }
        if let node = top["expect-broken"] { scenario.expectBroken = try reader.selectors(node, "expect-broken", axes: scenario.axes) }
        if let node = top["smoke"] { scenario.smoke = try reader.smoke(node) }
        if let node = top["edit"] { scenario.edit = try reader.edit(node, context: scenario.context, paths: paths) }
        if let node = top["thresholds"] { scenario.thresholds = try reader.thresholds(node) }

        // Refuse a matrix too large to enumerate before enumerating it. Excludes can shrink a large
        // product below the limit, so allow room for them, but never expand millions of combinations.
        var raw = 1
        for axis in scenario.axes {
            let (product, overflow) = raw.multipliedReportingOverflow(by: max(axis.values.count, 1))
            raw = overflow ? Int.max : product
        }
        if raw > Self.variantLimit * 256 {
            throw reader.error(
                .tooManyVariants, reader.keyLine(top, "axes"),
                "the axes make \(raw == Int.max ? "too many" : String(raw)) combinations, more than the limit of \(Self.variantLimit) variants; remove axis values or split the scenario"
            )
        }

        // The scenario's Dockerfile must exist when some variant builds with it (not every axis value names its own).
        if dockerfileNode != nil || scenario.variants().contains(where: { $0.settings.dockerfile == nil }) {
            _ = try paths.resolve(scenario.dockerfile, from: scenario.context, node: dockerfileNode ?? root, key: "dockerfile", directory: false)
        }

        let count = scenario.variants().count
        if count == 0 {
            throw reader.error(.emptyMatrix, reader.keyLine(top, "exclude"), "exclude removes every variant; nothing would be built")
        }
        if count > Self.variantLimit {
            throw reader.error(
                .tooManyVariants, reader.keyLine(top, "axes"),
                "the axes make \(count) variants, more than the limit of \(Self.variantLimit); add exclude entries or split the scenario")
        }
        return scenario
    }
}

extension ScenarioLoader {
    /// The 1-based line of the first byte sequence that is not UTF-8.
    static func firstInvalidUTF8Line(_ data: Data) -> Int {
        let bytes = [UInt8](data)
        var line = 1
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let length = b < 0x80 ? 1 : b >> 5 == 0b110 ? 2 : b >> 4 == 0b1110 ? 3 : b >> 3 == 0b11110 ? 4 : 0
            if length == 0 || i + length > bytes.count || String(bytes: bytes[i..<i + length], encoding: .utf8) == nil { return line }
            if b == UInt8(ascii: "\n") { line += 1 }
            i += length
        }
        return line
    }
}

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

/// Walks a composed YAML tree and turns every surprise into a ``ScenarioError``.
struct YAMLReader {
    struct Key {
        var name: String
        var line: Int
    }

    let file: String

    func error(_ reason: ScenarioError.Reason, _ line: Int, _ message: String) -> ScenarioError {
        ScenarioError(reason, file: file, line: line, message)
    }

    func error(_ reason: ScenarioError.Reason, _ node: Node, _ message: String) -> ScenarioError {
        error(reason, node.mark?.line ?? 0, message)
    }

    func compose(_ text: String) throws(ScenarioError) -> Node? {
        do {
            return try Yams.compose(yaml: text)
        } catch let yaml as YamlError {
            switch yaml {
            case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
                .composer(let context, let problem, let mark, _):
                let where_ = context.map { " \($0.text)" } ?? ""
                throw error(.invalidYAML, mark.line, "invalid YAML: \(problem)\(where_)")
            case .duplicatedKeysInMapping(let duplicates, let context):
                let key = duplicates.first ?? ""
                throw error(
                    .invalidValue, Self.secondLine(of: key, in: text, from: context.mark.line),
                    "key \"\(key)\" appears twice in one mapping; keep one")
            case .reader(let problem, _, _, _):
                throw error(.invalidYAML, 0, "invalid YAML: \(problem)")
            default:
                throw error(.invalidYAML, 0, "invalid YAML: \(yaml)")
            }
        } catch {
            throw self.error(.invalidYAML, 0, "invalid YAML: \(error)")
        }
    }

    /// The line where `key:` appears for the second time at or after `start` (YAML reports only the mapping).
    static func secondLine(of key: String, in text: String, from start: Int) -> Int {
        var seen = 0
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where offset + 1 >= start {
            let trimmed = line.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "{ -"))
            if trimmed.hasPrefix(key + ":") || trimmed.contains(", \(key):") {
                seen += 1
                if seen == 2 { return offset + 1 }
            }
        }
        return start
    }

    /// The line of `key:` in a mapping (where an error about the whole entry should point).
    func keyLine(_ map: Node.Mapping, _ key: String) -> Int {
        map.keys.first { $0.scalar?.string == key }?.mark?.line ?? map.mark?.line ?? 0
    }

    func mapping(_ node: Node, _ what: String) throws(ScenarioError) -> Node.Mapping {
        guard let mapping = node.mapping else { throw error(.invalidValue, node, "\(what) must be a mapping of key: value") }
        return mapping
    }

    /// A mapping's entries with scalar keys, rejecting duplicate keys.
    func pairs(_ node: Node, _ what: String) throws(ScenarioError) -> [(Key, Node)] {
        if node.null != nil { return [] }
        let map = try mapping(node, what)
        var seen = Set<String>()
        var result: [(Key, Node)] = []
        for (key, value) in map {
            guard let name = key.scalar?.string, !name.isEmpty else { throw error(.invalidValue, key, "keys in \(what) must be plain names") }
            guard seen.insert(name).inserted else { throw error(.invalidValue, key, "\(what) has \(name) twice; keep one") }
            result.append((Key(name: name, line: key.mark?.line ?? 0), value))
        }
        return result
    }

    func allowOnly(_ map: Node.Mapping, _ allowed: [String], in what: String) throws(ScenarioError) {
        for key in map.keys {
            guard let name = key.scalar?.string else { throw error(.invalidValue, key, "keys in \(what) must be plain names") }
            if !allowed.contains(name) {
                throw error(.unknownKey, key, "unknown key \"\(name)\" in \(what); expected one of: \(allowed.joined(separator: ", "))")
            }
        }
    }

    func string(_ node: Node, _ what: String) throws(ScenarioError) -> String {
        guard let scalar = node.scalar else { throw error(.invalidValue, node, "\(what) must be a single value, not a list or mapping") }
        return scalar.string
    }

    func checkReferences(_ value: String, _ node: Node, _ what: String, images: Set<String>) throws(ScenarioError) {
        for name in Interpolation.references(in: value) where !images.contains(name) {
            let known = images.isEmpty ? "no images are defined" : "defined: \(images.sorted().joined(separator: ", "))"
            throw error(.undefinedImage, node, "\(what) uses ${images.\(name)}, which is not defined under images (\(known))")
        }
    }

    func buildArgs(_ node: Node, _ what: String, images: Set<String>) throws(ScenarioError) -> [BuildArg] {
        var args: [BuildArg] = []
        for (key, value) in try pairs(node, what) {
            guard key.name.range(of: "^[A-Za-z_][A-Za-z0-9_]*$", options: .regularExpression) != nil else {
                throw error(.invalidValue, key.line, "build-arg name \"\(key.name)\" is not a valid ARG name (letters, digits, _)")
            }
            let text = try string(value, "\(what).\(key.name)")
            try checkReferences(text, value, "\(what).\(key.name)", images: images)
            args.append(BuildArg(key: key.name, value: text))
        }
        return args
    }

    func settings(_ node: Node, _ what: String, images: Set<String>, context: String, paths: PathResolver) throws(ScenarioError) -> BuildSettings {
        var settings = BuildSettings()
        if node.null != nil { return settings }
        let map = try mapping(node, "axis value \(what)")
        try allowOnly(map, ["build-args", "target", "dockerfile", "dockerignore", "builder", "engine", "platform"], in: "axis value \(what)")
        if let n = map["build-args"] { settings.buildArgs = try buildArgs(n, "\(what).build-args", images: images) }
        if let n = map["target"] { settings.target = try string(n, "\(what).target") }
        if let n = map["platform"] {
            let platform = try string(n, "\(what).platform")
            try checkReferences(platform, n, "\(what).platform", images: images)
            settings.platform = platform
        }
        if let n = map["dockerfile"] {
            let relative = try string(n, "\(what).dockerfile")
            _ = try paths.resolve(relative, from: context, node: n, key: "\(what).dockerfile", directory: false)
            settings.dockerfile = relative
        }
        if let n = map["dockerignore"] {
            let value = try string(n, "\(what).dockerignore")
            settings.dockerignore =
                value == "none"
                ? DockerignoreChoice.none : .file(try paths.resolve(value, from: paths.root, node: n, key: "\(what).dockerignore", directory: false))
        }
        if let n = map["builder"] {
            let value = try string(n, "\(what).builder")
            guard let kind = BuilderKind(rawValue: value), kind != .buildah else {
                throw error(.invalidValue, n, "\(what).builder is \"\(value)\"; use buildkit or classic (podman builds with Buildah: engine: podman)")
            }
            settings.builder = kind
        }
        if let n = map["engine"] {
            let value = try string(n, "\(what).engine")
            guard let kind = EngineKind(rawValue: value) else {
                throw error(.invalidValue, n, "\(what).engine is \"\(value)\"; use docker or podman")
            }
            settings.engine = kind
        }
        return settings
    }

    func selectors(_ node: Node, _ what: String, axes: [Axis]) throws(ScenarioError) -> [AxisSelector] {
        if node.null != nil { return [] }
        guard let list = node.sequence else {
            throw error(.invalidValue, node, "\(what) must be a list of { axis: value } entries")
        }
        var result: [AxisSelector] = []
        for item in list {
            let entries = try pairs(item, "an entry of \(what)")
            if entries.isEmpty { throw error(.invalidValue, item, "an entry of \(what) is empty; name at least one axis: value") }
            var selector = AxisSelector(pairs: [], line: item.mark?.line ?? 0)
            for (key, valueNode) in entries {
                let value = try string(valueNode, "\(what) \(key.name)")
                guard let axis = axes.first(where: { $0.name == key.name }) else {
                    let known = axes.isEmpty ? "the scenario has no axes" : "axes: \(axes.map(\.name).joined(separator: ", "))"
                    throw error(.unknownSelector, key.line, "\(what) names axis \"\(key.name)\", which does not exist (\(known))")
                }
                guard axis.values.contains(where: { $0.name == value }) else {
                    throw error(
                        .unknownSelector, valueNode,
                        "\(what) names \(key.name): \(value), but axis \(key.name) has only: \(axis.values.map(\.name).joined(separator: ", "))")
                }
                selector.pairs.append((key.name, value))
            }
            result.append(selector)
        }
        return result
    }

    func smoke(_ node: Node) throws(ScenarioError) -> SmokeSpec {
        var spec = SmokeSpec()
        if node.null != nil { return spec }
        let map = try mapping(node, "smoke")
        try allowOnly(map, ["args", "expect-exit", "expect-output", "timeout"], in: "smoke")
        if let n = map["args"] {
            if let list = n.sequence {
                spec.args = try list.map { (item: Node) throws(ScenarioError) -> String in try string(item, "smoke.args") }
            } else {
                throw error(.invalidValue, n, "smoke.args must be a list, e.g. [selftest]")
            }
        }
        if let n = map["expect-exit"] {
            guard let code = n.int, (0...255).contains(code) else {
                throw error(.invalidValue, n, "smoke.expect-exit must be a number from 0 to 255")
            }
            spec.expectExit = Int32(code)
        }
        if let n = map["expect-output"] { spec.expectOutput = try string(n, "smoke.expect-output") }
        if let n = map["timeout"] {
            let text = try string(n, "smoke.timeout")
            guard let seconds = DurationParser.seconds(text), seconds > 0 else {
                throw error(.invalidValue, n, "smoke.timeout \"\(text)\" is not a duration; write e.g. 30s, 2m or 500ms")
            }
            spec.timeoutSeconds = seconds
        }
        return spec
    }

    func thresholds(_ node: Node) throws(ScenarioError) -> Thresholds {
        var result = Thresholds()
        for (key, value) in try pairs(node, "thresholds") {
            guard let metric = Metric(rawValue: key.name) else {
                throw error(.unknownKey, key.line, "unknown metric \"\(key.name)\" in thresholds; use size, compressed, cold, warm or edit")
            }
            let text = try string(value, "thresholds.\(key.name)")
            guard let percent = Thresholds.parsePercent(text) else {
                throw error(.invalidValue, value, "thresholds.\(key.name) \"\(text)\" is not a percentage; write e.g. 2% or 30%")
            }
            result.percent[metric] = percent
        }
        return result
    }

    func edit(_ node: Node, context: String, paths: PathResolver) throws(ScenarioError) -> EditSpec {
        var spec: EditSpec
        var fileNode = node
        if node.scalar != nil {
            spec = EditSpec(file: try string(node, "edit"))
        } else {
            let map = try mapping(node, "edit")
            try allowOnly(map, ["file", "append"], in: "edit")
            guard let f = map["file"] else {
                throw error(.invalidValue, node, "edit needs a file: the file (relative to the context) that gets a line appended")
            }
            fileNode = f
            spec = EditSpec(file: try string(f, "edit.file"))
            if let a = map["append"] {
                let line = try string(a, "edit.append")
                if line.contains("\n") { throw error(.invalidValue, a, "edit.append must be one line") }
                spec.append = line
            }
        }
        _ = try paths.resolve(spec.file, from: context, node: fileNode, key: "edit", directory: false)
        return spec
    }
}

/// Durations as written in scenarios and flags: `30s`, `2m`, `500ms`, `1h`, or plain seconds.
public enum DurationParser {
    public static func seconds(_ text: String) -> Double? {
        let t = text.trimmingCharacters(in: .whitespaces)
        for (suffix, factor) in [("ms", 0.001), ("s", 1.0), ("m", 60.0), ("h", 3600.0)] where t.hasSuffix(suffix) {
            return Double(t.dropLast(suffix.count)).map { $0 * factor }
        }
        return Double(t)
    }
}
