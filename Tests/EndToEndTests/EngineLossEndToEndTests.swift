import Foundation
import ImageBenchDocker
import ImageBenchStore
import ImageBenchTestSupport
import Testing

/// An engine of its own (`scripts/engine`) stopped with SIGTERM or SIGKILL at the moments where a
/// stop used to turn into false verdicts: during a smoke test, during the read of an image's layers, and
/// between two variants. The run must end `failed` with exit 69 and no variant blamed for the loss, and
/// `--resume` after a restart must give what an uninterrupted run gives.
@Suite("engine loss end to end", .serialized, .enabled("needs a Docker engine and the offline base images") { await DockerEngine.hasOfflineBases() })
struct EngineLossEndToEndTests {
    enum Moment: String, CustomStringConvertible, CaseIterable {
        /// While the first variant's first build runs (a BuildKit build is `docker buildx build` there).
        case build
        /// While the first variant's smoke container runs.
        case smoke
        /// While the first variant's image streams out of `docker save`.
        case layers
        /// After the first variant finished, before the second one's first command.
        case between

        var description: String { rawValue }

        /// The variant the engine stops under, which must stay unfinished.
        var unfinished: String { self == .between ? "payload=two" : "payload=one" }
    }

    static let name = "ibloss"

    /// The moments and signals the engine is stopped at and with: every moment with TERM and with KILL, or
    /// the `moment:SIGNAL` pairs `IMAGEBENCH_TEST_STOPS` lists. `scripts/test` gives each moment one signal on
    /// 20.10 (the shutdown path once, the kill path at the rest) and kills its 26.1 engine under a buildx build
    /// and while its OCI save streams.
    static let stops: [(Moment, String)] =
        (ProcessInfo.processInfo.environment["IMAGEBENCH_TEST_STOPS"]).map {
            $0.split(separator: " ").compactMap { pair in
                let parts = pair.split(separator: ":").map(String.init)
                guard parts.count == 2, let moment = Moment(rawValue: parts[0]) else { return nil }
                return (moment, parts[1])
            }
        } ?? Moment.allCases.flatMap { [($0, "TERM"), ($0, "KILL")] }

    static func writeScenario(in dir: String) throws {
        try writeFiles(
            [
                "l/scenario.yaml": """
                images: { base: imagebench-local/musl-busybox:1 }
                build-args: { BASE: "${images.base}" }
                axes:
                  payload:
                    one: { build-args: { MB: "30" } }
                    two: { build-args: { MB: "31" } }
                smoke: { expect-output: ok, timeout: 20s }
                """,
                // 30 MB of noise: more than the socket buffers hold, so a `docker save` cut off is caught mid-stream.
                // The smoke container takes 4 s and, as a service does, exits when its engine stops it: the stop 1 s
                // into it reaches it also when a loaded machine takes seconds to shut the engine down.
                "l/Dockerfile": """
                ARG BASE
                FROM ${BASE}
                ARG MB
                RUN head -c $((MB * 1000000)) /dev/urandom > /blob && echo ok > /ok
                ENTRYPOINT ["sh", "-c", "trap 'exit 143' TERM; sleep 4 & wait; cat /ok"]

                """,
            ], under: dir)
    }

    /// A docker client that stops the engine (`kill -SIGNAL` of its pid, waiting until it is gone) at the
    /// moment, then behaves as the real client. For `layers` it holds `docker save`'s output after the
    /// first MiB, so the engine stops while imagebench is reading it.
    static func writeWrapper(in dir: String) throws -> String {
        let path = dir + "/docker-stopping-engine"
        try """
        #!/bin/bash
        set -o pipefail
        stop_engine() {
          [ -e "$IB_DIR/stopped" ] && return
          touch "$IB_DIR/stopped"
          pid=$(cat "$IB_PIDFILE")
          kill -"$IB_SIGNAL" "$pid"
          for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        }
        case "$IB_MOMENT:$1" in
        build:build | build:buildx)
          (sleep 0.3; stop_engine) >/dev/null 2>&1 &
          exec "$IB_DOCKER" "$@" ;;
        smoke:run)
          (sleep 1; stop_engine) >/dev/null 2>&1 &
          exec "$IB_DOCKER" "$@" ;;
        layers:save)
          (sleep 0.5; stop_engine) >/dev/null 2>&1 &
          "$IB_DOCKER" "$@" | { dd bs=1048576 count=1 iflag=fullblock 2>/dev/null; sleep 3; cat; }
          exit ;;
        between:image)
          if [ "$2" = inspect ] && [ -e "$IB_DIR/smoked" ] && [[ "$3" == *musl-busybox* ]]; then stop_engine; fi ;;
        esac
        [ "$1" = run ] && touch "$IB_DIR/smoked"
        exec "$IB_DOCKER" "$@"

        """.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }

    /// Variant, status, size, layers and the shape of its builds: what must equal an uninterrupted run's.
    static func shape(_ results: [[String: Any]]) -> [String] {
        results.map { r in
            let builds = (r["builds"] as? [[String: Any]] ?? []).map { "\($0["phase"] ?? "")/\($0["repetition"] ?? "")/\($0["outcome"] ?? "")" }
            let image = r["image"] as? [String: Any]
            return "\(r["variant"] ?? "") \(r["status"] ?? "") \(image?["size_bytes"] ?? "-") \(image?["layers"] ?? "-") \(builds.sorted())"
        }.sorted()
    }

