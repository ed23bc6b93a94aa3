import Foundation
import ImageBenchCore
import ImageBenchDocker
import ImageBenchTestSupport
import Synchronization
import Testing

/// The runner's decisions, with a scripted docker: no engine needed.
@Suite("Runner logic")
struct BenchmarkRunnerTests {
    actor Recorder: RunRecording {
        var builds: [(Int64, BuildRecord)] = []
        var finished: [Int64: VariantResult] = [:]
        var next: Int64 = 0
        func beginVariant(runID: Int64, scenario: String, axes: [AxisChoice]) -> Int64 {
            next += 1
            return next
        }
        func record(build: BuildRecord, variantID: Int64) { builds.append((variantID, build)) }
        func finishVariant(id: Int64, result: VariantResult) { finished[id] = result }
    }

    static let inspect = #"[{"Id":"sha256:aaa","Size":4470000,"RootFS":{"Layers":["sha256:l1"]}}]"#
    static let save = SaveArchive.string(layers: [[("app", "binary"), ("etc/", ""), ("etc/app.conf", "a=1")]])

    func scenario(in dir: String) throws -> Scenario {
        try writeFiles(
            [
                "scenario.yaml": """
                axes:
                  runtime:
                    good: { build-args: { R: good } }
                    bad: { build-args: { R: bad } }
                    broken: { build-args: { R: broken } }
                    stale: { build-args: { R: stale } }
                expect-broken:
                  - { runtime: broken }
                  - { runtime: stale }
                smoke: { args: [selftest], expect-output: ok }
                edit: main.go
                """,
                "Dockerfile": "FROM scratch\n", "main.go": "package main",
            ], under: dir)
        return try ScenarioLoader().load(path: dir)
    }

    /// `first` scripts commands before the usual answers (the first rule that matches answers).
    func fakeDocker(first: (FakeExecutor) async -> Void = { _ in }) async -> FakeExecutor {
        let fake = FakeExecutor()
        await first(fake)
        await fake.on(["build"], containing: "R=bad") { _ in CommandResult(exitCode: 1, stderr: "step 3\nCOPY failed: no such file", seconds: 0.5) }
        await fake.on(["build"]) { c in
            // The image id names the variant, so the smoke rule below can tell the broken one apart.
            FakeExecutor.writeIID(c, c.arguments.contains("R=broken") ? "sha256:broken" : "sha256:aaa")
            return CommandResult(
                exitCode: 0, stdout: "Sending build context to Docker daemon  1.48kB\n", seconds: c.arguments.contains("--no-cache") ? 3 : 0.2)
        }
        await fake.on(["image", "inspect"]) { _ in CommandResult(exitCode: 0, stdout: Self.inspect) }
        await fake.on(["save"]) { _ in CommandResult(exitCode: 0, stdout: Self.save) }
        await fake.on(["run"], containing: "broken") { _ in CommandResult(exitCode: 1, stderr: "exec /app: no such file or directory") }
        await fake.on(["run"]) { _ in CommandResult(exitCode: 0, stdout: "ok true\n", seconds: 0.3) }
        await fake.on(["version"]) { _ in CommandResult(exitCode: 0, stdout: "20.10.24\n") }
        return fake
    }

