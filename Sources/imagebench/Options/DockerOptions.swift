import ArgumentParser
import Foundation
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
    }

    func client(labels: [String: String] = [:]) -> DockerClient { DockerClient(docker: executable, labels: labels) }
}
