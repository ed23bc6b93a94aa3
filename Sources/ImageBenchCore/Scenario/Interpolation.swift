import Foundation

/// `${images.NAME}` references in scenario values.
public enum Interpolation {
    /// The image names a value refers to, in order.
    public static func references(in value: String) -> [String] {
        var names: [String] = []
        var rest = Substring(value)
        while let start = rest.range(of: "${images.") {
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else { break }
            names.append(String(rest[start.upperBound..<end]))
            rest = rest[rest.index(after: end)...]
        }
        return names
    }

    /// Replaces every `${images.NAME}` with `images[NAME]`; names missing from `images` stay as written.
    public static func expand(_ value: String, images: [String: String]) -> String {
        var result = value
        for name in references(in: value) {
            if let ref = images[name] { result = result.replacingOccurrences(of: "${images.\(name)}", with: ref) }
        }
        return result
    }
}
