import Foundation
import ImageBenchCore
import ImageBenchDocker
import ImageBenchTestSupport
import Testing

/// The engine stops answering in each stage of a variant's life, with a scripted docker: the variant
/// stays unfinished, the builds finished before are kept, and no verdict is invented for the image.
@Suite("Engine loss in every stage")
struct EngineLossTests {
    typealias Recorder = BenchmarkRunnerTests.Recorder

    /// A scripted engine that builds, inspects, saves and runs images as a healthy one does, until the
    /// command `stop` names stops it.
    static func engine(stop: (prefix: [String], containing: String?, occurrence: Int), smoke: CommandResult? = nil) async -> FakeExecutor {
        let fake = FakeExecutor()
        await fake.on(["build"]) { c in
            FakeExecutor.writeIID(c, "sha256:aaa")
            return CommandResult(exitCode: 0, stdout: "Sending build context to Docker daemon  1.48kB\n", seconds: 0.2)
        }
        await fake.on(["image", "inspect"]) { _ in CommandResult(exitCode: 0, stdout: BenchmarkRunnerTests.inspect) }
        await fake.on(["save"]) { _ in CommandResult(exitCode: 0, stdout: BenchmarkRunnerTests.save) }
        await fake.on(["run"]) { _ in smoke ?? CommandResult(exitCode: 0, stdout: "ok\n", seconds: 0.3) }
        await fake.on(["version"]) { _ in CommandResult(exitCode: 0, stdout: "20.10.24\n") }
        await fake.stopEngine(at: stop.prefix, containing: stop.containing, occurrence: stop.occurrence)
        return fake
    }

    /// Two variants, on a base image when `base`; the edit phase when `edit`.
    static func scenario(in dir: String, base: Bool = false) throws -> Scenario {
        try writeFiles(
            [
                "scenario.yaml": """
                axes:
                  v:
                    one: {}
                    two: {}
                smoke: { expect-output: ok, timeout: 2s }
                edit: main.go
                """,
                "Dockerfile": base ? "FROM imagebench-local/musl-busybox:1\n" : "FROM scratch\n", "main.go": "package main",
            ], under: dir)
        return try ScenarioLoader().load(path: dir)
    }

    struct Outcome {
        var lost: EngineLost
        var finished: [Int64: VariantResult]
        var builds: [(Int64, BuildRecord)]
    }

    /// Runs the scenario until the engine stops; the run must end with EngineLost.
    static func lose(
        _ stop: (prefix: [String], containing: String?, occurrence: Int), smoke: CommandResult? = nil, base: Bool = false,
        settings: RunSettings = RunSettings(.init(repeatCount: 1, phases: [.cold]))
    ) async throws -> Outcome {
        try await withTemporaryDirectory { dir in
            let scenario = try scenario(in: dir, base: base)
            let fake = await engine(stop: stop, smoke: smoke)
            let recorder = Recorder()
            let runner = BenchmarkRunner(
                docker: DockerClient(docker: "docker", executor: fake), recorder: recorder, settings: settings, environment: Sample.environment())
            do {
                _ = try await runner.run(runID: 7, jobs: [ScenarioJob(scenario: scenario, variants: scenario.variants(), images: [])])
            } catch let lost as EngineLost {
                #expect(await fake.engineStopped, "the run stopped before the engine did")
                return Outcome(lost: lost, finished: await recorder.finished, builds: await recorder.builds)
            }
            throw EngineStillAnswers()
        }
    }

    struct EngineStillAnswers: Error {}

    /// What every loss must leave: the variant in flight unfinished, no variant finished with a verdict
    /// the engine caused, and the line naming the stage and `--resume`.
    static func checkLoss(_ outcome: Outcome, activity: EngineActivity, variant: String = "v=one", finished: Int = 0) {
        #expect(outcome.lost.activity == activity)
        #expect(outcome.lost.variant.variant == variant)
        #expect(outcome.lost.description.contains("stopped answering during \(activity) of "), "\(outcome.lost)")
        #expect(outcome.lost.description.hasSuffix("Start the engine again, then: imagebench run --resume 7"))
        #expect(outcome.finished.count == finished, "finished: \(outcome.finished.values.map(\.name))")
        #expect(outcome.finished.values.allSatisfy { $0.status == .ok }, "a verdict the engine caused: \(outcome.finished.values.map(\.status))")
        #expect(outcome.finished.values.allSatisfy { $0.name != variant }, "the variant in flight was finished")
    }

