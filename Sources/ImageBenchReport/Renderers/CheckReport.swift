import Foundation
import ImageBenchCore

/// `imagebench check`: each variant's budget rules as PASS, FAIL or SKIP, the way dive's CI mode prints
/// its rules, and the same as JUnit XML (one test case per variant and rule).
public enum CheckReport {
    /// A rule's figure as the report shows it.
    static func format(_ value: Double, _ rule: BudgetRule) -> String {
        switch rule.kind {
        case .bytes: Units.bytes(Int64(value))
        case .ratio: String(format: "%.4f", value)
        case .seconds: Units.seconds(value)
        case .none: value == 1 ? "1 file" : "\(Int(value)) files"
        }
    }

    /// `24.1 MB > 20.0 MB`; exact bytes when the rounded sizes read the same.
    static func comparison(_ item: BudgetCheck.Item) -> String {
        guard let figure = item.figure, let limit = item.limit else { return "" }
        if item.rule == .secrets {
            return item.status == .pass ? "no secret found by content" : "\(format(figure, item.rule)) secrets found by content (budget: none)"
        }
        if item.rule == .secretNames {
            return item.status == .pass ? "no secret, by content or name" : "\(format(figure, item.rule)) secrets by content or name (budget: none)"
        }
        let passed = item.status == .pass
        let sign = item.rule.isLowerBound ? (passed ? "≥" : "<") : (passed ? "≤" : ">")
        var a = format(figure, item.rule)
        var b = format(limit, item.rule)
        if a == b && item.rule.kind == .bytes {
            a += " (\(Int64(figure)) B)"
            b += " (\(Int64(limit)) B)"
        }
        return "\(a) \(sign) \(b)"
    }

    static func detail(_ item: BudgetCheck.Item) -> String {
        item.status == .skip ? (item.reason ?? "") : comparison(item)
    }

    public static func summary(_ check: BudgetCheck) -> String {
        "\(check.failed ? "FAIL" : "PASS") [pass:\(check.count(.pass)) fail:\(check.count(.fail)) skip:\(check.count(.skip))]"
    }

    /// The terminal text: per variant its rules, then the totals as dive prints them.
    public static func text(_ check: BudgetCheck) -> String {
        var out = ""
        var current = ""
        for item in check.items {
            let heading = "\(item.scenario) \(item.variant)"
            if heading != current {
                out += (current.isEmpty ? "" : "\n") + heading + "\n"
                current = heading
            }
            let rule = item.rule.rawValue.padding(toLength: max(12, item.rule.rawValue.count), withPad: " ", startingAt: 0)
            out += "  \(item.status.rawValue)  \(rule) \(detail(item))  (\(item.source))\n"
        }
        for scenario in check.unbudgeted {
            out += (out.isEmpty ? "" : "\n") + "\(scenario): no budgets (add budgets: to its scenario.yaml, or a .dive-ci beside it)\n"
        }
        return out + (out.isEmpty ? "" : "\n") + "run \(check.runID): " + summary(check) + "\n"
    }

    /// JUnit XML as Jenkins, GitLab and GitHub test-report views read it: a suite per scenario, a test case
    /// per variant and rule (`classname` the variant, `name` the rule), `<failure>` with the figure and the
    /// limit, `<skipped>` with the reason.
    public static func junit(_ check: BudgetCheck) -> String {
        // A failed secret rule is a test case per finding.
        func cases(_ item: BudgetCheck.Item) -> Int { item.status == .fail && !item.findings.isEmpty ? item.findings.count : 1 }
        func failures(_ items: [BudgetCheck.Item]) -> Int { items.filter { $0.status == .fail }.reduce(0) { $0 + cases($1) } }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out +=
            "<testsuites name=\"imagebench check\" tests=\"\(check.items.reduce(0) { $0 + cases($1) })\" failures=\"\(failures(check.items))\" errors=\"0\">\n"
        var scenarios: [String] = []
        for item in check.items where !scenarios.contains(item.scenario) { scenarios.append(item.scenario) }
        for scenario in scenarios {
            let items = check.items.filter { $0.scenario == scenario }
            let skipped = items.filter { $0.status == .skip }.count
            out +=
                "  <testsuite name=\"\(xml(scenario))\" tests=\"\(items.reduce(0) { $0 + cases($1) })\" failures=\"\(failures(items))\" errors=\"0\" skipped=\"\(skipped)\" time=\"0\">\n"
            for item in items {
                func open(_ name: String) -> String {
                    "    <testcase classname=\"\(xml(scenario + "." + item.variant))\" name=\"\(xml(name))\" time=\"0\""
                }
                func failed(_ name: String, _ message: String, type: String) -> String {
                    open(name) + ">\n      <failure message=\"\(xml(message))\" type=\"\(type)\">\(xml(message))</failure>\n    </testcase>\n"
                }
                switch item.status {
                case .pass: out += open(item.rule.rawValue) + "/>\n"
                case .fail where !item.findings.isEmpty:
                    // One failure per secret, each its own test case, so a test-report view lists them all.
                    for finding in item.findings {
                        out += failed(
                            item.rule.rawValue + ": " + finding, "\(item.rule.rawValue): \(finding) (budget from \(item.source))", type: "secret")
                    }
                case .fail:
                    out += failed(item.rule.rawValue, "\(item.rule.rawValue): \(comparison(item)) (budget from \(item.source))", type: "budget")
                case .skip: out += open(item.rule.rawValue) + ">\n      <skipped message=\"\(xml(item.reason ?? ""))\"/>\n    </testcase>\n"
                }
            }
            out += "  </testsuite>\n"
        }
        return out + "</testsuites>\n"
    }

    static func xml(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            // XML 1.0 allows no other control characters.
            case "\t", "\n", "\r": out += "&#\(scalar.value);"
            default: out.unicodeScalars.append(scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF ? "?" : scalar)
            }
        }
        return out
    }
}
