/// The container engine that builds: Docker's, or podman (Buildah builds, crun or runc runs).
public enum EngineKind: String, Sendable, Codable, CaseIterable {
    case docker
    case podman
}
