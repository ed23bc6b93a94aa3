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
                "expect-broken", "smoke", "edit", "thresholds", "cache", "budgets", "secrets",
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
                    if let node = valueNode.mapping?["budgets"] {
                        scenario.budgets.perValue.append(
                            ScenarioBudgets.PerValue(
                                axis: axisKey.name, value: valueKey.name,
                                budgets: try reader.budgets(node, "\(axisKey.name).\(valueKey.name).budgets")))
                    }
                }
                scenario.axes.append(Axis(name: axisKey.name, values: values, line: axisKey.line))
            }
        }
        if let node = top["exclude"] { scenario.exclude = try reader.selectors(node, "exclude", axes: scenario.axes) }
        if let node = top["expect-broken"] { scenario.expectBroken = try reader.selectors(node, "expect-broken", axes: scenario.axes) }
        if let node = top["smoke"] { scenario.smoke = try reader.smoke(node) }
        if let node = top["edit"] { scenario.edit = try reader.edit(node, context: scenario.context, paths: paths) }
        if let node = top["thresholds"] { scenario.thresholds = try reader.thresholds(node) }
        if let node = top["cache"] { scenario.cache = try reader.cache(node, "cache") }
        if let node = top["secrets"] { scenario.secretAllowlist = try reader.secrets(node) }
        scenario.budgets.all = try Self.diveCI(in: directory, shownDirectory: ((shownAs ?? file) as NSString).deletingLastPathComponent)
        if let node = top["budgets"] { scenario.budgets.all = scenario.budgets.all.overridden(by: try reader.budgets(node, "budgets")) }

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

        // Every ignore file some builder would read, with patternmatcher's rules: the run checks each
        // variant again with its own builder's, before anything is built.
        var ignoreFiles: [String] = []
        for variant in scenario.variants() {
            for builder in BuilderKind.allCases {
                if let found = scenario.ignoreFile(for: variant, rules: .of(builder, client: ContextRules.currentClient)),
                    !ignoreFiles.contains(found)
                {
                    ignoreFiles.append(found)
                }
            }
        }
        for found in ignoreFiles {
            try scenario.checkIgnoreFile(found, dialect: .current, shownDirectory: ((shownAs ?? file) as NSString).deletingLastPathComponent)
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
    /// dive's `.dive-ci` beside the scenario, read as budgets; none when there is no such file.
    static func diveCI(in directory: String, shownDirectory: String) throws(ScenarioError) -> Budgets {
        let path = directory + "/.dive-ci"
        guard FileManager.default.fileExists(atPath: path) else { return Budgets() }
        let shown = (shownDirectory.isEmpty ? "" : shownDirectory + "/") + ".dive-ci"
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ScenarioError(.unreadable, file: shown, line: 0, "cannot read the file as UTF-8 text; fix it or remove it")
        }
        return try YAMLReader(file: shown).diveCI(text)
    }

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
