/// How a command names a run: `12`, `latest`, or `label:branch=main` (the latest run with that label).
public enum RunSelector: Sendable, Equatable, CustomStringConvertible {
    case id(Int64)
    case latest
    case label(key: String, value: String)

    public init?(_ text: String) {
        if text == "latest" {
            self = .latest
        } else if let id = Int64(text), id > 0 {
            self = .id(id)
        } else if text.hasPrefix("label:"), let eq = text.firstIndex(of: "="), text.index(text.startIndex, offsetBy: 6) < eq {
            self = .label(key: String(text[text.index(text.startIndex, offsetBy: 6)..<eq]), value: String(text[text.index(after: eq)...]))
        } else {
            return nil
        }
    }

    public var description: String {
        switch self {
        case .id(let id): "\(id)"
        case .latest: "latest"
        case .label(let key, let value): "label:\(key)=\(value)"
        }
    }
}