    @Test("resuming: finished variants are kept; a begun one builds only its missing repetitions, after one cache-filling build")
    func resumeMissingRepetitions() async throws {
        try await withTemporaryDirectory { dir in
            let scenario = try scenario(in: dir)
            let fake = await fakeDocker()
            let recorder = Recorder()
            let runner = BenchmarkRunner(
                docker: DockerClient(docker: "docker", executor: fake), recorder: recorder, settings: RunSettings(.init(repeatCount: 2)),
                environment: Sample.environment())
            let variants = scenario.variants().filter { $0.name == "runtime=good" || $0.name == "runtime=stale" }
            var finished = VariantResult(runID: 9, scenario: scenario.name, axes: variants[0].axes, status: .ok)
            finished.builds = Sample.builds(.cold, [3, 3]) + Sample.builds(.warm, [0.2, 0.2]) + Sample.builds(.edit, [1, 1])
            var begun = VariantResult(runID: 9, scenario: scenario.name, axes: variants[1].axes, status: .pending)
            begun.builds = Sample.builds(.cold, [3, 3]) + Sample.builds(.warm, [0.2])
            let prior = [
                VariantKey(scenario: scenario.name, variant: "runtime=good"): StoredVariant(id: 41, result: finished),
                VariantKey(scenario: scenario.name, variant: "runtime=stale"): StoredVariant(id: 42, result: begun),
            ]
            let results = try await runner.run(runID: 9, jobs: [ScenarioJob(scenario: scenario, variants: variants, images: [])], prior: prior)
            #expect(results.map(\.status) == [.ok, .ok])
            #expect(results[0] == finished, "a finished variant is taken as it was")
            // New builds are recorded under the begun variant's own row: warm 2, edit 1, edit 2.
            let recorded = await recorder.builds
            #expect(recorded.map(\.0) == [42, 42, 42])
            #expect(recorded.map { "\($0.1.phase)/\($0.1.repetition)" } == ["warm/2", "edit/1", "edit/2"])
            #expect(results[1].builds.count == 6)
            // One unrecorded build filled the cache first; no cold build ran again.
            let builds = await fake.calls.filter { $0.arguments.first == "build" }
            #expect(builds.count == 4)
            let uncached = builds.filter { command in command.arguments.contains("--no-cache") }
            #expect(uncached.isEmpty)
            #expect(await recorder.finished[42]?.status == .ok)
        }
    }

    /// Runs `runtime=good` once on `fake`, expects its three builds ok, and returns the run's warnings.
    func runGoodVariant(_ scenario: Scenario, on fake: FakeExecutor) async throws -> [String] {
        let warnings = Mutex<[String]>([])
        let runner = BenchmarkRunner(
            docker: DockerClient(docker: "docker", executor: fake), recorder: Recorder(), settings: RunSettings(.init(repeatCount: 1)),
            environment: Sample.environment(),
            events: { event in if case .warning(let text) = event { warnings.withLock { $0.append(text) } } })
        let variants = scenario.variants().filter { $0.name == "runtime=good" }
        let results = try await runner.run(runID: 5, jobs: [ScenarioJob(scenario: scenario, variants: variants, images: [])])
        #expect(results.map(\.status) == [.ok])
        #expect(results.first?.builds.map { "\($0.phase)/\($0.outcome)" } == ["cold/ok", "warm/ok", "edit/ok"])
        return warnings.withLock { $0 }
    }

