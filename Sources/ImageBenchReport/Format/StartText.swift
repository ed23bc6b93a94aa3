import Foundation
import ImageBenchCore

/// How every report shows the `start` metric of services (`smoke.http`) and their memory in use.
enum StartText {
    /// The time columns a report shows: the phases (``CIText/phases(_:)``), then `pull` and `start` when a variant has them.
    static func times(_ rows: [VariantResult]) -> [Metric] {
        CIText.phases(rows).map { Metric(rawValue: $0.rawValue)! }
            + [Metric.pull, .start].filter { metric in rows.contains { !metric.samples(of: $0).isEmpty } }
    }

    /// Whether a report shows the memory column: some variant's HTTP smoke test read it.
    static func showsMemory(_ rows: [VariantResult]) -> Bool { rows.contains { $0.smoke?.memoryBytes != nil } }

    static let memoryHeader = "memory"

    static func memoryCell(_ r: VariantResult) -> String { r.smoke?.memoryBytes.map(Units.bytes) ?? "—" }

    /// What the start and memory columns mean, for the legend of reports that show them.
    static func meaning(_ rows: [VariantResult]) -> String? {
        var parts: [String] = []
        if times(rows).contains(.start) {
            parts.append(
                "start: seconds from `docker run` to the service's first expected HTTP answer, each time a new container of the built image (polled every 10 ms; median of --repeat)"
            )
        }
        if times(rows).contains(.pull) {
            parts.append(
                "pull: seconds a fresh engine (the ci phase's runner, reset before each repetition) takes to pull the image from the registry and unpack it (`docker pull`; median of --repeat)"
            )
        }
        if showsMemory(rows) {
            parts.append(
                "memory: the smoke test's container's memory in use after its first answer, as docker stats reports it (the cgroup's usage less its inactive page cache), SI units"
            )
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ") + "."
    }
}
