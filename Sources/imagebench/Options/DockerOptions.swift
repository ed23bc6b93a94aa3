import ArgumentParser
import Foundation
import ImageBenchCore
import ImageBenchDocker

/// `--docker PATH`: which docker client to run.
struct DockerOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The docker client to run (default: $IMAGEBENCH_DOCKER or `docker` on PATH).", valueName: "path"))
    var docker: String?

    var executable: String {
        if let docker { return docker }
        if let env = ProcessInfo.processInfo.environment["IMAGEBENCH_DOCKER"], !env.isEmpty { return env }
        return "docker"
    }

    func validate() throws {
        if let docker, docker.isEmpty { throw ValidationError("--docker needs the path of a docker client, e.g. --docker /usr/bin/docker") }
        if let podman, podman.isEmpty { throw ValidationError("--podman needs the path of a podman client, e.g. --podman /usr/bin/podman") }
    }

    @Option(
        name: .long, help: ArgumentHelp("The podman client to run for podman builds (default: $IMAGEBENCH_PODMAN or `podman`).", valueName: "path"))
    var podman: String?

    var podmanExecutable: String {
        if let podman { return podman }
        if let env = ProcessInfo.processInfo.environment["IMAGEBENCH_PODMAN"], !env.isEmpty { return env }
        return "podman"
    }

    /// The clients of the engines a command may use: `--docker`'s and `--podman`'s.
    var clients: EngineClients { EngineClients(docker: executable, podman: podmanExecutable) }

    /// The default engine's docker client.
    func client() -> DockerClient { clients.client(.docker) }
}
