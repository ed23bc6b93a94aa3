import ImageBenchCore

/// `variants`: one row per variant of a run. A run begins a variant with its whole row (status
/// `pending`) and finishes it by updating the measured columns.
enum VariantRows: TableMapping {
    static let table = "variants"
    /// What names the variant, written once when it begins.
    static let identity = ["run_id", "scenario", "name", "axes"]
    /// What its measurement sets, written again when it finishes.
    static let measured = [
        "status", "image_ref", "image_id", "size_bytes", "layers", "context_bytes", "smoke", "problem", "context_facts", "insight", "engine",
        "target", "ci", "start", "engine_size", "pull", "platform", "platform_index",
        "target_platform_runs",
    ]
    static let columns = identity + measured

    static let updateSQL = "UPDATE \(table) SET \(measured.map { "\($0) = ?" }.joined(separator: ", ")) WHERE id = ?"

    static func values(_ r: VariantResult, runID: Int64) -> [SQLValue] {
        [.int(runID), .text(r.scenario), .text(r.name), .text(JSONColumn.text(r.axes))] + measuredValues(r)
    }

    static func measuredValues(_ r: VariantResult) -> [SQLValue] {
        [
            .text(r.status.rawValue), .optional(r.image?.ref), .optional(r.image?.id), .optional(r.image?.sizeBytes),
            .optional(r.image.map { Int64($0.layers) }), .optional(r.contextBytes), .optional(r.smoke.map { JSONColumn.text($0) }),
            .optional(r.problem), .optional(r.context.map { JSONColumn.text($0) }), .optional(r.insight.map { JSONColumn.text($0) }),
            .optional(r.engine.map { JSONColumn.text($0) }), .optional(r.target), .optional(r.ci.map { JSONColumn.text($0) }),
            .optional(r.start.map { JSONColumn.text($0) }), .optional(r.image?.engineSize.map { JSONColumn.text($0) }),
            .optional(r.pull.map { JSONColumn.text($0) }), .optional(r.platform), .optional(r.platformIndex.map { JSONColumn.text($0) }),
            .optional(r.targetPlatformRuns.map(Int64.init)),
        ]
    }

    /// The variant without its builds and layers (``BuildRows``, ``LayerRows``); the row must have `id` too.
    static func record(_ row: Row) throws(StoreError) -> StoredVariant {
        var result = VariantResult(
            runID: try row.int("run_id"), scenario: try row.text("scenario"), axes: try row.json([AxisChoice].self, "axes"),
            status: try row.value(VariantStatus.self, "status"), contextBytes: try row.optionalInt("context_bytes"),
            smoke: try row.optionalJSON(SmokeResult.self, "smoke"), problem: try row.optionalText("problem"))
        result.context = try row.optionalJSON(BuildContextFacts.self, "context_facts")
        result.insight = try row.optionalJSON(ImageInsight.self, "insight")
        result.engine = try row.optionalJSON(EngineRecord.self, "engine")
        result.target = try row.optionalText("target")
        result.ci = try row.optionalJSON(CIPhaseResult.self, "ci")
        result.start = try row.optionalJSON(StartResult.self, "start")
        result.pull = try row.optionalJSON(PullResult.self, "pull")
        result.platform = try row.optionalText("platform")
        result.platformIndex = try row.optionalJSON(PlatformIndex.self, "platform_index")
        result.targetPlatformRuns = try row.optionalInt("target_platform_runs").map(Int.init)
        if let id = try row.optionalText("image_id") {
            result.image = ImageFacts(
                ref: try row.optionalText("image_ref") ?? "", id: id, sizeBytes: try row.optionalInt("size_bytes") ?? 0,
                layers: Int(try row.optionalInt("layers") ?? 0), engineSize: try row.optionalJSON(EngineSize.self, "engine_size"))
        }
        return StoredVariant(id: try row.int("id"), result: result)
    }
}
