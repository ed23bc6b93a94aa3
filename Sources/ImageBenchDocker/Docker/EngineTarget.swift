import Foundation
import ImageBenchCore

#if canImport(Glibc)
    import Glibc
#endif

/// Which engine a client talks to.
public enum EngineTarget: Sendable, Equatable {
    /// The client's own choice: `DOCKER_HOST`, the current docker context, or the local podman.
    case `default`
    /// `--host URL` (podman: `--url URL`): `unix://`, `tcp://` or `ssh://`.
    case host(String)
    /// `--context NAME`: a docker context (`docker context create`).
    case context(String)

    /// The target of an engine an axis value names.
    public init(_ named: NamedEngine) {
        switch named {
        case .host(let url): self = .host(url)
        case .context(let name): self = .context(name)
        }
    }

    func arguments(_ kind: EngineKind) -> [String] {
        switch self {
        case .default: []
        case .host(let url): [kind == .docker ? "--host" : "--url", url]
        case .context(let name): [kind == .docker ? "--context" : "--connection", name]
        }
    }
}
