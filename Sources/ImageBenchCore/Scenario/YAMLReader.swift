import Foundation
import Yams

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

    /// `secrets: {allow: {paths: [test/fixtures/**], rules: [jwt]}}`: findings the scenario's team accepts.
    func secrets(_ node: Node) throws(ScenarioError) -> SecretAllowlist {
        var allow = SecretAllowlist()
        if node.null != nil { return allow }
        let map = try mapping(node, "secrets")
        try allowOnly(map, ["allow"], in: "secrets")
        guard let allowNode = map["allow"], allowNode.null == nil else { return allow }
        let lists = try mapping(allowNode, "secrets.allow")
        try allowOnly(lists, ["paths", "rules"], in: "secrets.allow")
        func list(_ key: String) throws(ScenarioError) -> [(String, Node)] {
            guard let n = lists[key] else { return [] }
            guard let items = n.sequence else {
                throw error(.invalidValue, n, "secrets.allow.\(key) must be a list, e.g. [\(key == "rules" ? "jwt" : "test/**")]")
            }
            return try items.map { (item: Node) throws(ScenarioError) -> (String, Node) in (try string(item, "secrets.allow.\(key)"), item) }
        }
        allow.paths = try list("paths").map(\.0)
        for (name, item) in try list("rules") {
            guard let rule = SecretRule(rawValue: name) else {
                throw error(
                    .invalidValue, item,
                    "secrets.allow.rules: unknown rule \"\(name)\"; expected one of: \(SecretRule.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            allow.rules.append(rule)
        }
        return allow
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
        try allowOnly(
            map,
            [
                "build-args", "target", "dockerfile", "dockerignore", "builder", "engine", "host", "docker-context", "platform", "cache",
                "compression", "compression-level", "budgets",
            ],
            in: "axis value \(what)")
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
        if let n = map["cache"] { settings.cache = try cache(n, "\(what).cache") }
        settings.compression = try compression(map, what)
        if let n = map["engine"] {
            let value = try string(n, "\(what).engine")
            guard let kind = EngineKind(rawValue: value) else {
                throw error(.invalidValue, n, "\(what).engine is \"\(value)\"; use docker or podman")
            }
            settings.engine = kind
        }
        if let n = map["host"] {
            let url = try string(n, "\(what).host")
            guard NamedEngine.isURL(url) else {
                throw error(
                    .invalidValue, n,
                    "\(what).host is \"\(url)\", not an engine URL; write e.g. unix:///tmp/imagebench-modern/docker.sock or ssh://ci@builder1")
            }
            settings.namedEngine = .host(url)
        }
        if let n = map["docker-context"] {
            let name = try string(n, "\(what).docker-context")
            guard NamedEngine.isContextName(name) else {
                throw error(.invalidValue, n, "\(what).docker-context is \"\(name)\"; name a docker context (docker context ls)")
            }
            if settings.namedEngine != nil { throw error(.invalidValue, n, "\(what) names its engine twice: keep host or docker-context") }
            settings.namedEngine = .context(name)
        }
        if settings.namedEngine != nil && settings.engine == .podman {
            throw error(.invalidValue, map["engine"] ?? node, "\(what) names a docker engine (host, docker-context) and engine: podman; keep one")
        }
        return settings
    }

    /// `compression: gzip | zstd | uncompressed | estargz`, with an optional `compression-level:` in the
    /// algorithm's range.
    func compression(_ map: Node.Mapping, _ what: String) throws(ScenarioError) -> LayerCompression? {
        guard let n = map["compression"] else {
            if let level = map["compression-level"] {
                throw error(.invalidValue, level, "\(what).compression-level needs compression: (gzip, zstd or estargz) beside it")
            }
            return nil
        }
        let value = try string(n, "\(what).compression")
        let names = LayerCompression.Algorithm.allCases.map(\.rawValue).joined(separator: ", ")
        guard let algorithm = LayerCompression.Algorithm(rawValue: value) else {
            throw error(.invalidValue, n, "\(what).compression is \"\(value)\"; use \(names)")
        }
        guard let levelNode = map["compression-level"] else { return LayerCompression(algorithm) }
        let text = try string(levelNode, "\(what).compression-level")
        guard let levels = algorithm.levels else {
            throw error(.invalidValue, levelNode, "\(what).compression-level is set, but \(value) layers have no level; remove it")
        }
        guard let level = Int(text), levels.contains(level) else {
            throw error(
                .invalidValue, levelNode, "\(what).compression-level is \"\(text)\"; \(value) takes \(levels.lowerBound) to \(levels.upperBound)")
        }
        return LayerCompression(algorithm, level: level)
    }

    /// `cache: none | inline | classic | registry-max | local-max`.
    func cache(_ node: Node, _ what: String) throws(ScenarioError) -> CacheSource {
        let value = try string(node, what)
        guard let source = CacheSource(rawValue: value) else {
            throw error(.invalidValue, node, "\(what) is \"\(value)\"; use \(CacheSource.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return source
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
        try allowOnly(map, ["args", "expect-exit", "expect-output", "timeout", "http"], in: "smoke")
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
        if let n = map["http"] {
            if map["expect-exit"] != nil || map["expect-output"] != nil {
                throw error(.invalidValue, n, "smoke.http checks a service; leave out expect-exit and expect-output, or smoke.http")
            }
            spec.http = try http(n)
        }
        return spec
    }

    /// `smoke.http: { port, path, method, body, expect-status, expect-body, requests: [...] }`.
    func http(_ node: Node) throws(ScenarioError) -> HTTPSmoke {
        let map = try mapping(node, "smoke.http")
        try allowOnly(map, ["port", "path", "method", "body", "expect-status", "expect-body", "requests"], in: "smoke.http")
        guard let portNode = map["port"] else {
            throw error(.invalidValue, node, "smoke.http needs port: the container port the service listens on, e.g. port: 8080")
        }
        guard let port = portNode.int, (1...65535).contains(port) else {
            throw error(.invalidValue, portNode, "smoke.http.port must be a port number from 1 to 65535")
        }
        let first = try request(map, node, "smoke.http")
        var requests: [HTTPSmoke.Request] = []
        if let n = map["requests"] {
            guard let list = n.sequence else { throw error(.invalidValue, n, "smoke.http.requests must be a list of { path: ..., ... }") }
            for item in list {
                let entry = try mapping(item, "an entry of smoke.http.requests")
                try allowOnly(entry, ["path", "method", "body", "expect-status", "expect-body"], in: "an entry of smoke.http.requests")
                requests.append(try request(entry, item, "an entry of smoke.http.requests"))
            }
        }
        return HTTPSmoke(port: port, first: first, requests: requests)
    }

    func request(_ map: Node.Mapping, _ node: Node, _ what: String) throws(ScenarioError) -> HTTPSmoke.Request {
        guard let pathNode = map["path"] else { throw error(.invalidValue, node, "\(what) needs path, e.g. path: /healthz") }
        let path = try string(pathNode, "\(what).path")
        guard path.hasPrefix("/"), !path.contains(where: { $0.isWhitespace || $0.isNewline }) else {
            throw error(.invalidValue, pathNode, "\(what).path \"\(path)\" must start with / and hold no spaces, e.g. /healthz")
        }
        var request = HTTPSmoke.Request(path: path, line: node.mark?.line ?? 0)
        if let n = map["method"] {
            let method = try string(n, "\(what).method").uppercased()
            guard HTTPSmoke.methods.contains(method) else {
                throw error(.invalidValue, n, "\(what).method is \"\(method)\"; use \(HTTPSmoke.methods.sorted().joined(separator: ", "))")
            }
            request.method = method
        }
        if let n = map["body"] { request.body = try string(n, "\(what).body") }
        if let n = map["expect-status"] {
            guard let status = n.int, (100...599).contains(status) else {
                throw error(.invalidValue, n, "\(what).expect-status must be an HTTP status from 100 to 599")
            }
            request.expectStatus = status
        }
        if let n = map["expect-body"] { request.expectBody = try string(n, "\(what).expect-body") }
        return request
    }

    func thresholds(_ node: Node) throws(ScenarioError) -> Thresholds {
        var result = Thresholds()
        for (key, value) in try pairs(node, "thresholds") {
            guard let metric = Metric(rawValue: key.name) else {
                throw error(
                    .unknownKey, key.line, "unknown metric \"\(key.name)\" in thresholds; use size, compressed, cold, warm, edit, ci or start")
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
