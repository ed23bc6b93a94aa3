import ImageBenchCore

/// `secret_findings`: each secret a variant's image or build context holds, by content or by name alone
/// (schema 16). Reports read them from the variant's insight and context facts; this table is for SQL.
enum SecretRows: TableMapping {
    static let table = "secret_findings"
    static let columns = ["variant_id", "source", "kind", "rule", "path", "layer", "line", "excerpt"]

    static func values(_ f: SecretFinding, source: String, variantID: Int64) -> [SQLValue] {
        [
            .int(variantID), .text(source), .text(f.kind.rawValue), .optional(f.rule?.rawValue), .text(f.path), .optional(f.layer.map(Int64.init)),
            .optional(f.line.map(Int64.init)), .optional(f.excerpt),
        ]
    }

    /// Every finding of `result`: its image's, then its context's.
    static func rows(of result: VariantResult, variantID: Int64) -> [[SQLValue]] {
        (result.insight?.secretFindings ?? []).map { values($0, source: "image", variantID: variantID) }
            + (result.context?.secretFindings ?? []).map { values($0, source: "context", variantID: variantID) }
    }
}
