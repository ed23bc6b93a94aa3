import ImageBenchCore

/// `layers`: each built image's `docker history`, one row per layer.
enum LayerRows: TableMapping {
    static let table = "layers"
    static let columns = ["variant_id", "position", "size_bytes", "created_by", "layer_id"]

    static func values(_ l: LayerRecord, variantID: Int64) -> [SQLValue] {
        [.int(variantID), .int(Int64(l.position)), .int(l.sizeBytes), .text(l.createdBy), .optional(l.id)]
    }

    static func record(_ row: Row) throws(StoreError) -> LayerRecord {
        LayerRecord(
            position: Int(try row.int("position")), sizeBytes: try row.int("size_bytes"), createdBy: try row.text("created_by"),
            id: try row.optionalText("layer_id"))
    }
}
