import Foundation
import ImageBenchCore

/// `smoke.http`: the image started as a service, polled over HTTP until its first expected answer or
/// the smoke timeout, then the further requests in order; the container is removed in every case.
/// The `start` metric times the same start again, `--repeat` times, each in a new container.
extension VariantPipeline {
    /// How a service is started and polled: the smoke test's way, or the start metric's.
    struct Probing {
        /// Between two polls of the first request.
        var poll: Duration
        /// Whether the further requests run, and the memory in use is read, after the first answer.
        var whole: Bool

        static let smoke = Probing(poll: .milliseconds(100), whole: true)
        /// A start is timed to the first answer only, polled often enough that the poll adds little.
        static let start = Probing(poll: .milliseconds(10), whole: false)
    }

    func httpSmoke(_ image: String, name: String, http: HTTPSmoke, probing: Probing = .smoke) async throws -> SmokeResult {
        let outcome: Result<SmokeResult, any Error>
        do { outcome = .success(try await serveAndProbe(image, name: name, http: http, probing: probing)) } catch { outcome = .failure(error) }
        // Removed before the run goes on or ends, also when cancelled.
        _ = await removeContainer(name)
        return try outcome.get()
    }

    /// The start metric: `--repeat` new containers of the image, each timed from `docker run` to its
    /// first expected answer. Stops at the first that does not answer, keeping the samples before it.
    func startTimes(_ image: String, name: String, http: HTTPSmoke) async throws -> StartResult {
        var result = StartResult(samples: [])
        for repetition in 1...settings.repeatCount {
            let smoke = try await httpSmoke(image, name: "\(name)-start\(repetition)", http: http, probing: .start)
            guard smoke.ok else {
                result.problem = "start \(repetition): " + Self.smokeFailure(smoke, spec: scenario.smoke)
                break
            }
            result.samples.append(smoke.seconds)
        }
        return result
    }

    private func serveAndProbe(_ image: String, name: String, http: HTTPSmoke, probing: Probing) async throws -> SmokeResult {
        let spec = scenario.smoke
        let started = ContinuousClock.now
        func elapsed() -> Double { SubprocessExecutor.seconds(ContinuousClock.now - started) }
        // An engine on another machine: its service is reached on the engine's network, at the container's address.
        let remote = engine.record.isRemote
        let run = try await docker.run(
            docker.commands.serve(image: image, name: name, runID: runLabel, spec: spec, port: http.port, platform: runPlatform, publish: !remote))
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
        guard let (host, hostPort) = try await address(name, port: http.port, remote: remote) else {
            if let result = try await exited() { return result }
            return SmokeResult(
                ok: false, exitCode: nil, seconds: elapsed(),
                output: remote ? "the container has no address on the engine's network" : "no published port \(http.port)")
        }
        var last = "no answer"
        var answered = false
        var polls = 0
        while elapsed() < spec.timeoutSeconds {
            try Task.checkCancellation()
            let answer = await HTTPProbe.send(http.first, host: host, port: hostPort, timeout: min(2, spec.timeoutSeconds - elapsed()))
            guard let mismatch = HTTPProbe.mismatch(answer, http.first) else {
                answered = true
                break
            }
            last = mismatch
            polls += 1
            // Asking docker whether the service exited costs more than a poll: every tenth of a second is enough.
            if polls % max(1, Int(Duration.milliseconds(100) / probing.poll)) == 0, let result = try await exited() { return result }
            try await Task.sleep(for: probing.poll)
        }
        let firstAnswer = elapsed()
        guard answered else {
            try await watch.confirm(.smokeTesting, dockerSaid: last)
            if let result = try await exited() { return result }
            let logs = try await docker.run(docker.commands.containerLogs(name))
            return SmokeResult(
                ok: false, exitCode: nil, seconds: firstAnswer,
                output: "no expected answer within \(String(format: "%g", spec.timeoutSeconds)) s; last: \(last)\n" + logs.tail(5), timedOut: true)
        }
        guard probing.whole else { return SmokeResult(ok: true, exitCode: nil, seconds: firstAnswer, output: "") }
        let memory = DockerOutputParser.memoryInUse(try await docker.run(docker.commands.memoryUsage(name)).stdout)
        for request in http.requests {
            let answer = await HTTPProbe.send(request, host: host, port: hostPort, timeout: 10)
            if let mismatch = HTTPProbe.mismatch(answer, request) {
                return SmokeResult(ok: false, exitCode: nil, seconds: firstAnswer, output: mismatch)
            }
        }
        var result = SmokeResult(
            ok: true, exitCode: nil, seconds: firstAnswer,
            output: "\(http.first.method) \(http.first.path): \(http.first.expectStatus) from \(host):\(hostPort)")
        result.memoryBytes = memory
        return result
    }

    /// Where the service is reached: its published port on 127.0.0.1, or for a remote engine the
    /// container's own address and port.
    private func address(_ name: String, port: Int, remote: Bool) async throws -> (host: String, port: Int)? {
        if remote {
            let addresses = try await docker.run(docker.commands.containerAddresses(name)).stdout
            return addresses.split(whereSeparator: \.isWhitespace).first.map { (String($0), port) }
        }
        let published = try await docker.run(docker.commands.publishedPort(name, port: port))
        guard let line = published.stdout.split(whereSeparator: \.isNewline).first, let colon = line.lastIndex(of: ":"),
            let hostPort = Int(line[line.index(after: colon)...])
        else { return nil }
        return ("127.0.0.1", hostPort)
    }
}
