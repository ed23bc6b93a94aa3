import Foundation
import ImageBenchCore

/// A run's figures in the formats of the places benchmark history already lives: Bencher's BMF
/// (`report --format bmf`, for `bencher run --adapter json`) and github-action-benchmark's
/// `customSmallerIsBetter` input (`report --format benchmark-action`). One benchmark per scenario and
/// variant (`SCENARIO/VARIANT`); sizes in bytes, times the median of the repetitions in seconds.
public enum BenchmarkExport {
    /// One figure of one variant: a measure's name, its value and the spread of the repetitions.
    struct Figure {
        var benchmark: String
        var measure: String
        var unit: String
        var value: Double
        var lower: Double?
        var upper: Double?
        var repetitions: Int?
    }

    /// The measures, in this order: sizes (bytes), then each build phase and the start time (seconds).
    static let measures: [(Metric, String)] = [
        (.size, "image-size"), (.compressed, "compressed-size"), (.cold, "cold-build-time"), (.warm, "warm-build-time"),
        (.edit, "edit-build-time"), (.ci, "ci-build-time"), (.ciNone, "ci-none-build-time"), (.start, "start-time"),
        (.pull, "pull-time"),
    ]

    static func figures(_ report: RunReport) -> [Figure] {
        var out: [Figure] = []
        for result in report.results {
            let benchmark = "\(result.scenario)/\(result.name)"
            for (metric, measure) in measures {
                if metric.isTime {
                    guard let summary = Summary(metric.samples(of: result)) else { continue }
                    out.append(
                        Figure(
                            benchmark: benchmark, measure: measure, unit: "s", value: summary.median, lower: summary.min, upper: summary.max,
                            repetitions: summary.n))
                } else if let value = metric.value(of: result) {
                    out.append(Figure(benchmark: benchmark, measure: measure, unit: "bytes", value: value))
                }
            }
        }
        return out
    }

    /// Bencher Metric Format: `{benchmark: {measure: {value, lower_value, upper_value}}}`; lower and upper
    /// are the fastest and slowest repetition.
    public static func bmf(_ report: RunReport) -> String {
        var object: [String: [String: [String: Double]]] = [:]
        for f in figures(report) {
            var metric = ["value": f.value]
            if let lower = f.lower, let upper = f.upper {
                metric["lower_value"] = lower
                metric["upper_value"] = upper
            }
            object[f.benchmark, default: [:]][f.measure] = metric
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(object)).map { String(decoding: $0, as: UTF8.self) + "\n" } ?? "{}\n"
    }

    struct ActionEntry: Encodable {
        var name: String
        var unit: String
        var value: Double
        var range: String?
        var extra: String?
    }

    /// github-action-benchmark's `customSmallerIsBetter`: `[{name, unit, value, range, extra}]`, a chart
    /// per name; `range` is the fastest–slowest repetition, `extra` the repetitions and the run.
    public static func benchmarkAction(_ report: RunReport) -> String {
        let run = report.runs.first.map { "run \($0.id)" } ?? "run"
        let entries = figures(report).map { f in
            ActionEntry(
                name: "\(f.benchmark) \(f.measure)", unit: f.unit, value: f.value,
                range: f.lower.flatMap { lower in f.upper.map { String(format: "%.3f–%.3f", lower, $0) } },
                extra: f.repetitions.map { "median of \($0) repetition\($0 == 1 ? "" : "s"), \(run)" } ?? run)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(entries)).map { String(decoding: $0, as: UTF8.self) + "\n" } ?? "[]\n"
    }
}
