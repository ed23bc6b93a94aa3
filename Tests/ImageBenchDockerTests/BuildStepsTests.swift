import Foundation
import ImageBenchCore
import ImageBenchTestSupport
import Testing

@testable import ImageBenchDocker

/// The step parser on real output of this machine's builders (`Fixtures/steps/capture` records it):
/// docker 20.10 with BuildKit and classic, docker 28.2 classic, podman 4.3, and the 28.2 client with
/// buildx 0.13.1 on dockerd 20.10 and on dockerd 26.1 with the containerd image store (`capture buildx`),
/// building `Fixtures/steps/context`. Each fixture line carries the seconds after the build started when it
/// arrived; the last line is the build's end.
@Suite("Build steps from real builder output")
struct BuildStepsTests {
    struct Capture {
        var lines: [OutputLine]
        var wall: Double
        /// Every line, the ones no step parser reads too.
        var all: [String]
    }

    static func capture(_ name: String) throws -> Capture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/steps/\(name).txt")
        var capture = Capture(lines: [], wall: 0, all: [])
        for raw in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
            let space = try #require(raw.firstIndex(of: " "))
            let seconds = try #require(Double(raw[..<space]))
            let line = String(raw[raw.index(after: space)...])
            if line.hasPrefix("EXIT ") {
                capture.wall = seconds
                continue
            }
            capture.all.append(line)
            // What the process reader keeps: the lines that can mark a step.
            if StepLines.mayMark(Array(line.utf8)) { capture.lines.append(OutputLine(seconds, line)) }
        }
        return capture
    }

    static func builder(_ name: String) -> BuilderKind {
        name.hasPrefix("buildkit") || name.hasPrefix("buildx") ? .buildkit : name.hasPrefix("podman") ? .buildah : .classic
    }

    static func steps(_ name: String) throws -> [StepRecord] {
        let capture = try capture(name)
        return BuildSteps.parse(capture.lines, builder: builder(name), wall: capture.wall)
    }

    /// The builder's steps, without the client's time imagebench adds before and after them.
    static func unframed(_ steps: [StepRecord]) -> [StepRecord] { steps.filter { !BuildSteps.isFrame($0) } }

    static let phases = ["buildkit", "buildx20", "buildx26", "classic20", "classic28", "podman"].flatMap { b in
        ["cold", "warm", "edit"].map { "\(b)-\($0)" }
    }
    static let all =
        phases + ["buildkit-parallel", "classic20-parallel", "buildkit-failing", "classic20-failing", "podman-failing", "buildx26-registry"]

    /// The Dockerfile steps of `Fixtures/steps/context/Dockerfile`, as each builder numbers and names them.
    static func expected(_ builder: BuilderKind) -> [String] {
        switch builder {
        case .buildkit:
            [
                "build 2/4 WORKDIR /src", "build 3/4 COPY a.txt .", "build 4/4 RUN sleep 1 && cat a.txt > /out.txt",
                "stage-1 2/3 COPY --from=build /out.txt /out.txt", "stage-1 3/3 RUN echo done",
            ]
        case .classic:
            [
                "build 3/9 WORKDIR /src", "build 4/9 COPY a.txt .", "build 5/9 RUN sleep 1 && cat a.txt > /out.txt",
                "stage-1 7/9 COPY --from=build /out.txt /out.txt", "stage-1 8/9 RUN echo done", #"stage-1 9/9 CMD ["cat", "/out.txt"]"#,
            ]
        case .buildah:
            [
                "build 2/4 WORKDIR /src", "build 3/4 COPY a.txt .", "build 4/4 RUN sleep 1 && cat a.txt > /out.txt",
                "stage-1 2/4 COPY --from=build /out.txt /out.txt", "stage-1 3/4 RUN echo done", #"stage-1 4/4 CMD ["cat", "/out.txt"]"#,
            ]
        }
    }

    @Test("every builder's Dockerfile steps, in order, with stage names", arguments: phases)
    func dockerfileSteps(_ name: String) throws {
        let steps = try Self.steps(name)
        let expected = Self.expected(Self.builder(name))
        let labels = steps.filter { $0.kind == .instruction }.map(\.label)
        // In order within each stage; BuildKit may interleave the stages.
        #expect(labels.sorted() == expected.sorted())
        for stage in ["build ", "stage-1 "] { #expect(labels.filter { $0.hasPrefix(stage) } == expected.filter { $0.hasPrefix(stage) }) }
        if Self.builder(name) != .buildkit { #expect(labels == expected) }
        let bases = steps.filter { $0.kind == .base }.map(\.label)
        switch Self.builder(name) {
        case .buildkit: #expect(bases == ["build 1/4 FROM docker.io/imagebench-local/musl-busybox:1"])
        case .classic: #expect(bases == ["build 2/9 FROM ${BASE} AS build", "stage-1 6/9 FROM ${BASE}"])
        case .buildah:
            #expect(bases == ["build 1/4 FROM imagebench-local/musl-busybox:1 AS build", "stage-1 1/4 FROM imagebench-local/musl-busybox:1"])
        }
    }

    @Test(
        "buildx: its first line (#0 building with ...) and the containerd store's export lines are no steps; a FROM is named without the digest it resolved"
    )
    func buildxOutput() throws {
        for name in ["buildx20-cold", "buildx26-cold"] {
            let capture = try Self.capture(name)
            #expect(capture.all.first?.hasPrefix("#0 building with \"default\" instance using docker driver") == true, "\(name)")
            let steps = Self.unframed(try Self.steps(name))
            #expect(!steps.contains { $0.instruction.hasPrefix("building with") }, "\(name)")
            #expect(steps.filter { $0.kind == .internal }.map(\.instruction).last == "exporting to image", "\(name)")
        }
        #expect(try Self.capture("buildx26-cold").all.contains { $0.contains("FROM docker.io/imagebench-local/musl-busybox:1@sha256:") })
        #expect(try Self.capture("buildx26-cold").all.contains { $0.contains("unpacking to docker.io/library/imagebench-fixture:steps") })
    }

    @Test("a cache imported from a registry: the steps it supplied are cache hits though BuildKit prints no CACHED for them")
    func importedCache() throws {
        let capture = try Self.capture("buildx26-registry")
        #expect(!capture.all.contains { $0.hasSuffix(" CACHED") && !$0.contains("FROM") })
        let steps = try Self.steps("buildx26-registry").filter { $0.kind == .instruction }
        #expect(steps.filter(\.cached).map(\.label) == ["build 2/4 WORKDIR /src"])
        #expect(steps.first { $0.instruction.hasPrefix("RUN sleep 1") }?.cached == false)
        // A vertex with lines of its own besides a blob is no such hit.
        let lines = [
            OutputLine(0.1, "#7 [build 2/2] RUN make"), OutputLine(0.2, "#7 sha256:" + String(repeating: "a", count: 64) + " 92B / 92B done"),
            OutputLine(0.3, "#7 transferring something"), OutputLine(0.4, "#7 DONE 0.3s"),
        ]
        #expect(BuildSteps.parse(lines, builder: .buildkit, wall: 1).filter(\.cached).isEmpty)
    }

    @Test("BuildKit's own steps are kept apart from the Dockerfile's; the classic builder's global ARG and upload too")
    func internalSteps() throws {
        let buildkit = Self.unframed(try Self.steps("buildkit-cold")).filter { $0.kind == .internal }.map(\.instruction)
        #expect(
            buildkit == [
                "[internal] load build definition from Dockerfile", "[internal] load .dockerignore",
                "[internal] load metadata for docker.io/imagebench-local/musl-busybox:1", "[internal] load build context", "exporting to image",
            ])
        #expect(try Self.steps("buildkit-cold").allSatisfy { $0.kind != .internal || ($0.number == 0 && $0.stage == nil) })
        let classic = Self.unframed(try Self.steps("classic28-cold"))
        #expect(classic.first?.instruction == "sending build context" && classic.first?.kind == .internal)
        #expect(classic.first { $0.kind == .global }?.label == "1/9 ARG BASE=imagebench-local/musl-busybox:1")
        #expect(Self.unframed(try Self.steps("podman-cold")).last.map { [$0.instruction, $0.kind.rawValue] } == ["COMMIT", "internal"])
    }

    @Test("the cached flags agree with the builder's own lines", arguments: all)
    func cachedFlagsAgree(_ name: String) throws {
        let capture = try Self.capture(name)
        let steps = BuildSteps.parse(capture.lines, builder: Self.builder(name), wall: capture.wall)
        #expect(steps.filter(\.cached).count == DockerSaid.cacheHits(capture.all, builder: Self.builder(name)))
    }

    @Test("a warm build of an unchanged context: every Dockerfile step cached", arguments: phases.filter { $0.hasSuffix("-warm") })
    func warmAllCached(_ name: String) throws {
        let steps = try Self.steps(name).filter { $0.kind == .instruction }
        #expect(!steps.isEmpty && steps.allSatisfy(\.cached))
    }

    @Test("after the edit, the first step that misses the cache is the COPY of the edited file", arguments: phases.filter { $0.hasSuffix("-edit") })
    func editInvalidates(_ name: String) throws {
        let steps = try Self.steps(name).filter { $0.kind == .instruction }
        #expect(steps.first { !$0.cached }?.instruction == "COPY a.txt .")
        #expect(steps.first?.cached == true)  // WORKDIR, before it
    }

    @Test("the time line never exceeds the wall time, and covers 90% of it in builds over 2 s", arguments: all)
    func timeline(_ name: String) throws {
        let capture = try Self.capture(name)
        let steps = BuildSteps.parse(capture.lines, builder: Self.builder(name), wall: capture.wall)
        let covered = BuildSteps.timeline(steps)
        #expect(covered <= capture.wall + 1e-9)
        #expect(steps.allSatisfy { $0.start >= 0 && $0.seconds >= 0 && $0.start + $0.seconds <= capture.wall + 1e-9 })
        if capture.wall > 2 { #expect(covered >= 0.9 * capture.wall, "\(covered) of \(capture.wall) s") }
        // The builder's own steps, without the client's time around them, leave no gap of note either.
        let inner = Self.unframed(steps)
        let span = (inner.map { $0.start + $0.seconds }.max() ?? 0) - (inner.map(\.start).min() ?? 0)
        if span > 2 { #expect(BuildSteps.timeline(inner) >= 0.9 * span, "\(BuildSteps.timeline(inner)) of \(span) s") }
    }

    @Test("the client's time before the first step and after the last are steps of their own, so the steps add up to the wall time")
    func framing() throws {
        let steps = try Self.steps("buildkit-cold")
        #expect(steps.first?.instruction == BuildSteps.beforeFirst && steps.first?.start == 0)
        // BuildKit's first lines came 0.2 s after the client started.
        #expect((0.01...0.3).contains(steps.first?.seconds ?? 0), "\(steps.first.map { "\($0.seconds)" } ?? "")")
        #expect(steps.last?.instruction == BuildSteps.afterLast || steps.last?.instruction == "exporting to image")
        #expect(BuildSteps.parse([], builder: .buildkit, wall: 1).isEmpty, "no steps: nothing to frame")
    }

    @Test("BuildKit runs independent stages at once: their steps overlap and count once in the time line")
    func parallelStages() throws {
        let steps = try Self.steps("buildkit-parallel")
        let a = try #require(steps.first { $0.label == "a 2/2 RUN sleep 2" })
        let b = try #require(steps.first { $0.label == "b 2/2 RUN sleep 1" })
        // BuildKit's own durations of `sleep 2` and `sleep 1`.
        #expect((2.0...2.5).contains(a.seconds) && (1.0...1.5).contains(b.seconds))
        #expect(b.start < a.start + a.seconds && a.start < b.start + b.seconds)
        #expect(BuildSteps.timeline(steps) < steps.reduce(0) { $0 + $1.seconds })
        // The classic builder runs the same stages one after the other.
        let classic = try Self.steps("classic20-parallel").filter { $0.instruction.hasPrefix("RUN sleep") }
        #expect(classic.map(\.label) == ["a 2/8 RUN sleep 2", "b 4/8 RUN sleep 1", "stage-2 8/8 RUN sleep 1"])
        #expect(zip(classic, classic.dropFirst()).allSatisfy { $0.start + $0.seconds <= $1.start + 1e-9 })
        #expect(abs(classic[0].seconds - 2) < 0.5)
    }

    @Test("a failed build keeps the steps it reached, the failing one last", arguments: ["buildkit-failing", "classic20-failing", "podman-failing"])
    func failedBuild(_ name: String) throws {
        let steps = try Self.steps(name).filter { $0.kind == .instruction }
        #expect(steps.map(\.instruction) == ["COPY a.txt /a.txt", "RUN echo failing && exit 3"])
        #expect(steps.allSatisfy { $0.stage == nil && $0.total == 3 })
    }

    @Test("a RUN that prints builder-like lines does not make steps")
    func spoofedLines() {
        let classic = [
            OutputLine(0.1, "Step 1/2 : FROM x"), OutputLine(0.2, "Step 2/2 : RUN printf 'Step 7/9 : X'"), OutputLine(0.3, "Step 7/9 : X"),
            OutputLine(0.4, "Successfully built 0123456789ab"),
        ]
        #expect(Self.unframed(BuildSteps.parse(classic, builder: .classic, wall: 0.5)).map(\.number) == [1, 2])
        // BuildKit's step output is `#N <seconds> <text>`: never a marker line.
        #expect(!StepLines.mayMark(Array("#8 0.181 #9 [build 1/1] RUN x".utf8)))
        #expect(StepLines.mayMark(Array("#8 [build 1/1] RUN x".utf8)) && StepLines.mayMark(Array(" ---> Using cache".utf8)))
        #expect(!StepLines.mayMark(Array("npm notice".utf8)))
    }

    @Test("the classic builder's and podman's steps for --label flags are internal, named without their values")
    func classicLabels() {
        let lines = [
            OutputLine(0.1, "Step 1/4 : FROM x"), OutputLine(0.2, "Step 2/4 : LABEL mine=1"), OutputLine(0.3, "Step 3/4 : LABEL imagebench.run=7"),
            OutputLine(0.35, " ---> Using cache"), OutputLine(0.4, "Step 4/4 : LABEL imagebench.session=abc"),
            OutputLine(0.5, "Successfully built 0123456789ab"),
        ]
        let steps = Self.unframed(BuildSteps.parse(lines, builder: .classic, wall: 0.6, labels: ["imagebench.run=7", "imagebench.session=abc"]))
        #expect(steps.map(\.instruction) == ["FROM x", "LABEL mine=1", "--label imagebench.run", "--label imagebench.session"])
        #expect(steps.map(\.kind) == [.base, .instruction, .internal, .internal])
        #expect(steps.map(\.cached) == [false, false, true, false])
        // podman quotes them.
        let podman = [
            OutputLine(0.1, "STEP 1/3: FROM x"), OutputLine(0.2, #"STEP 2/3: LABEL "imagebench.run"="7""#),
            OutputLine(0.3, #"STEP 3/3: LABEL "imagebench.session"="abc""#), OutputLine(0.4, "COMMIT t"),
        ]
        #expect(
            Self.unframed(BuildSteps.parse(podman, builder: .buildah, wall: 0.5, labels: ["imagebench.run=7", "imagebench.session=abc"])).map(
                \.instruction) == [
                    "FROM x", "--label imagebench.run", "--label imagebench.session", "COMMIT",
                ])
    }

    @Test("BuildKit names: single stage, platform prefix, long names and vertices that never finished")
    func buildkitNames() {
        let lines = [
            OutputLine(0.1, "#1 [linux/arm64 build 2/4] RUN make"), OutputLine(0.5, "#1 DONE 0.3s"),
            OutputLine(0.6, "#2 [linux/arm64 3/3] COPY . ."), OutputLine(0.7, "#2 CACHED"),
            OutputLine(0.8, "#3 [2/2] RUN sleep 100"),
        ]
        let steps = Self.unframed(BuildSteps.parse(lines, builder: .buildkit, wall: 1))
        #expect(steps.map(\.label) == ["build 2/4 RUN make", "3/3 COPY . ."])
        #expect(abs(steps[0].start - 0.2) < 1e-9 && steps[0].seconds == 0.3)
    }

    @Test("the process reader times lines as they arrive, split at newlines and carriage returns")
    func lineTimer() {
        var timer = LineTimer()
        func feed(_ text: String, _ at: Double) { Array(text.utf8).withUnsafeBytes { timer.consume($0, at: at) } }
        feed("Sending build context to Docker daemon  1kB\rSending build context to Docker daemon  2kB\r\r\nStep 1/2 : FR", 0.1)
        feed("OM x\n ---> abc\n", 0.2)
        feed("Step 2/2 : RUN x", 0.3)
        timer.finishLine(at: 0.4)
        #expect(
            timer.lines == [
                OutputLine(0.1, "Sending build context to Docker daemon  1kB"), OutputLine(0.1, "Sending build context to Docker daemon  2kB"),
                OutputLine(0.2, "Step 1/2 : FROM x"), OutputLine(0.2, " ---> abc"), OutputLine(0.4, "Step 2/2 : RUN x"),
            ])
    }

    @Test("a process that writes its last lines and exits at once: every line is read, none lost at the end")
    func executorKeepsTheTail() async throws {
        // BuildKit writes its last vertices just before the client exits.
        let script = "i=0; while [ $i -lt 300 ]; do echo \"#$i DONE 0.0s\" >&2; i=$((i+1)); done; echo 'Successfully built 0123456789ab'"
        for _ in 0..<10 {
            var command = Command("/bin/sh", ["-c", script])
            command.timesLines = true
            let result = try await SubprocessExecutor().run(command)
            #expect(result.lines.count == 301, "\(result.lines.count) lines")
            #expect(result.lines.contains { $0.text == "#299 DONE 0.0s" } && result.lines.allSatisfy { $0.seconds <= result.seconds })
        }
    }

    @Test("a real process: lines of both streams with their arrival times, only when asked")
    func executorTimesLines() async throws {
        let script = "echo 'Step 1/2 : FROM x'; sleep 0.4; echo 'Step 2/2 : RUN x' >&2; echo plain"
        var command = Command("/bin/sh", ["-c", script])
        #expect(try await SubprocessExecutor().run(command).lines.isEmpty)
        command.timesLines = true
        let result = try await SubprocessExecutor().run(command)
        #expect(result.lines.map(\.text) == ["Step 1/2 : FROM x", "Step 2/2 : RUN x"])
        // The second line cannot come before the sleep ends; when the first came depends on the machine's load.
        #expect(result.lines[1].seconds >= 0.4 && result.lines[1].seconds > result.lines[0].seconds)
        #expect(result.lines[1].seconds <= result.seconds)
        #expect(result.stdout == "Step 1/2 : FROM x\nplain\n")
    }
}
