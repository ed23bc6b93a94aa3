import Foundation
import ImageBenchCore

/// Number formats shared by every report. Sizes use SI units: 1 kB = 1,000 B, 1 MB = 10^6 B.
public enum Units {
    /// The compressed size of an image: `1.48 MB` from a registry, `~1.48 MB` estimated, `—` unknown;
    /// layers not gzip-compressed name their compression (`1.44 MB zstd`).
    public static func compressed(_ insight: ImageInsight?) -> String {
        guard let insight, let bytes = insight.compressedBytes else { return "—" }
        let named = insight.compression.map { $0 == "gzip" ? "" : " " + $0 } ?? ""
        return (insight.compressedSource == .estimated ? "~" : "") + Self.bytes(bytes) + named
    }

    /// `4.47 MB`, `203 MB`, `1.48 kB`, `512 B`: three significant digits.

    public static func bytes(_ value: Int64) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var v = Double(value)
        var i = 0
        while abs(v) >= 999.5 && i < units.count - 1 {
            v /= 1000
            i += 1
        }
        if i == 0 { return "\(value) B" }
        let digits = abs(v) >= 99.95 ? 0 : (abs(v) >= 9.995 ? 1 : 2)
        return String(format: "%.\(digits)f %@", v, units[i])
    }

    /// `3.71 s`, `0.412 s`, `83.2 s`.
    public static func seconds(_ value: Double) -> String {
        let digits = value >= 100 ? 0 : (value >= 10 ? 1 : (value >= 1 ? 2 : 3))
        return String(format: "%.\(digits)f s", value)
    }

    /// Seconds without the unit, for ranges: `3.62`.
    public static func plainSeconds(_ value: Double) -> String {
        String(seconds(value).dropLast(2))
    }

    /// `1.00×`, `45.4×`.
    public static func ratio(_ value: Double) -> String {
        String(format: value >= 9.995 ? "%.1f×" : "%.2f×", value)
    }

    /// `2026-11-27 06:40 UTC`. Formatted with gmtime_r: a DateFormatter per call was the cost of
    /// `history` over thousands of runs.
    public static func timestamp(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04d-%02d-%02d %02d:%02d UTC", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday), Int(parts.tm_hour),
            Int(parts.tm_min))
    }
}

extension Units {
    /// A metric's value as reports show it: SI bytes for sizes, seconds for times.
    public static func metric(_ value: Double, _ metric: Metric) -> String {
        metric.isTime ? seconds(value) : bytes(Int64(value.rounded()))
    }

    /// `+180 kB (+3.7%) ▲`, `−1.20 s (−8.1%) ▼`, `±0`; ▲ is bigger or slower (worse), ▼ smaller or faster.
    public static func change(_ delta: Double, percent: Double?, _ metric: Metric) -> String {
        if delta == 0 { return "±0" }
        let sign = delta > 0 ? "+" : "−"
        let magnitude = metric.isTime ? seconds(abs(delta)) : bytes(Int64(abs(delta).rounded()))
        let pct = percent.map { String(format: " (%@%.1f%%)", sign, abs($0)) } ?? ""
        return "\(sign)\(magnitude)\(pct) \(delta > 0 ? "▲" : "▼")"
    }

    /// The change from `before` to `after`, with its percentage when `before` is not 0.
    public static func change(from before: Double, to after: Double, _ metric: Metric) -> String {
        change(after - before, percent: before == 0 ? nil : (after - before) / before * 100, metric)
    }

    /// `12.1 (11.8–12.6)`: median, then min–max when the repetitions differ; seconds without the unit.
    public static func medianRange(_ s: Summary) -> String {
        s.n == 1 || s.min == s.max ? plainSeconds(s.median) : "\(plainSeconds(s.median)) (\(plainSeconds(s.min))–\(plainSeconds(s.max)))"
    }

    /// `14.4 s ± 0.30` (median ± sample standard deviation).
    public static func medianSpread(_ s: Summary) -> String {
        s.n > 1 ? "\(seconds(s.median)) ± \(plainSeconds(s.stddev))" : seconds(s.median)
    }
}
