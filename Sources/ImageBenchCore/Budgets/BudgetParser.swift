import Foundation

/// The values budgets are written with: sizes (`20MB`, `512 KiB`, `1.5GB`, plain bytes; dive's
/// humanize units, any case), ratios (`0.95` or `95%`), durations (`60s`, `2m`).
public enum BudgetParser {
    /// Bytes: SI (k, kB, M, MB, G, GB, T, TB: powers of 1000) and IEC (KiB, MiB, GiB, TiB: powers of
    /// 1024), case-insensitive as dive's `humanize.ParseBytes` reads them; no unit means bytes.
    public static func bytes(_ text: String) -> Double? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(String, Double)] = [
            ("kib", 1024), ("mib", 1_048_576), ("gib", 1_073_741_824), ("tib", 1_099_511_627_776), ("ki", 1024), ("mi", 1_048_576),
            ("gi", 1_073_741_824), ("kb", 1e3), ("mb", 1e6), ("gb", 1e9), ("tb", 1e12), ("k", 1e3), ("m", 1e6), ("g", 1e9), ("t", 1e12),
            ("b", 1),
        ]
        for (unit, factor) in units where t.hasSuffix(unit) {
            guard let number = Double(t.dropLast(unit.count).trimmingCharacters(in: .whitespaces)), number >= 0, number.isFinite else { return nil }
            return (number * factor).rounded()
        }
        guard let number = Double(t), number >= 0, number.isFinite else { return nil }
        return number.rounded()
    }

    /// A ratio from 0 to 1: `0.95`, or a percentage `95%`.
    public static func ratio(_ text: String) -> Double? {
        let t = text.trimmingCharacters(in: .whitespaces)
        let value = t.hasSuffix("%") ? Double(t.dropLast().trimmingCharacters(in: .whitespaces)).map { $0 / 100 } : Double(t)
        guard let value, (0...1).contains(value) else { return nil }
        return value
    }

    /// Seconds, as `DurationParser` reads them; more than 0.
    public static func seconds(_ text: String) -> Double? {
        guard let value = DurationParser.seconds(text), value > 0, value.isFinite else { return nil }
        return value
    }

    /// dive's words for a rule turned off.
    public static func isDisabled(_ text: String) -> Bool {
        ["", "disabled", "off", "false"].contains(text.trimmingCharacters(in: .whitespaces).lowercased())
    }

    /// One rule's value as written, or nil with what is expected.
    public static func value(_ rule: BudgetRule, _ text: String) -> Result<Double?, Expectation> {
        if isDisabled(text) { return .success(nil) }
        switch rule.kind {
        case .bytes: return bytes(text).map { .success($0) } ?? .failure(Expectation("a size, e.g. 20MB, 512KiB or 1.5GB"))
        case .ratio: return ratio(text).map { .success($0) } ?? .failure(Expectation("a ratio from 0 to 1, e.g. 0.95 (or 95%)"))
        case .seconds: return seconds(text).map { .success($0) } ?? .failure(Expectation("a duration, e.g. 60s or 2m"))
        case .none:
            return text.trimmingCharacters(in: .whitespaces).lowercased() == "none"
                ? .success(0) : .failure(Expectation("none (no secret-looking file in any layer), or off"))
        }
    }

    public struct Expectation: Error, Sendable {
        public var text: String
        public init(_ text: String) { self.text = text }
    }
}
