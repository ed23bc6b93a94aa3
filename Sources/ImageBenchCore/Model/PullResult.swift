/// The `pull` phase of a variant: the seconds a fresh engine takes to pull the variant's image from the
/// registry and unpack it (`docker pull` returns once the layers are unpacked), `--repeat` times, the
/// engine reset between repetitions so nothing is cached.
public struct PullResult: Sendable, Codable, Equatable {
    /// Seconds, in the order measured.
    public var samples: [Double]
    /// The reference pulled (`127.0.0.1:5000/imagebench/go-http:r3-...`).
    public var reference: String
    /// The engine that pulled: its version and image store (`docker 26.1.5+dfsg1, containerd image store`).
    public var engine: String
    /// Why a repetition gave no sample, one line.
    public var problem: String?

    public init(samples: [Double], reference: String, engine: String, problem: String? = nil) {
        self.samples = samples
        self.reference = reference
        self.engine = engine
        self.problem = problem
    }
}
