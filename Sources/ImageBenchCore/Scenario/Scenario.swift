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
    /// The cache source of every variant's `ci` build (`cache:`), unless an axis value names another.
    public var cache: CacheSource?
    /// Absolute limits (`budgets:`, and dive's `.dive-ci` beside the file), for `check` and `run --check`.
    public var budgets = ScenarioBudgets()
    /// Secret findings its reports leave out (`secrets: {allow: {paths: [...], rules: [...]}}`).
    public var secretAllowlist = SecretAllowlist()

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