    /// The same scenario run without a stop, once for all cases, on the second engine.
    actor Reference {
        static let shared = Reference()
        private var shape: [String]?

        func shape(dir: String, host: String) async throws -> [String] {
            if let shape { return shape }
            let db = dir + "/reference.sqlite"
            let r = try await imagebench(["run", dir + "/l", "--db", db, "--repeat", "1", "--phases", "cold"], environment: ["DOCKER_HOST": host])
            try #require(r.exitCode == 0, "\(r.stderr)")
            let made = EngineLossEndToEndTests.shape(try await FaultEndToEndTests.results(db).results)
            shape = made
            return made
        }
    }

    @Test(
        "the engine stops during a build, a smoke test, the layer read, between two variants (SIGTERM and SIGKILL): exit 69, run failed, no variant blamed, db ok, --resume gives an uninterrupted run's figures",
        arguments: stops)
    func engineStops(at moment: Moment, signal: String) async throws {
        try await EngineEndToEndTests.withSecondEngine(Self.name) { host in
            try await withTemporaryDirectory { dir in
                try Self.writeScenario(in: dir)
                let wrapper = try Self.writeWrapper(in: dir)
                let db = dir + "/r.sqlite"
                let stopped = try await imagebench(
                    ["run", dir + "/l", "--db", db, "--repeat", "1", "--phases", "cold", "--docker", wrapper],
                    environment: [
                        "DOCKER_HOST": host, "IB_DOCKER": DockerEngine.executable, "IB_DIR": dir, "IB_MOMENT": moment.rawValue,
                        "IB_SIGNAL": signal, "IB_PIDFILE": "/tmp/imagebench-\(Self.name)/docker.pid",
                    ])
                #expect(FileManager.default.fileExists(atPath: dir + "/stopped"), "the engine was not stopped: \(stopped.stderr)")
                #expect(stopped.exitCode == 69, "exit \(stopped.exitCode.map(String.init) ?? "signal"): \(stopped.stderr)")
                let lines = stopped.stderr.split(separator: "\n").filter { $0.hasPrefix("imagebench: error:") }
                #expect(lines.count == 1, "\(stopped.stderr)")
                #expect(lines.first?.contains("stopped answering during") == true, "\(stopped.stderr)")
                #expect(lines.first?.contains("of l \(moment.unfinished)") == true, "\(stopped.stderr)")
                #expect(lines.first?.hasSuffix("imagebench run --resume 1") == true, "\(stopped.stderr)")

                let (run, results) = try await FaultEndToEndTests.results(db)
                #expect(run["status"] as? String == "failed")
                let statuses = Dictionary(uniqueKeysWithValues: results.map { ($0["variant"] as? String ?? "", $0["status"] as? String ?? "") })
                #expect(statuses[moment.unfinished] == "pending", "\(statuses)")
                #expect(statuses.values.allSatisfy { $0 == "ok" || $0 == "pending" }, "a variant was blamed for the engine: \(statuses)")
                #expect(results.allSatisfy { $0["smoke"] == nil || $0["status"] as? String == "ok" }, "a smoke verdict without an engine")
                let check = try await imagebench(["db", "check", "--db", db])
                #expect(check.exitCode == 0 && check.stdout.contains("integrity: ok"), "\(check.stdout)\(check.stderr)")
                let keptBuilds = results.first { $0["variant"] as? String == "payload=one" }?["builds"] as? [[String: Any]]

                // Started again, the engine finishes the run; what was finished stays as it was.
                _ = try await SubprocessExecutor().run(Command(EngineEndToEndTests.secondEngine, ["stop", Self.name], timeout: 120))
                let restarted = try await SubprocessExecutor().run(
                    Command(EngineEndToEndTests.secondEngine, ["start", Self.name] + EngineEndToEndTests.defaultOptions, timeout: 300))
                try #require(restarted.succeeded, "\(restarted.stderr)")
                let resumed = try await imagebench(["run", "--resume", "1", "--db", db], environment: ["DOCKER_HOST": host])
                #expect(resumed.exitCode == 0, "\(resumed.stderr)")
                let (after, all) = try await FaultEndToEndTests.results(db)
                #expect(after["status"] as? String == "complete")
                let one = all.first { $0["variant"] as? String == "payload=one" }?["builds"] as? [[String: Any]]
                if moment == .build {
                    // The build in flight was no result; the resume built it.
                    #expect(keptBuilds?.isEmpty == true && one?.count == 1, "\(keptBuilds ?? []) then \(one ?? [])")
                } else {
                    #expect(
                        one?.map { "\($0["started_at"] ?? "")" } == keptBuilds?.map { "\($0["started_at"] ?? "")" },
                        "payload=one's finished build was built again")
                }
                #expect(Self.shape(all) == (try await Reference.shared.shape(dir: dir, host: host)))
            }
        }
    }
}
