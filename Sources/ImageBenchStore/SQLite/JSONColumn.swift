import Foundation

/// How JSON columns are written and read: one encoder (sorted keys, so equal values store equal text)
/// and one decoder for every table.
enum JSONColumn {
    static let decoder = JSONDecoder()

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    static func text(_ value: some Encodable) -> String {
        (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }
}
