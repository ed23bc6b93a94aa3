import Foundation
import ImageBenchCore
import ImageBenchDocker
import ImageBenchStore
import ImageBenchTestSupport
import Synchronization
import Testing

/// Starting and resuming runs, with scripted engines and a real SQLite file.
@Suite("Run launcher")
struct RunLauncherTests {
    /// Engines at `tcp://a:2375` and `tcp://b:2375` that answer as docker 20.10 on host `ci-1` does,
    /// except the ones in `dead`; `server` is the version they report.
    static func engines(dead: Set<String> = [], server: String = "20.10.24") async -> FakeExecutor {
        let fake = FakeExecutor()
        for host in ["tcp://a:2375", "tcp://b:2375"] {
            if dead.contains(host) {
                await fake.on(["--host", host]) { _ in CommandResult(exitCode: 1, stderr: FakeExecutor.noEngine) }
                continue
            }
            await fake.on(["--host", host, "version"]) { _ in
                CommandResult(exitCode: 0, stdout: #"{"Client":{"Version":"20.10.24"},"Server":{"Version":"\#(server)"}}"#)
            }
            await fake.on(["--host", host, "info"]) { _ in
                CommandResult(exitCode: 0, stdout: #"{"Driver":"overlay2","NCPU":2,"MemTotal":24000000000,"Name":"ci-1","KernelVersion":"6.1.0"}"#)
            }
            await fake.on(["--host", host, "build"]) { c in
                FakeExecutor.writeIID(c, "sha256:aaa")
                return CommandResult(exitCode: 0, seconds: 0.2)
            }
            await fake.on(["--host", host, "image", "inspect"]) { _ in CommandResult(exitCode: 0, stdout: BenchmarkRunnerTests.inspect) }
            await fake.on(["--host", host, "save"]) { _ in CommandResult(exitCode: 0, stdout: BenchmarkRunnerTests.save) }
            await fake.on(["--host", host, "run"]) { _ in CommandResult(exitCode: 0, stdout: "ok\n") }
        }
        await fake.on(["-C"]) { c in
            // git rev-parse --abbrev-ref HEAD, and git log -1 in GitRepository.logFormat: SHA, committer date, subject.
            CommandResult(exitCode: 0, stdout: c.arguments.contains("--abbrev-ref") ? "main\n" : "0123abcd\u{1f}1790000000\u{1f}Add the app\n")
        }
        return fake
    }

    static func jobs(in dir: String) throws -> [ScenarioJob] {
        try writeFiles(
            [
                "s/scenario.yaml": "axes:\n  v:\n    one: {}\n    two: {}\nsmoke: { expect-output: ok }\n", "s/Dockerfile": "FROM scratch\n",
            ], under: dir)
        let (jobs, _) = try ScenarioSelection(paths: [dir + "/s"]).load()
        return jobs
    }

    /// The notes and warnings a launcher reported, in order.
    final class Events: Sendable {
        private let lines = Mutex<(notes: [String], warnings: [String])>(([], []))
        var notes: [String] { lines.withLock { $0.notes } }
        var warnings: [String] { lines.withLock { $0.warnings } }

        func add(_ event: RunEvent) {
            lines.withLock { lines in
                switch event {
                case .note(let text): lines.notes.append(text)
                case .warning(let text): lines.warnings.append(text)
                default: break
                }
            }
        }
    }

    static func launcher(_ fake: FakeExecutor, events: Events) -> RunLauncher {
        RunLauncher(clients: EngineClients(executor: fake), events: { events.add($0) })
    }

    @Test(
        "an axis value naming an engine: its variants build there and only there; a named engine that does not answer skips its variants, naming it")
    func namedEngines() async throws {
        try await withTemporaryStore { store, _ in
            try await withTemporaryDirectory { dir in
                try writeFiles(
                    [
                        "s/scenario.yaml": """
                        axes:
                          engine:
                            a: { host: "tcp://a:2375" }
                            b: { host: "tcp://b:2375" }
                            own: {}
                        smoke: { expect-output: ok }
                        """,
                        "s/Dockerfile": "FROM scratch\n",
                    ], under: dir)
                let (jobs, _) = try ScenarioSelection(paths: [dir + "/s"]).load()
                let events = Events()
                let launcher = Self.launcher(await Self.engines(dead: ["tcp://b:2375"]), events: events)
                // The run's own engine is tcp://a too: named engines are reached apart from the run's own.
                let settings = RunSettings(.init(repeatCount: 1, phases: [.cold], hosts: ["tcp://a:2375"]))
                let run = try await launcher.start(NewRun(jobs: jobs, labels: [:], settings: settings)) { store }
                #expect(run.engines.map(\.named) == [nil, .host("tcp://a:2375")])
                #expect(run.unavailableEngines.keys.map(\.description) == ["tcp://b:2375"])
                let results = try await launcher.execute(run)
                let byName = Dictionary(uniqueKeysWithValues: results.map { ($0.name, $0) })
                #expect(byName["engine=a"]?.status == .ok && byName["engine=own"]?.status == .ok)
                #expect(byName["engine=b"]?.status == .skipped)
                #expect(
                    byName["engine=b"]?.problem?.hasPrefix("its engine tcp://b:2375 does not answer") == true, "\(byName["engine=b"]?.problem ?? "")")
                #expect(byName["engine=b"]?.problem?.contains("scripts/engine start modern") == true)
                #expect(try await store.results(runID: run.id).first { $0.name == "engine=b" }?.status == .skipped)
            }
        }
    }

    @Test("a new run: an engine that does not answer is left out with a warning; the run records its engines, scenarios, git and settings")
    func startLeavesOutDeadEngine() async throws {
        try await withTemporaryStore { store, _ in
            try await withTemporaryDirectory { dir in
                let events = Events()
                let launcher = Self.launcher(await Self.engines(dead: ["tcp://b:2375"]), events: events)
                let settings = RunSettings(.init(repeatCount: 2, phases: [.cold], hosts: ["tcp://a:2375", "tcp://b:2375"]))
                let run = try await launcher.start(NewRun(jobs: try Self.jobs(in: dir), labels: ["branch": "main"], settings: settings)) { store }
                #expect(run.engines.map(\.record.endpoint) == ["tcp://a:2375"])
                let warnings = events.warnings
                #expect(warnings.count == 1 && warnings[0].hasPrefix("leaving out an engine that does not answer"), "\(warnings)")
                let stored = try #require(try await store.run(id: run.id))
                #expect(stored.status == .running && stored.labels == ["branch": "main"])
                #expect(stored.plan == RunPlan(variants: ["s": ["v=one", "v=two"]], settings: settings))
                #expect(stored.environment.allEngines.map(\.endpoint) == ["tcp://a:2375"])
                #expect(stored.environment.dockerServer == "20.10.24" && stored.environment.host == "ci-1")
                #expect(stored.scenarios.map(\.gitCommit) == ["0123abcd"] && stored.scenarios.map(\.gitBranch) == ["main"])
                #expect(
                    stored.scenarios.map(\.gitSubject) == ["Add the app"]
                        && stored.scenarios.map(\.gitDate) == [Date(timeIntervalSince1970: 1_790_000_000)])

                let results = try await launcher.execute(run)
                #expect(results.map(\.status) == [.ok, .ok])
                #expect(try await store.run(id: run.id)?.status == .complete)
            }
        }
    }