    @Test("a classic build that fails because another process removed a cached image is built again, not blamed on the variant")
    func lostCachedImage() async throws {
        try await withTemporaryDirectory { dir in
            let scenario = try scenario(in: dir)
            let lost = Mutex(1)
            let fake = await fakeDocker { fake in
                // docker 20.10's words when a child of a step's image vanished during the cache lookup.
                await fake.on(["build"], containing: "R=good") { c in
                    if lost.withLock({ n in
                        defer { n -= 1 }
                        return n > 0
                    }) {
                        return CommandResult(
                            exitCode: 1, stdout: "Step 2/3 : COPY . /app\n", stderr: #"unable to find image "sha256:156cc02488fd""#, seconds: 0.1)
                    }
                    FakeExecutor.writeIID(c, "sha256:aaa")
                    return CommandResult(exitCode: 0, seconds: 1)
                }
            }
            let said = try await runGoodVariant(scenario, on: fake)
            #expect(said.count == 1 && said[0].contains("docker lost a cached image another process removed during the build"), "\(said)")
            #expect(await fake.calls.filter { $0.arguments.first == "build" }.count == 4)
        }
    }

    @Test("an edit build whose image lost a layer's snapshot to the engine's garbage collector is edited again and built again")
    func lostSnapshot() async throws {
        try await withTemporaryDirectory { dir in
            let scenario = try scenario(in: dir)
            let lost = Mutex(1)
            let edits = Mutex<[Int]>([])
            let fake = await fakeDocker { fake in
                await fake.on(["build"], containing: "R=good") { c in
                    let source = (try? String(contentsOfFile: (c.arguments.last ?? "") + "/main.go", encoding: .utf8)) ?? ""
                    let lines = source.split(separator: "\n").count
                    edits.withLock { $0.append(lines) }
                    if lines > 1,
                        lost.withLock({ n in
                            defer { n -= 1 }
                            return n > 0
                        })
                    {
                        // dockerd 26.1 with the containerd image store, once in a CI run (stop 31).
                        return CommandResult(
                            exitCode: 1,
                            stderr:
                                #"ERROR: failed to solve: failed to prepare extraction snapshot "extract-666244560-0YrG sha256:56f0": parent snapshot sha256:120d does not exist: not found"#,
                            seconds: 4)
                    }
                    FakeExecutor.writeIID(c, "sha256:aaa")
                    return CommandResult(exitCode: 0, seconds: 1)
                }
            }
            let said = try await runGoodVariant(scenario, on: fake)
            // cold, warm (one line), the edit (two), built again after one more edit (three).
            #expect(edits.withLock { $0 } == [1, 1, 2, 3])
            #expect(said.count == 1 && said[0].contains("docker lost a layer's snapshot its garbage collector removed"), "\(said)")
        }
    }

    @Test("a build that fails because the engine went away stops the run with EngineLost; earlier variants stay recorded")
    func engineLost() async throws {
        try await withTemporaryDirectory { dir in
            let scenario = try scenario(in: dir)
            let fake = FakeExecutor()
            await fake.on(["build"], containing: "R=bad") { _ in
                CommandResult(exitCode: 1, stderr: "error during connect: read: connection reset by peer", seconds: 0.5)
            }
            await fake.on(["build"]) { c in
                FakeExecutor.writeIID(c, "sha256:aaa")
                return CommandResult(exitCode: 0, seconds: 0.2)
            }
            await fake.on(["image", "inspect"]) { _ in CommandResult(exitCode: 0, stdout: Self.inspect) }
            await fake.on(["save"]) { _ in CommandResult(exitCode: 0, stdout: Self.save) }
            await fake.on(["run"]) { _ in CommandResult(exitCode: 0, stdout: "ok true\n", seconds: 0.3) }
            await fake.on(["version"]) { _ in CommandResult(exitCode: 1, stderr: "Cannot connect to the Docker daemon") }
            let recorder = Recorder()
            let runner = BenchmarkRunner(
                docker: DockerClient(docker: "docker", executor: fake), recorder: recorder, settings: RunSettings(.init(repeatCount: 1)),
                environment: Sample.environment())
            do {
                _ = try await runner.run(runID: 4, jobs: [ScenarioJob(scenario: scenario, variants: scenario.variants(), images: [])])
                Issue.record("the run should stop")
            } catch let lost as EngineLost {
                #expect(lost.variant.variant == "runtime=bad" && lost.activity == .building(BuildKey(.cold, 1)))
                #expect(lost.description.hasSuffix("Start the engine again, then: imagebench run --resume 4"))
                #expect(lost.description.contains("connection reset by peer"))
            }
            #expect(await recorder.finished.values.map(\.name) == ["runtime=good"], "the finished variant is kept")
            #expect(await recorder.builds.allSatisfy { $0.0 == 1 }, "the build lost with the engine is not a result")
        }
    }

    @Test(
        "two engines: a begun variant goes back to its engine; when that engine is dead, the other builds the rest and the run ends with EngineLost")
    func deadEngineFailsOnlyItsVariant() async throws {
        try await withTemporaryDirectory { dir in
            let scenario = try scenario(in: dir)
            let dead = FakeExecutor()
            await dead.on(["--host", "tcp://a:2375", "build"]) { _ in CommandResult(exitCode: 1, stderr: "error during connect: EOF", seconds: 0.1) }
            await dead.on(["--host", "tcp://a:2375", "version"]) { _ in CommandResult(exitCode: 1, stderr: "Cannot connect to the Docker daemon") }
            var a = Sample.environment()
            a.endpoint = "tcp://a:2375"
            var b = Sample.environment()
            b.endpoint = "tcp://b:2375"
            let engines = [
                EngineSlot(docker: DockerClient(docker: "docker", target: .host("tcp://a:2375"), executor: dead), environment: a),
                EngineSlot(docker: DockerClient(docker: "docker", target: .host("tcp://b:2375"), executor: await fakeDocker()), environment: b),
            ]
            let recorder = Recorder()
            let runner = BenchmarkRunner(engines: engines, recorder: recorder, settings: RunSettings(.init(repeatCount: 1, phases: [.cold, .warm])))
            let variants = scenario.variants().filter { $0.name != "runtime=bad" }
            // runtime=good began on engine a: its cold build is there, so only a may finish it.
            var begun = VariantResult(runID: 5, scenario: scenario.name, axes: variants[0].axes, status: .pending)
            begun.builds = Sample.builds(.cold, [3]).map { build in
                var b = build
                b.engine = engines[0].record
                return b
            }
            do {
                _ = try await runner.run(
                    runID: 5, jobs: [ScenarioJob(scenario: scenario, variants: variants, images: [])],
                    prior: [VariantKey(scenario: scenario.name, variant: "runtime=good"): StoredVariant(id: 40, result: begun)])
                Issue.record("the run should end with EngineLost")
            } catch let lost as EngineLost {
                #expect(lost.variant.variant == "runtime=good" && lost.engine == "tcp://a:2375")
                #expect(lost.finishedElsewhere == 2)
                #expect(lost.description.contains("the engine tcp://a:2375 stopped answering") && lost.description.contains("(2 variants finished)"))
            }
            let finished = await recorder.finished.values
            #expect(Set(finished.map(\.name)) == ["runtime=broken", "runtime=stale"])
            #expect(finished.allSatisfy { $0.engine?.endpoint == "tcp://b:2375" })
            #expect(await recorder.builds.allSatisfy { $0.1.engine?.endpoint == "tcp://b:2375" })
            #expect(await recorder.finished[40] == nil, "the lost variant stays unfinished for --resume")
        }
    }

    @Test("every build is recorded; a failed build does not stop the other variants")
    func statuses() async throws {
        try await withTemporaryDirectory { dir in
            let scenario = try scenario(in: dir)
            let fake = await fakeDocker()
            let recorder = Recorder()
            var environment = Sample.environment()
            environment.dockerPath = "docker"
            let runner = BenchmarkRunner(
                docker: DockerClient(docker: "docker", executor: fake), recorder: recorder,
                settings: RunSettings(.init(repeatCount: 2)), environment: environment)
            let results = try await runner.run(runID: 1, jobs: [ScenarioJob(scenario: scenario, variants: scenario.variants(), images: [])])
            #expect(results.map(\.name) == ["runtime=good", "runtime=bad", "runtime=broken", "runtime=stale"])
            #expect(results.map(\.status) == [.ok, .buildFailed, .expectedBroken, .ok])

            let good = results[0]
            #expect(good.samples(.cold) == [3, 3])
            #expect(good.samples(.warm) == [0.2, 0.2])
            #expect(good.samples(.edit) == [0.2, 0.2])
            let folder = (dir as NSString).lastPathComponent.lowercased()
            // The size is what the layer read holds (9 bytes of files); docker's .Size is kept beside it.
            let expected = ImageFacts(
                ref: "imagebench/\(folder):r1-runtime-good-\(runner.session)", id: "sha256:aaa", sizeBytes: 9, layers: 1,
                engineSize: EngineSize(bytes: 4_470_000, meaning: .unpacked, diskBytes: 4_470_000, store: .graphDriver))
            #expect(good.image == expected)
            #expect(good.contextBytes == 1480)
            #expect(good.smoke == SmokeResult(ok: true, exitCode: 0, seconds: 0.3, output: "ok true"))
            #expect(good.problem == nil)
            #expect(good.insight?.layers.map(\.sizeBytes) == [9])
            #expect(good.insight?.layers.first?.digest == "sha256:l1")
            #expect(good.insight?.layers.first?.added == 2)

            let bad = results[1]
            #expect(bad.builds.count == 1)
            #expect(bad.builds[0].outcome == .failed)
            #expect(bad.builds[0].outputTail == "step 3\nCOPY failed: no such file")
            #expect(bad.problem == "cold build 1 failed (exit 1): COPY failed: no such file")

            #expect(results[2].smoke?.output == "exec /app: no such file or directory")
            #expect(results[3].problem?.contains("scenario.yaml:9: expect-broken { runtime: stale } is stale") == true)

            let recorded = await recorder.builds
            let expectedBuilds = 19  // 3 phases x 2 repetitions for good, broken and stale; 1 failed cold build for bad
            #expect(recorded.count == expectedBuilds)
            #expect(await recorder.finished.count == 4)
            // The user's files are never changed by the edit phase.
            #expect(try String(contentsOfFile: dir + "/main.go", encoding: .utf8) == "package main")
        }
    }

    @Test("the edit phase appends a different comment before each build, in the scratch copy")
    func editAppends() async throws {
        try await withTemporaryDirectory { dir in
            let scenario = try scenario(in: dir)
            let fake = FakeExecutor()
            await fake.on(["build"]) { c in
                FakeExecutor.writeIID(c, "sha256:aaa")
                let context = c.arguments.last!
                let text = (try? String(contentsOfFile: context + "/main.go", encoding: .utf8)) ?? ""
                return CommandResult(exitCode: 0, stdout: text, seconds: 1)
            }
            await fake.on(["image", "inspect"]) { _ in CommandResult(exitCode: 0, stdout: Self.inspect) }
            await fake.on(["save"]) { _ in CommandResult(exitCode: 0, stdout: Self.save) }
            await fake.on(["run"]) { _ in CommandResult(exitCode: 0, stdout: "ok") }
            let runner = BenchmarkRunner(
                docker: DockerClient(docker: "docker", executor: fake), recorder: Recorder(),
                settings: RunSettings(.init(repeatCount: 2, phases: [.edit])), environment: Sample.environment())
            _ = try await runner.run(runID: 1, jobs: [ScenarioJob(scenario: scenario, variants: [scenario.variants()[0]], images: [])])
            // With the edit phase alone, one unrecorded build of the unedited context fills the cache first.
            let builds = await fake.calls.filter { $0.arguments.first == "build" }
            #expect(builds.count == 3)
            let uncached = builds.filter { command in command.arguments.contains("--no-cache") }
            #expect(uncached.isEmpty)
        }
    }

    @Test("a variant asking for BuildKit from a client without it is skipped with the fix, others go on")
    func buildkitMissing() async throws {
        try await withTemporaryDirectory { dir in
            try writeFiles(
                ["scenario.yaml": "axes:\n  b:\n    bk: { builder: buildkit }\n    classic: { builder: classic }\n", "Dockerfile": "FROM scratch\n"],
                under: dir)
            let scenario = try ScenarioLoader().load(path: dir)
            let fake = await fakeDocker()
            let runner = BenchmarkRunner(
                docker: DockerClient(docker: "docker", executor: fake), recorder: Recorder(),
                settings: RunSettings(.init(repeatCount: 1, phases: [.cold])), environment: Sample.environment())
            let results = try await runner.run(runID: 1, jobs: [ScenarioJob(scenario: scenario, variants: scenario.variants(), images: [])])
            #expect(results.map(\.status) == [.skipped, .ok])
            #expect(results[0].problem?.contains("has no BuildKit") == true)
            #expect(!results[0].isUnexpected && results[0].builds.isEmpty)
        }
    }
}

@Suite("Runner cancellation")
struct BenchmarkRunnerCancellationTests {
    @Test("a cancelled run stops at once, records no build for the one in flight, and still removes its images")
    func cancel() async throws {
        try await withTemporaryDirectory { dir in
            try writeFiles(["scenario.yaml": "axes:\n  a:\n    one: {}\n    two: {}\n", "Dockerfile": "FROM scratch\n"], under: dir)
            let scenario = try ScenarioLoader().load(path: dir)
            let fake = FakeExecutor()
            let recorder = BenchmarkRunnerTests.Recorder()
            await fake.on(["build"]) { c in
                FakeExecutor.writeIID(c, "sha256:first")
                return CommandResult(exitCode: 0, seconds: 1)
            }
            await fake.on(["image", "ls"]) { _ in CommandResult(exitCode: 0, stdout: "sha256:first\n") }
            let runner = BenchmarkRunner(
                docker: DockerClient(docker: "docker", executor: fake), recorder: recorder,
                settings: RunSettings(.init(repeatCount: 3, phases: [.cold])), environment: Sample.environment(),
                events: { event in
                    // Cancel while the second build is "running".
                    if case .buildStarted(_, 2, _) = event { withUnsafeCurrentTask { $0?.cancel() } }
                })
            await #expect(throws: CancellationError.self) {
                _ = try await runner.run(runID: 1, jobs: [ScenarioJob(scenario: scenario, variants: scenario.variants(), images: [])])
            }
            #expect(await recorder.builds.count == 1)
            let calls = await fake.calls.map { $0.arguments.prefix(2).joined(separator: " ") }
            #expect(calls.filter { $0 == "build --no-cache" }.count == 2)
            #expect(calls.suffix(2) == ["image ls", "image rm"])
        }
    }
}
