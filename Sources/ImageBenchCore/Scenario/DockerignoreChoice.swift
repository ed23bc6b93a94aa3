/// `dockerignore:` on an axis value.
public enum DockerignoreChoice: Sendable, Equatable {
    /// Build with no .dockerignore in the context.
    case none
    /// Use this file (absolute path) as the context's .dockerignore.
    case file(String)
}