    @Test("a new run with no engine answering opens no database")
    func startWithoutEngine() async throws {
        await withTemporaryDirectory { dir in
            let launcher = Self.launcher(await Self.engines(dead: ["tcp://a:2375"]), events: Events())
            let opened = OpenCount()
            await #expect(throws: DockerError.self) {
                _ = try await launcher.start(
                    NewRun(jobs: try Self.jobs(in: dir), settings: RunSettings(.init(hosts: ["tcp://a:2375"])))
                ) {
                    opened.increment()
                    return try ResultStore(path: dir + "/never.sqlite")
                }
            }
            #expect(opened.value == 0)
            #expect(!FileManager.default.fileExists(atPath: dir + "/never.sqlite"))
        }
    }

    final class OpenCount: Sendable {
        private let count = Mutex(0)
        var value: Int { count.withLock { $0 } }
        func increment() { count.withLock { $0 += 1 } }
    }

    /// A run stopped after its first variant, as `--resume` finds it.
    static func stoppedRun(in store: ResultStore, dir: String, fake: FakeExecutor) async throws -> Int64 {
        let launcher = Self.launcher(fake, events: Events())
        let settings = RunSettings(.init(repeatCount: 1, phases: [.cold], hosts: ["tcp://a:2375"]))
        let run = try await launcher.start(NewRun(jobs: try Self.jobs(in: dir), settings: settings)) { store }
        let first = try await store.beginVariant(runID: run.id, scenario: "s", axes: [AxisChoice(axis: "v", value: "one")])
        var done = VariantResult(runID: run.id, scenario: "s", axes: [AxisChoice(axis: "v", value: "one")], status: .ok)
        done.builds = Sample.builds(.cold, [1.5])
        for build in done.builds { try await store.record(build: build, variantID: first) }
        try await store.finishVariant(id: first, result: done)
        try await store.finishRun(id: run.id, status: .failed)
        return run.id
    }

    @Test("resume: the run's own settings and engines, its finished variant kept; the rest built; then complete")
    func resume() async throws {
        try await withTemporaryStore { store, _ in
            try await withTemporaryDirectory { dir in
                let fake = await Self.engines()
                let id = try await Self.stoppedRun(in: store, dir: dir, fake: fake)
                let events = Events()
                let launcher = Self.launcher(fake, events: events)
                let run = try #require(try await launcher.resume(id, in: store))
                #expect(run.settings == RunSettings(.init(repeatCount: 1, phases: [.cold], hosts: ["tcp://a:2375"])))
                #expect(Array(run.prior.keys) == [VariantKey(scenario: "s", variant: "v=one")])
                #expect(try await store.run(id: id)?.status == .running)
                let results = try await launcher.execute(run)
                #expect(results.map(\.name) == ["v=one", "v=two"] && results.allSatisfy { $0.status == .ok })
                #expect(results[0].samples(.cold) == [1.5], "the finished variant is kept as it was")
                #expect(try await store.run(id: id)?.status == .complete)
                #expect(events.notes.contains("resuming run \(id): 1 of 2 variants finished; building the rest"))

                // Once complete, there is nothing to resume.
                #expect(try await launcher.resume(id, in: store) == nil)
                #expect(events.notes.contains("run \(id) is complete; nothing to resume"))
            }
        }
    }

    @Test("resume refuses: a run not in the database, one without a plan, a changed scenario, another engine")
    func resumeRefusals() async throws {
        try await withTemporaryStore { store, path in
            try await withTemporaryDirectory { dir in
                let fake = await Self.engines()
                let launcher = Self.launcher(fake, events: Events())
                do {
                    _ = try await launcher.resume(42, in: store)
                    Issue.record("run 42 does not exist")
                } catch let error as RequestError {
                    #expect(error.reason == .runNotFound && error.message == "run 42 is not in \(path); `imagebench runs` lists the runs it holds")
                }

                let old = try await store.importRun(
                    RunRecord(startedAt: Sample.date, status: .failed, environment: Sample.environment()), results: [])
                do {
                    _ = try await launcher.resume(old, in: store)
                    Issue.record("a run without a plan cannot be resumed")
                } catch let error as RequestError {
                    #expect(error.reason == .notResumable)
                }

                let id = try await Self.stoppedRun(in: store, dir: dir, fake: fake)
                let elsewhere = Self.launcher(await Self.engines(server: "24.0.7"), events: Events())
                do {
                    _ = try await elsewhere.resume(id, in: store)
                    Issue.record("another engine version must be refused")
                } catch let error as RequestError {
                    #expect(error.reason == .otherEnvironment)
                    #expect(error.message.contains("docker server: 20.10.24 → 24.0.7"), "\(error)")
                }

                try "FROM scratch\nLABEL changed=1\n".write(toFile: dir + "/s/Dockerfile", atomically: true, encoding: .utf8)
                do {
                    _ = try await launcher.resume(id, in: store)
                    Issue.record("a changed scenario must be refused")
                } catch let error as ScenarioError {
                    #expect(error.description.contains("changed since run \(id) started"))
                }
                #expect(try await store.run(id: id)?.status == .failed, "a refused resume changes nothing")
            }
        }
    }

    @Test("execute: a cancelled run is recorded interrupted, a lost engine failed; both say how to resume")
    func stoppedRuns() async throws {
        try await withTemporaryStore { store, path in
            try await withTemporaryDirectory { dir in
                let fake = await Self.engines()
                await fake.stopEngine(at: ["--host", "tcp://a:2375", "run"])
                let launcher = Self.launcher(fake, events: Events())
                let settings = RunSettings(.init(repeatCount: 1, phases: [.cold], hosts: ["tcp://a:2375"]))
                let run = try await launcher.start(NewRun(jobs: try Self.jobs(in: dir), settings: settings)) { store }
                do {
                    _ = try await launcher.execute(run)
                    Issue.record("the engine stopped")
                } catch let stopped as RunStopped {
                    #expect(!stopped.interrupted && stopped.cause is EngineLost)
                    #expect(stopped.description.contains("stopped answering during the smoke test of s v=one"), "\(stopped)")
                }
                #expect(try await store.run(id: run.id)?.status == .failed)
                #expect(try await store.results(runID: run.id).map(\.status) == [.pending], "the variant in flight stays unfinished")

                let again = try await Self.launcher(await Self.engines(), events: Events()).start(
                    NewRun(jobs: try Self.jobs(in: dir), settings: settings)
                ) { store }
                let task = Task {
                    withUnsafeCurrentTask { $0?.cancel() }
                    return try await launcher.execute(again)
                }
                do {
                    _ = try await task.value
                    Issue.record("the run was cancelled")
                } catch let stopped as RunStopped {
                    #expect(stopped.interrupted)
                    #expect(
                        stopped.description
                            == "run \(again.id) interrupted; its finished builds are in \(path); finish it with: imagebench run --resume \(again.id)")
                }
                #expect(try await store.run(id: again.id)?.status == .interrupted)
            }
        }
    }
}

