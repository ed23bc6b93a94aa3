/// A Go binary found in an image, with the build information its `.go.buildinfo` section records: what
/// `go version -m FILE` prints.
public struct GoBinary: Sendable, Equatable, Codable {
    public struct Module: Sendable, Equatable, Codable {
        public var path: String
        public var version: String
        /// A `replace` directive's target, as `path version` (or a local folder).
        public var replacement: String?
        public init(path: String, version: String, replacement: String? = nil) {
            self.path = path
            self.version = version
            self.replacement = replacement
        }
    }

    public struct Setting: Sendable, Equatable, Codable {
        public var key: String
        public var value: String
        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    /// Where it is in the image (`/app`).
    public var path: String
    /// `go1.19.8`.
    public var goVersion: String
    /// The main package's import path (`cmd/go`, `example.com/app`).
    public var mainPath: String?
    /// The main module (nil when built outside module mode, as `GO111MODULE=off` does).
    public var mainModule: Module?
    /// The modules it was built with, in the order recorded.
    public var modules: [Module]
    /// `build` lines in the order recorded: `-compiler`, `-ldflags`, `-tags`, `CGO_ENABLED`, `GOARCH`, `GOOS`, `vcs.revision`...
    public var settings: [Setting]

    public init(path: String, goVersion: String, mainPath: String?, mainModule: Module?, modules: [Module], settings: [Setting]) {
        self.path = path
        self.goVersion = goVersion
        self.mainPath = mainPath
        self.mainModule = mainModule
        self.modules = modules
        self.settings = settings
    }

    enum CodingKeys: String, CodingKey {
        case path, modules, settings
        case goVersion = "go_version"
        case mainPath = "main_path"
        case mainModule = "main_module"
    }

    public func setting(_ key: String) -> String? { settings.first { $0.key == key }?.value }

    /// `CGO_ENABLED=1`, `-ldflags=...`, `GOOS/GOARCH` in one short line for tables.
    public var buildSummary: String {
        var parts: [String] = []
        if let cgo = setting("CGO_ENABLED") { parts.append("CGO_ENABLED=\(cgo)") }
        if let os = setting("GOOS"), let arch = setting("GOARCH") { parts.append("\(os)/\(arch)") }
        if let tags = setting("-tags") { parts.append("-tags=\(tags)") }
        if let flags = setting("-ldflags") { parts.append("-ldflags=\(flags)") }
        return parts.joined(separator: " ")
    }
}
