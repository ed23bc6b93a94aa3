import Foundation
import ImageBenchCore
import ImageBenchReport

/// A fixed model for report and screenshot tests: run 3 of go-http (the candidate) and its baseline run 2.
public enum ReportFixture {
    /// A fixed model shaped like a go-http run: two working variants, one expected-broken, one failed build.
    public static func report() -> RunReport {
        var run = RunRecord(
            id: 3, startedAt: Sample.date, finishedAt: Sample.date.addingTimeInterval(600), status: .complete, labels: ["branch": "main"],
            profile: "offline", environment: Sample.environment(), uid: "5f1c0e4a9b2d4c7e8a6b3d2f1e0c9b8a")
        run.scenarios = [
            RunScenario(
                name: "go-http", path: "/repo/Scenarios/go-http", contentHash: "abc",
                images: [
                    ResolvedImage(name: "alpine", requested: "alpine:3.20", used: "imagebench-local/musl-busybox:1", source: "profile offline"),
                    ResolvedImage(name: "tool", requested: "mine:1", used: "mine:1", source: "scenario"),
                ])
        ]
        func axes(_ l: String, _ r: String) -> [AxisChoice] { [AxisChoice(axis: "linking", value: l), AxisChoice(axis: "runtime", value: r)] }
        var alpine = VariantResult(
            runID: 3, scenario: "go-http", axes: axes("static", "alpine"), status: .ok,
            image: ImageFacts(ref: "imagebench/go-http:r3-a", id: "sha256:a", sizeBytes: 7_160_000, layers: 2),
            contextBytes: 1480,
            builds: Sample.withSteps(Sample.builds(.cold, [12.1, 11.8, 12.6]))
                // The COPY of the sources missed the cache in warm builds: a regression against run 2.
                + Sample.withSteps(Sample.builds(.warm, [0.41, 0.39, 0.44]), cached: Sample.goInstructions.subtracting(["COPY go.mod main.go ./"]))
                + Sample.withSteps(Sample.builds(.edit, [11.2, 11.5, 11.1]), cached: ["WORKDIR /src"]),
            smoke: SmokeResult(ok: true, exitCode: nil, seconds: 0.52, output: "GET /healthz: 200 from 127.0.0.1:49153"))
        // A service (smoke.http): its start times and its memory after the first answer.
        alpine.start = StartResult(samples: [0.31, 0.29, 0.35])
        alpine.smoke?.memoryBytes = 3_428_844
        let scratch = VariantResult(
            runID: 3, scenario: "go-http", axes: axes("static", "scratch"), status: .ok,
            image: ImageFacts(
                ref: "imagebench/go-http:r3-s", id: "sha256:s", sizeBytes: 4_472_832, layers: 1,
                history: [
                    LayerRecord(position: 0, sizeBytes: 4_472_832, createdBy: "/bin/sh -c #(nop) COPY file:35421671fb9c in /app ", id: "sha256:l0"),
                    LayerRecord(position: 1, sizeBytes: 0, createdBy: "/bin/sh -c #(nop)  ENTRYPOINT [\"/app\"]", id: "sha256:l1"),
                ]),
            contextBytes: 1480,
            context: BuildContextFacts(
                files: 3, bytes: 1210, copyableFiles: 2, copyableBytes: 1180, secrets: [".env"], excludedFiles: 2, excludedBytes: 4_000_000,
                ignoreFile: ".dockerignore", rules: "classic"),
            builds: Sample.builds(.cold, [3.62, 3.71, 3.90]) + Sample.builds(.warm, [0.2]),
            smoke: SmokeResult(ok: true, exitCode: 0, seconds: 0.41, output: "ok true"))
        let dynamic = VariantResult(
            runID: 3, scenario: "go-http", axes: axes("dynamic", "scratch"), status: .expectedBroken,
            image: ImageFacts(ref: "imagebench/go-http:r3-d", id: "sha256:d", sizeBytes: 4_960_000, layers: 1),
            contextBytes: 1480, builds: Sample.builds(.cold, [16.5]),
            smoke: SmokeResult(ok: false, exitCode: 1, seconds: 0.3, output: "exec /app: no such file or directory"))
        var failed = VariantResult(
            runID: 3, scenario: "go-http", axes: axes("dynamic", "debian"), status: .buildFailed,
            problem: "cold build 1 failed (exit 1): gcc: not found")
        failed.builds = [
            BuildRecord(
                phase: .cold, repetition: 1, startedAt: Sample.date, seconds: 2, outcome: .failed, exitCode: 1, builder: .classic, imageID: nil,
                outputTail: "gcc: not found")
        ]
        var withInsight = scratch
        withInsight.insight = ImageInsight(
            layers: [
                LayerChange(index: 0, digest: "sha256:base", sizeBytes: 4_472_832, added: 1, changed: 0, deleted: 0, compressedBytes: 2_150_000)
            ],
            waste: WasteAnalysis(
                efficiency: 0.9, wastedBytes: 1200, userWastedPercent: 0, layerBytes: [4_472_832],
                inefficiencies: [WasteAnalysis.Inefficiency(path: "/etc/app.conf", count: 2, cumulativeBytes: 1200)]),
            secrets: [
                SecretFinding(kind: .content, rule: .assignedSecret, path: "/app/.env", layer: 0, line: 2, excerpt: "DB_PASSWORD=…(12 chars)"),
                SecretFinding(kind: .name, rule: nil, path: "/app/id_rsa", layer: 0),
            ], compressed: CompressedSizes(source: .registry, layers: [2_150_000], mediaTypes: ["application/vnd.oci.image.layer.v1.tar+zstd"]))
        withInsight.engine = Sample.environment().engineRecord
        var alpineWithInsight = alpine
        alpineWithInsight.insight = ImageInsight(
            layers: [
                LayerChange(index: 0, digest: "sha256:musl", sizeBytes: 2_690_000, added: 272, changed: 0, deleted: 0),
                LayerChange(index: 1, digest: "sha256:base", sizeBytes: 4_470_000, added: 1, changed: 0, deleted: 0),
            ],
            waste: WasteAnalysis(efficiency: 1, wastedBytes: 0, userWastedPercent: 0, layerBytes: [2_690_000, 4_470_000], inefficiencies: []),
            secrets: [], compressed: CompressedSizes(source: .estimated, layers: [1_481_279, 2_170_000]))
        // Both read for packages: the scratch image has no database, the Alpine-like one two apk packages.
        let app = GoBinary(
            path: "/app", goVersion: "go1.19.8", mainPath: "example.com/gohttp",
            mainModule: GoBinary.Module(path: "example.com/gohttp", version: "(devel)"),
            modules: [],
            settings: [
                GoBinary.Setting(key: "-ldflags", value: "-s -w"), GoBinary.Setting(key: "CGO_ENABLED", value: "0"),
                GoBinary.Setting(key: "GOARCH", value: "amd64"), GoBinary.Setting(key: "GOOS", value: "linux"),
            ])
        withInsight.insight?.goBinaries = [app]
        alpineWithInsight.insight?.goBinaries = [app]
        alpineWithInsight.insight?.packages = PackageAnalysis(
            manager: "apk",
            packages: [
                InstalledPackage(name: "musl", version: "1.2.4-r2", layer: 0, declaredBytes: 643_072, bytes: 1_900_000, files: 2),
                InstalledPackage(name: "busybox", version: "1.36.1-r5", layer: 0, declaredBytes: 950_272, bytes: 790_000, files: 1),
            ],
            unownedBytes: 4_470_000, unownedFiles: [PackageAnalysis.PathBytes(path: "/app", bytes: 4_470_000)],
            layers: [PackageAnalysis.LayerPackages(index: 0, packages: 2, bytes: 2_690_000)])
        return RunReport(runs: [run], results: [alpineWithInsight, withInsight, dynamic, failed])
    }

