import Foundation
import ImageBenchDocker

/// The real engine integration tests use: `IMAGEBENCH_DOCKER` or `docker` on PATH.
public enum DockerEngine {
    public static var executable: String {
        ProcessInfo.processInfo.environment["IMAGEBENCH_DOCKER"].flatMap { $0.isEmpty ? nil : $0 } ?? "docker"
    }

    /// Labels every test image and container carries, so the suite can check none is left behind.
    public static let testLabels = ["imagebench.test": "1"]

    /// A client whose images and containers carry the test label, so the suite can check none is left behind.
    public static func client() -> DockerClient { DockerClient(docker: executable, labels: testLabels) }

    /// True when an engine answers; integration tests are skipped only when this is false.
    public static func answers() async -> Bool {
        guard let result = try? await SubprocessExecutor().run(Command(executable, ["info", "--format", "{{.ServerVersion}}"], timeout: 20)) else {
            return false
        }
        return result.succeeded
    }

    /// True when the offline base images from Scenarios/bases/build are present.
    public static func hasOfflineBases() async -> Bool {
        guard await answers() else { return false }
        let result = try? await SubprocessExecutor().run(
            Command(executable, ["image", "inspect", "imagebench-local/go-builder:bookworm", "imagebench-local/musl-busybox:1"], timeout: 20))
        return result?.succeeded ?? false
    }

    /// Whether the engine keeps images in the containerd image store (`docker info`'s driver-type).
    public static func usesContainerdStore() async -> Bool {
        let said = try? await SubprocessExecutor().run(Command(executable, ["info", "--format", "{{json .DriverStatus}}"], timeout: 20))
        return said?.stdout.contains("io.containerd.snapshotter") ?? false
    }

    /// The ways `imagebench analyze --source` can read this engine's layers: `save` always, and `overlay2`
    /// where the engine keeps its layers in overlay2 folders (not on the containerd image store).
    public static func layerSources() async -> [String] {
        let driver = try? await SubprocessExecutor().run(Command(executable, ["info", "--format", "{{.Driver}}"], timeout: 20))
        return driver?.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "overlay2" ? ["save", "overlay2"] : ["save"]
    }

    /// A classic build (`DOCKER_BUILDKIT=0 docker build ARGUMENTS`), and the ids of the step images it made:
    /// the containerd image store keeps them as images of their own after the final image is gone (a graph
    /// driver deletes them with it), so a test gives them to ``removing(images:_:)`` too.
    public static func classicBuild(_ arguments: [String], timeout: Double = 300) async throws -> (result: CommandResult, steps: [String]) {
        let result = try await SubprocessExecutor().run(
            Command(executable, ["build"] + arguments, environment: ["DOCKER_BUILDKIT": "0"], timeout: timeout))
        return (result, DockerOutputParser.createdImages(result.stdout))
    }

    /// Runs `body`, then removes `images` (`docker image rm --force`) whether it returned or threw, and
    /// before the test goes on: the suite's leftover check runs right after the last test.
    public static func removing<T>(images: [String], _ body: () async throws -> T) async throws -> T {
        let result: Result<T, any Error>
        do {
            result = .success(try await body())
        } catch {
            result = .failure(error)
        }
        _ = try? await SubprocessExecutor().run(Command(executable, ["image", "rm", "--force"] + images, timeout: 120))
        return try result.get()
    }

    /// Runs a docker command and returns standard output (for checks against imagebench's figures).
    public static func output(_ arguments: [String]) async throws -> String {
        try await SubprocessExecutor().run(Command(executable, arguments, timeout: 120)).stdout
    }
}
