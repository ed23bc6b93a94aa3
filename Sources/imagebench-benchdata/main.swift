// Writes a large imagebench database for benchmarks/database: RUNS runs of one scenario with VARIANTS
// variants, 3 phases x REPEAT repetitions each, with realistic sizes, times, layers and smoke results.
// Usage: imagebench-benchdata OUT.sqlite [RUNS] [VARIANTS] [REPEAT]
import Foundation
import ImageBenchCore
import ImageBenchStore

let args = CommandLine.arguments
guard args.count >= 2 else {
    FileHandle.standardError.write(Data("usage: imagebench-benchdata OUT.sqlite [RUNS] [VARIANTS] [REPEAT]\n".utf8))
    exit(64)
}
let runs = args.count > 2 ? Int(args[2]) ?? 1000 : 1000
let variants = args.count > 3 ? Int(args[3]) ?? 20 : 20
let repeats = args.count > 4 ? Int(args[4]) ?? 3 : 3

func jitter(_ value: Double, _ spread: Double = 0.05) -> Double { value * (1 + Double.random(in: -spread...spread)) }

var environment = RunEnvironment()
environment.host = "bench"
environment.cpus = 2
environment.dockerClient = "28.2.2"
environment.dockerServer = "20.10.24+dfsg1"
environment.storageDriver = "overlay2"

/// The eight steps of a two-stage Go build as BuildKit reports them: cold runs every one, warm takes
/// every Dockerfile step from the cache, an edit misses from the COPY of the sources on.
func steps(variant: Int, phase: Phase, seconds: Double) -> [StepRecord] {
    let plan: [(String?, Int, String, StepRecord.Kind, Double)] = [
        (nil, 0, "[internal] load build definition from Dockerfile", .internal, 0.01),
        (nil, 0, "[internal] load metadata for docker.io/library/golang:1.22-bookworm", .internal, 0.3),
        ("build", 1, "FROM docker.io/library/golang:1.22-bookworm@sha256:\(String(repeating: "a", count: 64))", .base, 0),
        (nil, 0, "[internal] load build context", .internal, 0.02),
        ("build", 2, "WORKDIR /src", .instruction, 0.05),
        ("build", 3, "COPY go.mod main.go ./", .instruction, 0.05),
        ("build", 4, "RUN CGO_ENABLED=\(variant % 2) go build -trimpath -ldflags \"-s -w\" -o /app .", .instruction, 0.8),
        ("stage-1", 2, "COPY --from=build /app /app", .instruction, 0.05),
        (nil, 0, "exporting to image", .internal, 0.1),
    ]
    var at = 0.05
    return plan.map { stage, number, instruction, kind, share in
        let cached = kind == .instruction && (phase == .warm || (phase == .edit && number < 3 && stage == "build"))
        let duration = cached ? 0 : seconds * share * (kind == .instruction && number == 4 ? 1 : 0.1)
        defer { at += duration }
        return StepRecord(
            stage: stage, number: number, total: stage == nil ? nil : (stage == "build" ? 4 : 2), instruction: instruction, kind: kind,
            cached: cached, start: at, seconds: duration
        ).toMilliseconds()
    }
}

let store = try ResultStore(path: args[1])
let start = Date(timeIntervalSince1970: 1_790_000_000)
for run in 0..<runs {
    let started = start.addingTimeInterval(Double(run) * 3600)
    let record = RunRecord(
        startedAt: started, finishedAt: started.addingTimeInterval(600), status: .complete,
        labels: ["branch": run % 10 == 0 ? "main" : "feature-\(run % 7)", "commit": String(format: "%08x", run * 2_654_435_761 % 0xffff_ffff)],
        profile: "offline", environment: environment,
        scenarios: [RunScenario(name: "bench", path: "/bench", contentHash: "h\(run)", gitCommit: "c\(run)", gitBranch: "main")])
    var results: [VariantResult] = []
    for v in 0..<variants {
        let base = 4_000_000 + v * 3_000_000 + run * 1_000
        let axes = [AxisChoice(axis: "base", value: "b\(v / 4)"), AxisChoice(axis: "linking", value: "l\(v % 4)")]
        var builds: [BuildRecord] = []
        for phase in Phase.local {
            let typical = phase == .warm ? 0.1 : 12 + Double(v % 5)
            for r in 1...repeats {
                let seconds = jitter(typical)
                builds.append(
                    BuildRecord(
                        phase: phase, repetition: r, startedAt: started, seconds: seconds, outcome: .ok, exitCode: 0, builder: .buildkit,
                        imageID: "sha256:\(run)-\(v)", steps: steps(variant: v, phase: phase, seconds: seconds)))
            }
        }
        let layers = (0..<5).map {
            LayerRecord(position: $0, sizeBytes: $0 == 0 ? Int64(base) : 0, createdBy: "/bin/sh -c #(nop) STEP \($0)", id: "sha256:l\($0)")
        }
        results.append(
            VariantResult(
                runID: 0, scenario: "bench", axes: axes, status: v % 9 == 8 ? .expectedBroken : .ok,
                image: ImageFacts(ref: "imagebench/bench:r\(run)-\(v)", id: "sha256:\(run)-\(v)", sizeBytes: Int64(base), layers: 2, history: layers),
                contextBytes: 5120, builds: builds, smoke: SmokeResult(ok: v % 9 != 8, exitCode: v % 9 == 8 ? 1 : 0, seconds: 0.4, output: "ok true"))
        )
    }
    _ = try await store.importRun(record, results: results)
}
print(
    "wrote \(runs) runs x \(variants) variants x \(Phase.local.count) phases x \(repeats) repetitions = \(runs * variants * Phase.local.count * repeats) builds to \(args[1])"
)
