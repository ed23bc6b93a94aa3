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
        e.imageStore = .graphDriver
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

    /// BuildKit steps of a two-stage Go build: `cached` says which Dockerfile steps were cache hits,
    /// `run` is the `go build` step's duration.
    public static func steps(run: Double, cached: Set<String> = [], copy: Double = 0.1) -> [StepRecord] {
        var steps: [StepRecord] = []
        var at = 0.1
        func add(_ stage: String?, _ number: Int, _ total: Int?, _ instruction: String, _ kind: StepRecord.Kind, _ seconds: Double) {
            let hit = cached.contains(instruction)
            let duration = hit ? 0 : seconds
            steps.append(
                StepRecord(
                    stage: stage, number: number, total: total, instruction: instruction, kind: kind, cached: hit, start: at, seconds: duration))
            at += duration
        }
        add(nil, 0, nil, "[internal] load build definition from Dockerfile", .internal, 0.05)
        add("build", 1, 4, "FROM docker.io/library/golang:1.22-bookworm", .base, 0)
        add("build", 2, 4, "WORKDIR /src", .instruction, 0.05)
        add("build", 3, 4, "COPY go.mod main.go ./", .instruction, copy)
        add("build", 4, 4, "RUN go build -o /app .", .instruction, run)
        add("stage-1", 2, 2, "COPY --from=build /app /app", .instruction, 0.1)
        add(nil, 0, nil, "exporting to image", .internal, 0.2)
        return steps.map { $0.toMilliseconds() }
    }

    /// The Dockerfile steps of ``steps(run:cached:copy:)``.
    public static let goInstructions: Set<String> = [
        "WORKDIR /src", "COPY go.mod main.go ./", "RUN go build -o /app .", "COPY --from=build /app /app",
    ]

    /// The builds as BuildKit builds with the steps of ``steps(run:cached:copy:)``, `go build` taking what
    /// the other steps leave of each build's time.
    public static func withSteps(_ builds: [BuildRecord], cached: Set<String> = []) -> [BuildRecord] {
        builds.map { build in
            var build = build
            build.builder = .buildkit
            build.steps = steps(run: max(0, build.seconds - 0.65), cached: cached)
            return build
        }
    }
}
