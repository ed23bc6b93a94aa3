/// A scenario as written in `scenario.yaml`, with paths resolved to absolute paths.
public struct Scenario: Sendable, Equatable {
    /// The scenario's name (`name:`, default: the folder name).
    public var name: String
    public var description: String
    /// Absolute path of the `scenario.yaml` file.
    public var file: String
    /// Absolute path of the folder holding `scenario.yaml`.
    public var directory: String
    /// Absolute path of the build context.
    public var context: String
    /// The Dockerfile, relative to the context (it may point outside the context).
    public var dockerfile: String
    /// Named image references, in the order written.
    public var images: [NamedImage]
    /// Build arguments for every variant, in the order written.
    public var buildArgs: [BuildArg]
    public var axes: [Axis]
    public var exclude: [AxisSelector]
    public var expectBroken: [AxisSelector]
    public var smoke: SmokeSpec
    public var edit: EditSpec?
    /// Regression thresholds for `compare` (`thresholds: {size: 2%, cold: 30%}`).
    public var thresholds: Thresholds = Thresholds()

    public init(
        name: String, description: String = "", file: String, directory: String, context: String,
        dockerfile: String = "Dockerfile", images: [NamedImage] = [], buildArgs: [BuildArg] = [],
        axes: [Axis] = [], exclude: [AxisSelector] = [], expectBroken: [AxisSelector] = [],
        smoke: SmokeSpec = SmokeSpec(), edit: EditSpec? = nil
    ) {
        self.name = name
        self.description = description
        self.file = file
        self.directory = directory
        self.context = context
        self.dockerfile = dockerfile
        self.images = images
        self.buildArgs = buildArgs
        self.axes = axes
        self.exclude = exclude
        self.expectBroken = expectBroken
        self.smoke = smoke
        self.edit = edit
    }
}

/// `images: { name: reference }`.
public struct NamedImage: Sendable, Equatable, Codable {
    public var name: String
    public var reference: String
    public var line: Int
    public init(name: String, reference: String, line: Int = 0) {
        self.name = name
        self.reference = reference
        self.line = line
    }
}

/// One `--build-arg KEY=VALUE`; the value may hold `${images.NAME}`.
public struct BuildArg: Sendable, Equatable, Codable {
    public var key: String
    public var value: String
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// The builder docker uses for a build.
public enum BuilderKind: String, Sendable, Codable, CaseIterable {
    case buildkit
    case classic
    /// podman's builder; never chosen in a scenario, recorded for podman builds.
    case buildah
}

/// What one axis value changes in the build.
public struct BuildSettings: Sendable, Equatable {
    public var buildArgs: [BuildArg] = []
    public var target: String?
    /// Relative to the context, like the scenario's `dockerfile`.
    public var dockerfile: String?
    public var dockerignore: DockerignoreChoice?
    public var builder: BuilderKind?
    /// `engine: docker | podman`; nil builds on the run's default engine (`--engine`).
    public var engine: EngineKind?
    public var platform: String?
    public init() {}
}

/// `dockerignore:` on an axis value.
public enum DockerignoreChoice: Sendable, Equatable {
    /// Build with no .dockerignore in the context.
    case none
    /// Use this file (absolute path) as the context's .dockerignore.
    case file(String)
}

public struct Axis: Sendable, Equatable {
    public var name: String
    public var values: [AxisValue]
    public var line: Int
    public init(name: String, values: [AxisValue], line: Int = 0) {
        self.name = name
        self.values = values
        self.line = line
    }
}

public struct AxisValue: Sendable, Equatable {
    public var name: String
    public var settings: BuildSettings
    public var line: Int
    public init(name: String, settings: BuildSettings = BuildSettings(), line: Int = 0) {
        self.name = name
        self.settings = settings
        self.line = line
    }
}

/// A partial choice of axis values, as in `exclude:` and `expect-broken:`.
public struct AxisSelector: Sendable, Equatable {
    /// Axis name to value name, in the order written.
    public var pairs: [(axis: String, value: String)]
    public var line: Int
    public init(pairs: [(axis: String, value: String)], line: Int = 0) {
        self.pairs = pairs
        self.line = line
    }

    /// True when the variant has every value this selector names.
    public func matches(_ choice: [String: String]) -> Bool {
        pairs.allSatisfy { choice[$0.axis] == $0.value }
    }

    /// `{ linking: dynamic, runtime: scratch }`.
    public var description: String {
        "{ " + pairs.map { "\($0.axis): \($0.value)" }.joined(separator: ", ") + " }"
    }

    public static func == (lhs: AxisSelector, rhs: AxisSelector) -> Bool {
        lhs.line == rhs.line && lhs.pairs.elementsEqual(rhs.pairs) { $0.axis == $1.axis && $0.value == $1.value }
    }
}

/// `smoke:`: how each built image is run once.
public struct SmokeSpec: Sendable, Equatable {
    public var args: [String]
    public var expectExit: Int32
    public var expectOutput: String?
    public var timeoutSeconds: Double
    public init(args: [String] = [], expectExit: Int32 = 0, expectOutput: String? = nil, timeoutSeconds: Double = 30) {
        self.args = args
        self.expectExit = expectExit
        self.expectOutput = expectOutput
        self.timeoutSeconds = timeoutSeconds
    }
}

/// `edit:`: the file that gets a line appended before each edit-phase build.
public struct EditSpec: Sendable, Equatable {
    /// Relative to the context.
    public var file: String
    /// The line appended; `nil` means a comment in the file's language.
    public var append: String?
    public init(file: String, append: String? = nil) {
        self.file = file
        self.append = append
    }

    /// The line to append for edit number `n` (each edit differs, so each one really changes the file).
    /// `tag` names the run and variant in the comment, so one variant's edit never hits the build cache
    /// another variant's identical edit left behind (BuildKit shares its cache across builds).
    public func line(number n: Int, tag: String? = nil) -> String {
        if let append { return n <= 1 ? append : "\(append) \(n)" }
        let ext = file.split(separator: ".").count > 1 ? String(file.split(separator: ".").last!) : ""
        let slashes: Set<String> = ["go", "c", "h", "cc", "cpp", "swift", "js", "ts", "java", "rs", "kt", "scala"]
        let marker = slashes.contains(ext.lowercased()) ? "//" : "#"
        return "\(marker) imagebench edit \(n)" + (tag.map { " \($0)" } ?? "")
    }
}