    @Test("while checking the base images: not build-failed with 'base image missing', but unfinished")
    func baseImages() async throws {
        let outcome = try await Self.lose((["image", "inspect"], "musl-busybox", 1), base: true)
        Self.checkLoss(outcome, activity: .checkingBaseImages)
        #expect(outcome.builds.isEmpty)
    }

    @Test("during a build: the build is not a result")
    func building() async throws {
        let outcome = try await Self.lose((["build"], nil, 1))
        Self.checkLoss(outcome, activity: .building(BuildKey(.cold, 1)))
        #expect(outcome.builds.isEmpty, "the build lost with the engine is not a result")
    }

    @Test("during the build that fills the cache before a warm build")
    func fillingCache() async throws {
        let outcome = try await Self.lose((["build"], nil, 1), settings: RunSettings(.init(repeatCount: 1, phases: [.warm])))
        Self.checkLoss(outcome, activity: .fillingCache)
        #expect(outcome.builds.isEmpty)
    }

    @Test("while inspecting the built image: the finished builds are kept")
    func inspecting() async throws {
        let outcome = try await Self.lose((["image", "inspect"], nil, 1), settings: RunSettings(.init(repeatCount: 2, phases: [.cold, .warm])))
        Self.checkLoss(outcome, activity: .inspecting)
        #expect(outcome.builds.map { "\($0.1.key)" } == ["cold build 1", "cold build 2", "warm build 1", "warm build 2"])
        #expect(outcome.builds.allSatisfy { $0.1.outcome == .ok })
    }

    @Test("while reading the layers (docker save): no 'could not analyse' problem, no smoke test")
    func readingLayers() async throws {
        let outcome = try await Self.lose((["save"], nil, 1))
        Self.checkLoss(outcome, activity: .readingLayers)
        #expect(outcome.builds.count == 1)
    }

    @Test("while pushing to the registry for the compressed size")
    func pushing() async throws {
        var settings = RunSettings(.init(repeatCount: 1, phases: [.cold]))
        settings.registry = "127.0.0.1:5999"
        let outcome = try await Self.lose((["push"], nil, 1), settings: settings)
        Self.checkLoss(outcome, activity: .pushing)
    }

    @Test("during the smoke test: not broken with docker's exit 125, but unfinished")
    func smokeTesting() async throws {
        let outcome = try await Self.lose((["run"], nil, 1))
        Self.checkLoss(outcome, activity: .smokeTesting)
        #expect(outcome.builds.count == 1, "the build finished before the smoke test is kept")
    }

    @Test("while removing a smoke container that timed out")
    func cleaningUp() async throws {
        let hung = CommandResult(exitCode: nil, seconds: 2, timedOut: true)
        let outcome = try await Self.lose((["rm", "--force"], nil, 1), smoke: hung)
        Self.checkLoss(outcome, activity: .cleaningUp)
    }

    @Test("between two variants: the first is finished, the second is not begun as build-failed")
    func betweenVariants() async throws {
        // The second variant's first command is its base-image check.
        let outcome = try await Self.lose((["image", "inspect"], "musl-busybox", 2), base: true)
        Self.checkLoss(outcome, activity: .checkingBaseImages, variant: "v=two", finished: 1)
        #expect(outcome.lost.finishedElsewhere == 1)
        #expect(outcome.finished.values.first?.smoke?.ok == true)
    }

    @Test("a smoke test that fails while the engine still answers is the image's failure")
    func brokenImageIsBroken() async throws {
        try await withTemporaryDirectory { dir in
            let scenario = try Self.scenario(in: dir)
            let fake = await Self.engine(
                stop: (["never"], nil, 1), smoke: CommandResult(exitCode: 1, stderr: "exec /app: no such file or directory", seconds: 0.1))
            let runner = BenchmarkRunner(
                docker: DockerClient(docker: "docker", executor: fake), recorder: Recorder(),
                settings: RunSettings(.init(repeatCount: 1, phases: [.cold])), environment: Sample.environment())
            let results = try await runner.run(runID: 1, jobs: [ScenarioJob(scenario: scenario, variants: scenario.variants(), images: [])])
            #expect(results.map(\.status) == [.broken, .broken])
            #expect(results[0].problem == "smoke test failed: exit 1, expected 0: exec /app: no such file or directory")
            // Asked once per failed smoke test whether the engine still answers.
            #expect(await fake.calls.filter { $0.arguments.first == "version" }.count == 2)
        }
    }
}