    public static func baseline() -> RunSnapshot {
        var candidate = report()
        var run = candidate.runs[0]
        run.id = 2
        run.startedAt = Sample.date.addingTimeInterval(-86_400)
        candidate.results = candidate.results.map { r in
            var r = r
            r.runID = 2
            if r.name == "linking=static,runtime=alpine" {
                r.image?.sizeBytes = 7_000_000
                r.builds =
                    Sample.withSteps(Sample.builds(.cold, [9.1, 9.3, 9.0]))
                    + Sample.withSteps(Sample.builds(.warm, [0.40, 0.41, 0.43]), cached: Sample.goInstructions)
                    + Sample.withSteps(Sample.builds(.edit, [11.0, 11.4, 11.2]), cached: ["WORKDIR /src"])
            }
            if r.name == "linking=dynamic,runtime=debian" {
                r.status = .ok
                r.problem = nil
                r.image = ImageFacts(ref: "x", id: "sha256:dd", sizeBytes: 122_000_000, layers: 2)
            }
            return r
        }
        candidate.results.removeAll { $0.name == "linking=static,runtime=scratch" }
        candidate.results.append(VariantResult(runID: 2, scenario: "go-http", axes: [AxisChoice(axis: "linking", value: "old")], status: .ok))
        return RunSnapshot(run: run, results: candidate.results)
    }

    public static func comparison() -> Comparison {
        let report = report()
        return Comparison.compare(baseline: baseline(), candidate: RunSnapshot(run: report.runs[0], results: report.results))
    }

    public static func trends() -> [String: [HistorySeries]] {
        func points(_ values: [Double?]) -> [HistoryPoint] {
            values.enumerated().map { HistoryPoint(runID: Int64($0.offset + 1), startedAt: Sample.date, value: $0.element, status: .ok) }
        }
        return [
            "go-http": [
                HistorySeries(
                    scenario: "go-http", variant: "linking=static,runtime=scratch", metric: .size, points: points([4_400_000, 4_472_832, 4_472_832])),
                HistorySeries(
                    scenario: "go-http", variant: "linking=static,runtime=alpine", metric: .size, points: points([7_000_000, 7_000_000, 7_160_000])),
                HistorySeries(scenario: "go-http", variant: "linking=static,runtime=scratch", metric: .cold, points: points([3.5, nil, 3.71])),
            ]
        ]
    }

}
