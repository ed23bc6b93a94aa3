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