@Suite("Run settings")
struct RunSettingsTests {
    @Test("each setting resolves once: the flag, else the stored run's, else the default")
    func resolve() {
        var stored = RunSettings()
        stored.repeatCount = 5
        stored.hosts = ["ssh://ci@b1"]
        stored.engine = .podman
        let resolved = RunSettings.resolve(.init(repeatCount: 2, phases: [.cold]), stored: stored)
        #expect(resolved.repeatCount == 2 && resolved.phases == [.cold])
        #expect(resolved.hosts == ["ssh://ci@b1"] && resolved.engine == .podman)
        #expect(resolved.jobsPerHost == RunSettings.defaults.jobsPerHost && resolved.buildTimeout == nil)
        #expect(RunSettings(.init()) == RunSettings.defaults)
        #expect(RunSettings.defaults.repeatCount == 3 && RunSettings.defaults.phases == [.cold, .warm, .edit])
    }

    @Test("a plan stored by an earlier version (flat, without hosts or engine) reads with the defaults")
    func olderPlan() throws {
        let json = #"{"variants":{"s":["v=one"]},"repeat":2,"phases":["cold"],"keep_images":false,"image_labels":{}}"#
        let plan = try JSONDecoder().decode(RunPlan.self, from: Data(json.utf8))
        #expect(plan.variants == ["s": ["v=one"]])
        #expect(plan.settings == RunSettings(.init(repeatCount: 2, phases: [.cold])))
        let again = try JSONDecoder().decode(RunPlan.self, from: JSONEncoder().encode(plan))
        #expect(again == plan)
    }
}
