import ImageBenchCore

/// One engine a run builds on: its client, and what it is.
public struct EngineSlot: Sendable {
    public var docker: DockerClient
    public var environment: RunEnvironment

    public init(docker: DockerClient, environment: RunEnvironment) {
        self.docker = docker
        self.environment = environment
    }

    public var record: EngineRecord { environment.engineRecord }
}
