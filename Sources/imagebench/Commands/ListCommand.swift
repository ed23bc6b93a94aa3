import ArgumentParser
import Foundation
import ImageBenchCore
import ImageBenchDocker
import ImageBenchReport

struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Print each variant and the exact docker commands `run` would execute for it.")

    @OptionGroup var scenarioOptions: ScenarioOptions
    @OptionGroup var dockerOptions: DockerOptions

    @Option(
        help: ArgumentHelp(
            "The engine of variants whose scenario does not choose one (docker or podman; default: \(RunSettings.defaults.engine.rawValue)), as for run.",
            valueName: "engine"))
    var engine: EngineKind?

    @Flag(
        name: .long,
        help: "Also list the files each variant's builder sends and its build can COPY, with the ignore file that applies (read from a scratch copy)."
    )
    var files = false

    func run() async throws {
        let (jobs, _) = try scenarioOptions.selection.load()
        let docker = dockerOptions.client()
        // Listing needs no engine; without a usable client the default builder is assumed classic.
        let builder = (try? await docker.defaultBuilder()) ?? .classic
        let buildx = (try? await docker.run(docker.commands.buildxVersion()))?.succeeded ?? false
        let client = files ? (try? await docker.clientVersion()) ?? "" : ""
        var out =
            "# Commands run with RUN=<run id> and CONTEXT=<a scratch copy of the context>; IMAGE is the id the cold build wrote to ${CONTEXT}.iid, VARIANT the variant's row id, TOKEN a random per-run token.\n"
        out += "# Default builder for \(docker.commands.docker): \(builder.rawValue).\n"
        for job in jobs {
            let s = job.scenario
            out += "\n\(s.name): \(job.variants.count) variant\(job.variants.count == 1 ? "" : "s") (\(s.file))\n"
            out += "context: \(s.context)\n"
            if !job.images.isEmpty { out += "images:\n" + TableReport.imageLines(job.images) }
            for variant in job.variants {
                let plan = BuildPlan(
                    scenario: s, variant: variant, images: job.images, defaultBuilder: builder,
                    defaultEngine: RunSettings(.init(engine: engine)).engine)
                let commands = dockerOptions.clients.client(plan.engine).commands
                out += "\(variant.name)" + (variant.expectBroken != nil ? "  (expect-broken)" : "") + "\n"
                for base in plan.baseImages { out += "  base: \(base) (pulled before timing if missing)\n" }
                for phase in Phase.local where phase != .edit || s.edit != nil {
                    if phase == .edit, let edit = s.edit { out += "  edit: append \"\(edit.line(number: 1))\" to ${CONTEXT}/\(edit.file), then:\n" }
                    let command = commands.build(
                        plan, phase: phase, runID: "__RUN__", contextDirectory: "__CONTEXT__", iidfile: "__CONTEXT__.iid", session: "__TOKEN__",
                        buildx: buildx)
                    out += "  \(phase.rawValue): \(Self.placeholders(command.shellLine))\n"
                }
                out += Self.freshLines(plan, commands: commands, buildx: buildx)
                let name = "imagebench-r__RUN__-v__VARIANT__-__TOKEN__"
                if let http = s.smoke.http {
                    let serve = commands.serve(
                        image: "__IMAGE__", name: name, runID: "__RUN__", spec: s.smoke, port: http.port, platform: plan.runPlatform(native: nil))
                    let asks = ([http.first] + http.requests).map { "\($0.method) \($0.path) → \($0.expectStatus)" }.joined(separator: ", then ")
                    out += "  smoke: \(Self.placeholders(serve.shellLine))\n"
                    out += "  smoke: \(Self.placeholders(commands.publishedPort(name, port: http.port).shellLine)), then over HTTP: \(asks)\n"
                    out +=
                        "  start: the same docker run --repeat times more (names ending -start1, -start2, ...), each timed to its first \(http.first.method) \(http.first.path) → \(http.first.expectStatus)\n"
                } else {
                    let smoke = commands.smoke(
                        image: "__IMAGE__", name: name, runID: "__RUN__", spec: s.smoke, platform: plan.runPlatform(native: nil))
                    out += "  smoke: \(Self.placeholders(smoke.shellLine))\n"
                }
                if files { out += try Self.files(plan, client: client) }
            }
        }
        print(out, terminator: "")
    }

    /// The `ci` phase's commands (`run --phases ci`): on a fresh runner reset before each build, the
    /// cache from the image the build before pushed to `--registry`.
    static func freshLines(_ plan: BuildPlan, commands: DockerCommands, buildx: Bool) -> String {
        let cache = plan.cache
        let tag =
            cache == .localMax
            ? "${SCRATCH}/ci-cache/ci" : placeholders("${REGISTRY}/" + plan.tag(runID: "__RUN__", session: "__TOKEN__") + "-ci")
        func line(_ phase: Phase, _ fresh: DockerCommands.FreshCache) -> String {
            let command = commands.build(
                plan, phase: phase, runID: "__RUN__", contextDirectory: "__CONTEXT__", iidfile: "__CONTEXT__.iid", session: "__TOKEN__", fresh: fresh,
                buildx: buildx)
            return placeholders(command.shellLine.replacingOccurrences(of: "'", with: ""))
        }
        var out = "  ci (cache: \(cache.rawValue), on a fresh runner reset before each build"
        if let edit = plan.scenario.edit { out += ", after appending \"\(edit.line(number: 1001))\" (1002, ...) to ${CONTEXT}/\(edit.file)" }
        out += "):\n"
        if cache == .none { return out + "    " + line(.ci, .init(buildx: cache.needsBuildx)) + "\n" }
        if cache.needsBuildx {
            let exporting = DockerCommands.FreshCache.exporting(cache, link: tag + "0")
            out += "    seed (not timed): " + line(.ci, .init(to: exporting, buildx: true)) + "\n"
            let importing = DockerCommands.FreshCache.importing(cache, link: tag + "${K-1}")
            out += "    " + line(.ci, .init(from: importing, buildx: true)) + "\n"
            out +=
                "    then (not timed): "
                + line(.ci, .init(from: importing, to: DockerCommands.FreshCache.exporting(cache, link: tag + "${K}"), buildx: true)) + "\n"
            out += "  ci-none: " + line(.ciNone, .init(buildx: true)) + "\n"
            return out
        }
        if cache == .classic { out += "    docker pull \(tag)${K-1}\n" }
        out += "    " + line(.ci, .init(from: tag + "${K-1}", exportInline: cache == .inline, tag: tag + "${K}")) + "\n"
        out += "    then: docker push \(tag)${K}\n"
        out += "  ci-none: " + line(.ciNone, .init()) + "\n"
        return out
    }

    static func placeholders(_ line: String) -> String {
        line.replacingOccurrences(of: "__RUN__", with: "${RUN}").replacingOccurrences(of: "__CONTEXT__", with: "${CONTEXT}")
            .replacingOccurrences(of: "__IMAGE__", with: "${IMAGE}").replacingOccurrences(of: "__VARIANT__", with: "${VARIANT}").replacingOccurrences(
                of: "__TOKEN__", with: "${TOKEN}")
    }

    /// The variant's context as its builder gets it: each file sent, marked when the build cannot COPY it.
    static func files(_ plan: BuildPlan, client: String) throws -> String {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("imagebench-list-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let rules = ContextRules.of(plan.builder, client: client)
        let copy = try ContextCopy.make(
            of: plan.scenario, at: scratch + "/context", dockerfile: plan.dockerfile, dockerfileInside: plan.dockerfileInsideContext,
            choice: plan.dockerignore, rules: rules)
        let copyable = Set(copy.walk.copyable.map(\.path))
        var out =
            "  context (\(rules.name) rules, ignore file \(copy.walk.ignoreFile ?? "none")): \(copy.walk.copyable.count) files to COPY, \(copy.walk.sent.count) sent\n"
        for file in copy.walk.sent {
            out += "    \(file.path)" + (copyable.contains(file.path) ? "" : "  (sent, not COPY-able)") + "\n"
        }
        return out
    }
}
