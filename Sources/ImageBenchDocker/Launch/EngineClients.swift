import ImageBenchCore

/// Makes the clients of the engines a run may build on: docker's (at a host, a context, or its default)
/// and the local podman's, all over one executor.
public struct EngineClients: Sendable {
    /// The docker client to run (`--docker`).
    public var docker: String
    /// The podman client to run (`--podman`).
    public var podman: String
    public var executor: any CommandExecuting

    public init(docker: String = "docker", podman: String = "podman", executor: any CommandExecuting = SubprocessExecutor()) {
        self.docker = docker
        self.podman = podman
        self.executor = executor
    }

    /// A client of one engine, labelling what it makes with `labels`.
    public func client(_ kind: EngineKind, target: EngineTarget = .default, labels: [String: String] = [:]) -> DockerClient {
        DockerClient(docker: kind == .docker ? docker : podman, labels: labels, kind: kind, target: target, executor: executor)
    }
}
