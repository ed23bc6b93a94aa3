import Foundation

/// A docker engine an axis value names for its variants (`host: URL` or `docker-context: NAME`), beside the
/// run's own engines: one scenario can compare the same build on Debian's 20.10 with overlay2 and on a
/// 26.1 with the containerd image store. Only variants that name it build there.
public enum NamedEngine: Sendable, Hashable, Codable, CustomStringConvertible {
    /// `unix://`, `tcp://`, `ssh://` ... as `docker --host` takes it.
    case host(String)
    /// A docker context (`docker context create`).
    case context(String)

    public var description: String {
        switch self {
        case .host(let url): url
        case .context(let name): "context \(name)"
        }
    }

    /// Whether `text` is an engine URL `docker --host` takes.
    public static func isURL(_ text: String) -> Bool {
        guard let colon = text.range(of: "://"), !text.contains(where: \.isWhitespace) else { return false }
        return ["unix", "tcp", "ssh", "fd", "npipe", "http", "https"].contains(String(text[..<colon.lowerBound])) && colon.upperBound < text.endIndex
    }

    /// Whether `text` can name a docker context.
    public static func isContextName(_ text: String) -> Bool { !text.isEmpty && !text.contains(where: \.isWhitespace) }
}
