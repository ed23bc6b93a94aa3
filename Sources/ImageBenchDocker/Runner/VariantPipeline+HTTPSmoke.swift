import Foundation
import ImageBenchCore

/// `smoke.http`: the image started as a service, polled over HTTP until its first expected answer or
/// the smoke timeout, then the further requests in order; the container is removed in every case.
extension VariantPipeline {
    func httpSmoke(_ image: String, name: String, http: HTTPSmoke) async throws -> SmokeResult {
        let outcome: Result<SmokeResult, any Error>
        do { outcome = .success(try await serveAndProbe(image, name: name, http: http)) } catch { outcome = .failure(error) }
        // Removed before the run goes on or ends, also when cancelled: a detached task is not cancelled with this one.
        let docker = docker
        _ = await Task.detached { try? await docker.run(docker.commands.removeContainer(name)) }.value
        return try outcome.get()
    }

    private func serveAndProbe(_ image: String, name: String, http: HTTPSmoke) async throws -> SmokeResult {
        let spec = scenario.smoke
        let started = ContinuousClock.now
        func elapsed() -> Double { SubprocessExecutor.seconds(ContinuousClock.now - started) }
        let run = try await docker.run(
            docker.commands.serve(image: image, name: name, runID: runLabel, spec: spec, port: http.port, platform: plan.platform))
        try Task.checkCancellation()
        guard run.succeeded else {
            try await watch.confirm(.smokeTesting, dockerSaid: run.tail(1))
            return SmokeResult(ok: false, exitCode: run.exitCode, seconds: elapsed(), output: "docker run failed: \(run.tail(1))")
        }
        // A service that exited will not answer: its exit code and last log lines say why.
        func exited() async throws -> SmokeResult? {
            let state = try await docker.run(docker.commands.containerState(name)).stdout.split(separator: " ")
            guard state.first == "false" else { return nil }
            let code = state.dropFirst().first.flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            let logs = try await docker.run(docker.commands.containerLogs(name))
            try await watch.confirm(.smokeTesting, dockerSaid: logs.tail(1))
            return SmokeResult(
                ok: false, exitCode: code, seconds: elapsed(),
                output: "the container exited with code \(code.map(String.init) ?? "?") before answering\n" + logs.tail(5))
        }
        let published = try await docker.run(docker.commands.publishedPort(name, port: http.port))
        guard let line = published.stdout.split(whereSeparator: \.isNewline).first, let colon = line.lastIndex(of: ":"),
            let hostPort = Int(line[line.index(after: colon)...])
        else {
            if let result = try await exited() { return result }
            return SmokeResult(ok: false, exitCode: nil, seconds: elapsed(), output: "no published port \(http.port): \(published.tail(1))")
        }
        var last = "no answer"
        var answered = false
        while elapsed() < spec.timeoutSeconds {
            try Task.checkCancellation()
            let answer = await HTTPProbe.send(http.first, host: "127.0.0.1", port: hostPort, timeout: min(2, spec.timeoutSeconds - elapsed()))
            guard let mismatch = HTTPProbe.mismatch(answer, http.first) else {
                answered = true
                break
            }
            last = mismatch
            if let result = try await exited() { return result }
            try await Task.sleep(for: .milliseconds(100))
        }
        let firstAnswer = elapsed()
        guard answered else {
            try await watch.confirm(.smokeTesting, dockerSaid: last)
            let logs = try await docker.run(docker.commands.containerLogs(name))
            return SmokeResult(
                ok: false, exitCode: nil, seconds: firstAnswer,
                output: "no expected answer within \(String(format: "%g", spec.timeoutSeconds)) s; last: \(last)\n" + logs.tail(5), timedOut: true)
        }
        for request in http.requests {
            let answer = await HTTPProbe.send(request, host: "127.0.0.1", port: hostPort, timeout: 10)
            if let mismatch = HTTPProbe.mismatch(answer, request) {
                return SmokeResult(ok: false, exitCode: nil, seconds: firstAnswer, output: mismatch)
            }
        }
        return SmokeResult(
            ok: true, exitCode: nil, seconds: firstAnswer, output: "\(http.first.method) \(http.first.path): \(http.first.expectStatus)")
    }
}
