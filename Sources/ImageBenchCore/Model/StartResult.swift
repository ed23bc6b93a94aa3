/// The `start` metric of a service (a variant with `smoke.http`): the seconds from `docker run` to the
/// first expected answer, measured `--repeat` times on the built image, each time in a new container.
public struct StartResult: Sendable, Codable, Equatable {
    /// Seconds, in the order measured.
    public var samples: [Double]
    /// Why a repetition gave no sample (the service did not answer as its smoke test says), one line.
    public var problem: String?

    public init(samples: [Double], problem: String? = nil) {
        self.samples = samples
        self.problem = problem
    }
}
