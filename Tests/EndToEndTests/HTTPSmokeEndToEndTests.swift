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
    @Test("a service 1 s slower to listen answers 1 s later; an exit names its code and log line; a wrong status names both; nothing is left")
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
                "run", dir + "/s", "--db", db, "--phases", "cold", "--repeat", "1", "--image-label", "imagebench.test=1", "--image-label", mine,
            ])
            #expect(r.exitCode == 3, "\(r.stderr)")
            let snapshot = try #require(try await ResultStore(path: db).snapshot(runID: 1))
            func result(_ kind: String) throws -> VariantResult { try #require(snapshot.results.first { $0.name == "kind=\(kind)" }) }
            let quick = try result("quick")
            let slow = try result("slow")
            #expect(quick.status == .ok && slow.status == .ok, "\(quick.problem ?? "") \(slow.problem ?? "")")
            let delta = try #require(slow.smoke?.seconds) - (try #require(quick.smoke?.seconds))
            #expect(abs(delta - 1) < 0.3, "the slow service answered \(delta) s later")
            let exits = try result("exits")
            #expect(exits.status == .broken && exits.smoke?.exitCode == 3)
            #expect(exits.problem == "smoke test failed: the container exited with code 3 before answering: boom", "\(exits.problem ?? "")")
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
}
