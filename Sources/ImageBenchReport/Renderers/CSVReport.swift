import Foundation
import ImageBenchCore

/// One row per variant and phase; plain numbers in bytes and seconds; a header row (RFC 4180 quoting).
public enum CSVReport {
    static let header = [
        "run_id", "scenario", "variant", "status", "size_bytes", "layers", "context_bytes", "phase", "n", "median_s", "mean_s", "stddev_s",
        "min_s", "max_s", "samples_s", "smoke_ok", "smoke_exit_code", "smoke_s", "context_files", "context_file_bytes", "context_secrets",
        "shared_bytes", "unique_bytes", "wasted_bytes", "efficiency", "image_secrets", "compressed_bytes", "compressed_source",
        "engine_kind", "engine_endpoint", "engine_host", "engine_version", "engine_storage_driver", "engine_cpus",
        "context_copyable_files", "context_copyable_bytes", "context_ignore_file", "context_rules", "smoke_memory_bytes",
        "engine_size_bytes", "engine_size_meaning", "engine_disk_bytes", "engine_image_store", "context_secret_names", "image_secret_names",
        "compression", "platform", "emulated", "target_platform_runs", "platform_index_stored_bytes", "platform_sizes",
    ]

    public static func render(_ report: RunReport) -> String {
        let sharing = SharedBytes.compute(report.results)
        var lines = [header.joined(separator: ",")]
        let times = StartText.times(report.results)
        for r in report.results {
            for metric in times {
                let s = Summary(metric.samples(of: r))
                let cells: [String] = [
                    String(r.runID), r.scenario, r.name, r.status.rawValue,
                    r.image.map { String($0.sizeBytes) } ?? "", r.image.map { String($0.layers) } ?? "",
                    r.contextBytes.map(String.init) ?? "", metric.rawValue, String(s?.n ?? 0),
                    number(s?.median), number(s?.mean), number(s?.stddev), number(s?.min), number(s?.max),
                    (s?.samples ?? []).map { number($0) }.joined(separator: ";"),
                    r.smoke.map { $0.ok ? "true" : "false" } ?? "", r.smoke?.exitCode.map(String.init) ?? "", number(r.smoke?.seconds),
                    r.context.map { String($0.files) } ?? "", r.context.map { String($0.bytes) } ?? "",
                    r.context?.secrets.joined(separator: ";") ?? "",
                    sharing[r].map { String($0.shared) } ?? "",
                    sharing[r].map { String($0.unique) } ?? "",
                    r.insight.map { String($0.wastedBytes) } ?? "", number(r.insight?.efficiency), r.insight?.secrets.joined(separator: ";") ?? "",
                    r.insight?.compressedBytes.map(String.init) ?? "", r.insight?.compressedSource?.rawValue ?? "",
                    r.engine?.kind.rawValue ?? "", r.engine?.endpoint ?? "", r.engine?.host ?? "", r.engine?.serverVersion ?? "",
                    r.engine?.storageDriver ?? "", r.engine.map { String($0.cpus) } ?? "",
                    r.context?.copyableFiles.map(String.init) ?? "", r.context?.copyableBytes.map(String.init) ?? "",
                    r.context?.ignoreFile ?? "", r.context?.rules ?? "", r.smoke?.memoryBytes.map(String.init) ?? "",
                    r.image?.engineSize.map { String($0.bytes) } ?? "", r.image?.engineSize?.meaning.rawValue ?? "",
                    r.image?.engineSize.map { String($0.diskBytes) } ?? "", r.image?.engineSize?.store.rawValue ?? "",
                    r.context?.secretNames.joined(separator: ";") ?? "", r.insight?.secretNames.joined(separator: ";") ?? "",
                    r.insight?.compression ?? "", r.platform ?? "", PlatformText.cell(r), r.targetPlatformRuns.map(String.init) ?? "",
                    r.platformIndex.map { String($0.storedBytes) } ?? "", PlatformText.sizesCell(r),
                ]
                lines.append(cells.map(quote).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static let stepHeader = [
        "run_id", "scenario", "variant", "status", "phase", "builder", "stage", "step_number", "step_total", "instruction", "kind", "n",
        "cached_builds", "median_s", "mean_s", "stddev_s", "min_s", "max_s", "samples_s", "start_s", "share_of_build", "build_median_s",
    ]

    /// `--steps`: one row per variant, phase and step, in the order the builder printed the steps;
    /// start_s is the first build's, share_of_build the step's median over the builds' median.
    public static func steps(_ report: RunReport) -> String {
        var lines = [stepHeader.joined(separator: ",")]
        for r in report.results {
            for phase in r.phaseSteps {
                let builder = Set(r.builds.filter { $0.phase == phase.phase && $0.steps != nil }.map(\.builder.rawValue)).sorted().joined(
                    separator: ";")
                for stats in phase.steps {
                    let s = stats.summary
                    let step = stats.step
                    let cells: [String] = [
                        String(r.runID), r.scenario, r.name, r.status.rawValue, phase.phase.rawValue, builder, step.stage ?? "", String(step.number),
                        step.total.map(String.init) ?? "", step.instruction, step.kind.rawValue, String(s.n), String(stats.cachedCount),
                        number(s.median), number(s.mean), number(s.stddev), number(s.min), number(s.max),
                        s.samples.map { number($0) }.joined(separator: ";"), number(step.start), number(phase.share(stats)),
                        number(phase.builds.median),
                    ]
                    lines.append(cells.map(quote).joined(separator: ","))
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func number(_ value: Double?) -> String {
        guard let value else { return "" }
        var text = String(format: "%.6f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    static func quote(_ cell: String) -> String {
        cell.contains(where: { ",\"\n\r".contains($0) }) ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
    }
}
