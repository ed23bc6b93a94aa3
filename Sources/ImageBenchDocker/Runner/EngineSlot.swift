import ImageBenchCore

/// One engine a run builds on: its client, and what it is.
public struct EngineSlot: Sendable {
    public var docker: DockerClient
    public var environment: RunEnvironment
    /// The engine an axis value named (`host:`, `docker-context:`): it builds only the variants naming it.
    public var named: NamedEngine?

    public init(docker: DockerClient, environment: RunEnvironment, named: NamedEngine? = nil) {
        self.docker = docker
        self.environment = environment
        self.named = named
    }

    public var record: EngineRecord { environment.engineRecord }
}
