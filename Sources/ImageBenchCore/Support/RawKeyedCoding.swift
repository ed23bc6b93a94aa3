/// A dictionary keyed by a string enum (``Metric``, ``BudgetRule``), coded as a JSON object of the raw
/// values; a key this imagebench does not know is dropped when read, so an older one reads newer rows.
enum RawKeyedCoding {
    static func decode<Key: RawRepresentable & Hashable, Value: Decodable>(from decoder: any Decoder) throws -> [Key: Value]
    where Key.RawValue == String {
        let raw = try [String: Value](from: decoder)
        return Dictionary(uniqueKeysWithValues: raw.compactMap { k, v in Key(rawValue: k).map { ($0, v) } })
    }

    static func encode<Key: RawRepresentable & Hashable, Value: Encodable>(_ values: [Key: Value], to encoder: any Encoder) throws
    where Key.RawValue == String {
        try Dictionary(uniqueKeysWithValues: values.map { ($0.key.rawValue, $0.value) }).encode(to: encoder)
    }
}
