import Foundation
import ImageBenchCore
import ImageBenchDocker
import ImageBenchTestSupport
import Testing

@Suite("docker client on a real engine", .enabled("needs a Docker engine") { await DockerEngine.answers() })
struct DockerClientIntegrationTests {
    @Test("the environment names client, server, storage driver, image store, buildx and builder")
    func environment() async throws {
        let env = try await DockerEngine.client().probeEnvironment()
        #expect(!env.dockerClient.isEmpty)
        #expect(!env.dockerServer.isEmpty)
        // Debian 12's 20.10 keeps images with overlay2; a 26.1 with the containerd store, in its overlayfs snapshotter.
        if await DockerEngine.usesContainerdStore() {
            #expect(env.storageDriver == "overlayfs" && env.imageStore == .containerd)
        } else {
            #expect(env.storageDriver == "overlay2" && env.imageStore == .graphDriver)
        }
        let buildx = try await SubprocessExecutor().run(Command(DockerEngine.executable, ["buildx", "version"], timeout: 30))
        #expect(env.buildxVersion == (buildx.succeeded ? buildx.stdout.split(separator: " ").dropFirst().first.map(String.init) : nil))
        #expect(env.cpus > 0 && env.memoryBytes > 0)
        #expect(env.defaultBuilder == (env.buildkitAvailable ? .buildkit : .classic))
    }

    @Test("an engine that does not answer is a clear error with the fix")
    func noEngine() async throws {
        let client = DockerClient(docker: "/usr/bin/env", executor: SubprocessExecutor())
        do {
            _ = try await client.probeEnvironment()
            Issue.record("expected engineUnavailable")
        } catch let error as DockerError {
            #expect(error.reason == .engineUnavailable)
            #expect(error.description.contains("start the engine"))
        }
    }

    @Test("a missing base image that cannot be pulled names the image and the fix")
    func missingBase() async throws {
        do {
            try await DockerEngine.client().ensurePresent("127.0.0.1:1/imagebench-missing:never")
            Issue.record("expected baseImageMissing")
        } catch let error as DockerError {
            #expect(error.reason == .baseImageMissing)
            #expect(error.description.contains("--profile offline"))
        }
        // A stand-in no engine pulls: the line says which script makes it, and no registry is asked.
        do {
            try await DockerEngine.client().ensurePresent("imagebench-local/go-builder:bookworm-arm64-missing")
            Issue.record("expected baseImageMissing")
        } catch let error as DockerError {
            #expect(error.reason == .baseImageMissing && !error.command.contains(" pull "), "\(error.command)")
            #expect(error.description.contains("build it with Scenarios/bases/build"), "\(error.description)")
        }
    }

    @Test("a timeout stops the whole process group")
    func timeout() async throws {
        let start = Date()
        let result = try await SubprocessExecutor().run(Command("/bin/sh", ["-c", "sleep 30 & sleep 30; echo never"], timeout: 1))
        #expect(result.timedOut)
        #expect(Date().timeIntervalSince(start) < 10)
        #expect(!result.stdout.contains("never"))
    }
}
