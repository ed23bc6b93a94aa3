import Foundation
import ImageBenchCore
import ImageBenchStore

/// Facts for building fixed report models in tests.
public enum Sample {
    public static let date = Date(timeIntervalSince1970: 1_795_000_000)

    public static func environment() -> RunEnvironment {
        var e = RunEnvironment()
        e.host = "ci-1"
        e.cpus = 2
        e.memoryBytes = 24_000_000_000
        e.kernel = "6.1.0"
        e.os = "Debian GNU/Linux 12 (bookworm)"
        e.dockerPath = "docker"
        e.dockerClient = "28.2.2"
        e.dockerServer = "20.10.24+dfsg1"
        e.storageDriver = "overlay2"
        e.cgroupVersion = "1"
        e.defaultBuilder = .classic
        e.imagebenchVersion = "0.1.0"
        return e
    }

    public static func builds(_ phase: Phase, _ seconds: [Double]) -> [BuildRecord] {
        seconds.enumerated().map { i, s in
            BuildRecord(
                phase: phase, repetition: i + 1, startedAt: date, seconds: s, outcome: .ok, exitCode: 0, builder: .classic, imageID: "sha256:abc")
        }
    }
}
