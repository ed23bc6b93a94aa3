import Foundation
import Yams

extension YAMLReader {
    /// `budgets:` of a scenario or an axis value: `{size: 20MB, efficiency: 0.95, cold: 60s, secrets: none}`.
    func budgets(_ node: Node, _ what: String) throws(ScenarioError) -> Budgets {
        var result = Budgets()
        let names = BudgetRule.allCases.map(\.rawValue)
        for (key, value) in try pairs(node, what) {
            guard let rule = BudgetRule(rawValue: key.name) else {
                throw error(.unknownKey, key.line, "unknown budget \"\(key.name)\" in \(what); use \(names.joined(separator: ", "))")
            }
            result.limits[rule] = try limit(rule, value, "\(what).\(key.name)")
        }
        return result
    }

    func limit(_ rule: BudgetRule, _ node: Node, _ what: String) throws(ScenarioError) -> Budgets.Limit {
        let text = node.null != nil ? "" : try string(node, what)
        switch BudgetParser.value(rule, text) {
        case .success(let value): return Budgets.Limit(value: value, source: "\((file as NSString).lastPathComponent):\(node.mark?.line ?? 0)")
        case .failure(let expected): throw error(.invalidValue, node, "\(what) is \"\(text)\"; write \(expected.text)")
        }
    }

    /// dive's `.dive-ci`: `rules:` with `lowestEfficiency`, `highestWastedBytes` and
    /// `highestUserWastedPercent` (or their snake-case names), as dive reads them; a rule the file does not
    /// name gets dive's default (0.9, disabled, 0.1). dive's other keys (`plugins`) and plugin rules
    /// (`plugin/rule`) are ignored.
    func diveCI(_ text: String) throws(ScenarioError) -> Budgets {
        let rules: [(BudgetRule, [String], String)] = [
            (.efficiency, ["lowestEfficiency", "lowest-efficiency"], "0.9"),
            (.wasted, ["highestWastedBytes", "highest-wasted-bytes"], "disabled"),
            (.userWasted, ["highestUserWastedPercent", "highest-user-wasted-percent"], "0.1"),
        ]
        var result = Budgets()
        for (rule, _, fallback) in rules {
            guard case .success(let value) = BudgetParser.value(rule, fallback) else { continue }
            result.limits[rule] = Budgets.Limit(value: value, source: "\((file as NSString).lastPathComponent) (dive's default)")
        }
        guard let root = try compose(text), root.null == nil else { return result }
        let top = try mapping(root, ".dive-ci")
        guard let node = top["rules"] else { return result }
        for (key, value) in try pairs(node, "rules") {
            guard let (rule, _, _) = rules.first(where: { $0.1.contains(key.name) }) else {
                if key.name.contains("/") { continue }
                throw error(
                    .unknownKey, key.line,
                    "unknown dive rule \"\(key.name)\" in rules; dive's rules are lowestEfficiency, highestWastedBytes and highestUserWastedPercent")
            }
            result.limits[rule] = try limit(rule, value, "rules.\(key.name)")
        }
        return result
    }
}
