import Foundation
import ImageBenchCore
import ImageBenchDocker
import ImageBenchStore
import ImageBenchTestSupport
import Testing

/// `smoke.http` on the real engine, with busybox's httpd as the service: the time to the first good
/// answer, a service that exits, a wrong status, and no container left.
@Suite(
    "HTTP smoke test end to end", .serialized, .enabled("needs a Docker engine and the offline base images") { await DockerEngine.hasOfflineBases() })
struct HTTPSmokeEndToEndTests {
    @Test("a service 1 s slower to listen starts 1 s later; an exit names its code and log line; a wrong status names both; nothing is left")
    func services() async throws {
        try await withTemporaryDirectory { dir in
            try writeFiles(
                [
                    "s/scenario.yaml": """
                    axes:
                      kind:
                        quick: {}
                        slow: { build-args: { DELAY: "1" } }
                        exits: { build-args: { CODE: "3" } }
                        teapot: { build-args: { PATH_OK: "elsewhere" } }
                    smoke:
                      http: { port: 8080, path: /healthz, expect-body: ok }
                      timeout: 4s
                    """,
                    "s/Dockerfile": """
                    FROM imagebench-local/musl-busybox:1
                    ARG DELAY=0
                    ARG CODE=0
                    ARG PATH_OK=healthz
                    RUN mkdir -p /www && echo ok > /www/$PATH_OK
                    ENV DELAY=${DELAY} CODE=${CODE}
                    CMD ["sh", "-c", "sleep $DELAY; if [ $CODE != 0 ]; then echo boom; exit $CODE; fi; exec httpd -f -p 8080 -h /www"]
                    """,
                ], under: dir)
            let db = dir + "/r.sqlite"
            let mine = "imagebench.test.http=\(UUID().uuidString)"
            let r = try await imagebench([
                "run", dir + "/s", "--db", db, "--phases", "cold", "--repeat", "3", "--image-label", "imagebench.test=1", "--image-label", mine,
            ])
            #expect(r.exitCode == 3, "\(r.stderr)")
            let snapshot = try #require(try await ResultStore(path: db).snapshot(runID: 1))
            func result(_ kind: String) throws -> VariantResult { try #require(snapshot.results.first { $0.name == "kind=\(kind)" }) }
            let quick = try result("quick")
            let slow = try result("slow")
            #expect(quick.status == .ok && slow.status == .ok, "\(quick.problem ?? "") \(slow.problem ?? "")")
            // The start metric: three new containers each, timed from docker run to the first answer.
            #expect(
                quick.start?.samples.count == 3 && slow.start?.samples.count == 3,
                "\(String(describing: quick.start)) \(String(describing: slow.start))")
            let delta = try #require(Metric.start.value(of: slow)) - (try #require(Metric.start.value(of: quick)))
            #expect(abs(delta - 1) < 0.3, "the slow service started \(delta) s later")
            #expect((quick.smoke?.memoryBytes ?? 0) > 0, "memory in use after the first answer")
            // history and compare read the start metric back from the file.
            let history = try await imagebench(["history", "s", "--db", db, "--metric", "start", "--variant", "kind=slow"])
            #expect(history.exitCode == 0, "\(history.stderr)")
            #expect(
                history.stdout.hasPrefix("s · start (median seconds from `docker run` to the service's first expected answer)"), "\(history.stdout)")
            let median = try #require(Metric.start.value(of: slow))
            #expect(history.stdout.contains(String(format: "%.2f", median)), "the slow service's median start: \(history.stdout)")

            let exits = try result("exits")
            #expect(exits.status == .broken && exits.smoke?.exitCode == 3)
            #expect(exits.problem == "smoke test failed: the container exited with code 3 before answering: boom", "\(exits.problem ?? "")")
            #expect(exits.start == nil && exits.smoke?.memoryBytes == nil)
            let teapot = try result("teapot")
            #expect(teapot.status == .broken)
            #expect(teapot.problem?.contains("GET /healthz: status 404, expected 200") == true, "\(teapot.problem ?? "")")
            let left = try await DockerEngine.output([
                "ps", "--all", "--quiet", "--filter", "label=\(mine)",
            ])
            #expect(left.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "containers left: \(left)")
        }
    }

    @Test("Ctrl-C while a service is polled: exit 130, its container removed")
    func interrupted() async throws {
        try await withTemporaryDirectory { dir in
            try writeFiles(
                [
                    "s/scenario.yaml": "smoke:\n  http: { port: 8080, path: /never }\n  timeout: 60s\n",
                    "s/Dockerfile":
                        "FROM imagebench-local/musl-busybox:1\nRUN mkdir -p /www\nCMD [\"httpd\", \"-f\", \"-p\", \"8080\", \"-h\", \"/www\"]\n",
                ], under: dir)
            let mine = "imagebench.test.http=\(UUID().uuidString)"
            // Job control on: the run does not start with SIGINT ignored. The signal goes once its container runs.
            let script = """
                set -m
                "$0" run "\(dir)/s" --db "\(dir)/r.sqlite" --phases cold --repeat 1 --image-label imagebench.test=1 --image-label "\(mine)" >/dev/null 2>"\(dir)/err" &
                pid=$!
                for i in $(seq 1 300); do [ -n "$(\(DockerEngine.executable) ps --quiet --filter label=\(mine))" ] && break; sleep 0.1; done
                sleep 1
                kill -INT $pid
                wait $pid
                echo $?
                """
            let r = try await SubprocessExecutor().run(Command("/bin/bash", ["-c", script, PackagePaths.binary], timeout: 120))
            let stderr = (try? String(contentsOfFile: dir + "/err", encoding: .utf8)) ?? ""
            #expect(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "130", "\(r.stdout) \(stderr)")
            let left = try await DockerEngine.output(["ps", "--all", "--quiet", "--filter", "label=\(mine)"])
            #expect(left.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "containers left: \(left)")
        }
    }

    @Test("an engine on another machine (tcp://): the service is reached at its address on the engine's network, not published")
    func remoteEngine() async throws {
        try await withTemporaryDirectory { dir in
            try writeFiles(
                [
                    "s/scenario.yaml": "smoke:\n  http: { port: 8080, path: /healthz, expect-body: ok }\n  timeout: 10s\n",
                    "s/Dockerfile":
                        "FROM imagebench-local/musl-busybox:1\nRUN mkdir -p /www && echo ok > /www/healthz\nCMD [\"httpd\", \"-f\", \"-p\", \"8080\", \"-h\", \"/www\"]\n",
                    // The engine's socket over TCP, as a remote engine is reached: a byte forwarder.
                    "forward.py": """
                    import socket, sys, threading
                    server = socket.socket()
                    server.bind(("127.0.0.1", 0))
                    server.listen(64)
                    print(server.getsockname()[1], flush=True)
                    def pipe(a, b):
                        try:
                            while data := a.recv(65536):
                                b.sendall(data)
                        except OSError:
                            pass
                        try:
                            b.shutdown(socket.SHUT_WR)
                        except OSError:
                            pass
                    while True:
                        client, _ = server.accept()
                        engine = socket.socket(socket.AF_UNIX)
                        engine.connect(sys.argv[1])
                        threading.Thread(target=pipe, args=(client, engine), daemon=True).start()
                        threading.Thread(target=pipe, args=(engine, client), daemon=True).start()
                    """,
                ], under: dir)
            let mine = "imagebench.test.http=\(UUID().uuidString)"
            let script = """
                python3 "\(dir)/forward.py" /var/run/docker.sock > "\(dir)/port" &
                forwarder=$!
                trap 'kill $forwarder' EXIT
                for i in $(seq 1 50); do [ -s "\(dir)/port" ] && break; sleep 0.1; done
                "$0" run "\(dir)/s" --db "\(dir)/r.sqlite" --phases cold --repeat 1 --host "tcp://127.0.0.1:$(cat "\(dir)/port")" \\
                  --image-label imagebench.test=1 --image-label "\(mine)" >/dev/null 2>"\(dir)/err"
                echo $?
                """
            let r = try await SubprocessExecutor().run(Command("/bin/bash", ["-c", script, PackagePaths.binary], timeout: 300))
            let stderr = (try? String(contentsOfFile: dir + "/err", encoding: .utf8)) ?? ""
            #expect(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "\(r.stdout) \(stderr)")
            let result = try #require(try await ResultStore(path: dir + "/r.sqlite").snapshot(runID: 1)?.results.first)
            #expect(result.status == .ok && result.engine?.isRemote == true, "\(result.problem ?? "") \(String(describing: result.engine))")
            #expect(result.start?.samples.count == 1)
            // Asked at the container's own address: nothing was published on this machine's loopback.
            let output = result.smoke?.output ?? ""
            #expect(output.hasPrefix("GET /healthz: 200 from ") && !output.contains("127.0.0.1"), "\(output)")
            let left = try await DockerEngine.output(["ps", "--all", "--quiet", "--filter", "label=\(mine)"])
            #expect(left.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "containers left: \(left)")
        }
    }
}
