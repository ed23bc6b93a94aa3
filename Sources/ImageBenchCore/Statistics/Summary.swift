import Foundation

/// Descriptive statistics of a set of repetitions, as hyperfine reports them.
public struct Summary: Sendable, Equatable, Codable {
    public var n: Int
    public var median: Double
    public var min: Double
    public var max: Double
    public var mean: Double
    /// Sample standard deviation (n − 1); 0 for a single sample.
    public var stddev: Double
    public var samples: [Double]

    /// `nil` for no samples.
    public init?(_ samples: [Double]) {
        guard !samples.isEmpty else { return nil }
        let sorted = samples.sorted()
        n = samples.count
        self.samples = samples
        min = sorted.first!
        max = sorted.last!
        median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
        mean = samples.reduce(0, +) / Double(n)
        if n > 1 {
            let m = mean
            stddev = (samples.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(n - 1)).squareRoot()
        } else {
            stddev = 0
        }
    }

    enum CodingKeys: String, CodingKey {
        case n
        case median = "median_s"
        case min = "min_s"
        case max = "max_s"
        case mean = "mean_s"
        case stddev = "stddev_s"
        case samples = "samples_s"
    }
}
