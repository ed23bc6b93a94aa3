/// The builder docker uses for a build.
public enum BuilderKind: String, Sendable, Codable, CaseIterable {
    case buildkit
    case classic
    /// podman's builder; never chosen in a scenario, recorded for podman builds.
    case buildah
}
