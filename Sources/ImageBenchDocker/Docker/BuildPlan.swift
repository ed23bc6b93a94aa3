import Foundation
import ImageBenchCore

/// A variant with every reference resolved: what `docker build` gets.
public struct BuildPlan: Sendable, Equatable {
    public var scenario: Scenario
    public var variant: Variant
    /// Build args with `${images.x}` replaced by the references actually used.
    public var buildArgs: [BuildArg]
    /// The Dockerfile relative to the context when it lies inside it, else its absolute path.
    public var dockerfile: String
    public var dockerfileInsideContext: Bool
    public var builder: BuilderKind
    public var target: String?
    public var platform: String?
    public var dockerignore: DockerignoreChoice?
    /// Base images the Dockerfile builds FROM (made present before timing).
    public var baseImages: [String]

    public init(scenario: Scenario, variant: Variant, images: [ResolvedImage], defaultBuilder: BuilderKind) {
        let used = Dictionary(images.map { ($0.name, $0.used) }, uniquingKeysWith: { a, _ in a })
        self.scenario = scenario
        self.variant = variant
        buildArgs = variant.settings.buildArgs.map { BuildArg(key: $0.key, value: Interpolation.expand($0.value, images: used)) }
        let relative = variant.settings.dockerfile ?? scenario.dockerfile
        let absolute =
            relative.hasPrefix("/") ? relative : URL(fileURLWithPath: scenario.context).appendingPathComponent(relative).standardizedFileURL.path
        let context = URL(fileURLWithPath: scenario.context).standardizedFileURL.path
        dockerfileInsideContext = absolute.hasPrefix(context + "/")
        dockerfile = dockerfileInsideContext ? String(absolute.dropFirst(context.count + 1)) : absolute
        builder = variant.settings.builder ?? defaultBuilder
        target = variant.settings.target
        platform = variant.settings.platform.map { Interpolation.expand($0, images: used) }
        dockerignore = variant.settings.dockerignore
        let text = (try? String(contentsOfFile: absolute, encoding: .utf8)) ?? ""
        baseImages = DockerfileBases.references(
            dockerfile: text, buildArgs: Dictionary(buildArgs.map { ($0.key, $0.value) }, uniquingKeysWith: { _, b in b }))
    }

    /// `imagebench/<scenario>:r<run>-<variant>[-<session>]`, a valid docker tag. The session token keeps
    /// two runs with the same id (two databases on one engine) from taking each other's tags.
    public func tag(runID: String, session: String? = nil) -> String {
        let repo = scenario.name.lowercased().map { $0.isLetter || $0.isNumber || "._-".contains($0) ? $0 : "-" }
        var name = variant.name.map { c -> Character in
            switch c {
            case "=": "-"
            case ",": "_"
            default: c.isASCII && (c.isLetter || c.isNumber || "._-".contains(c)) ? c : "-"
            }
        }
        if name.count > 100 { name = Array(name.prefix(100)) }
        return "imagebench/\(String(repo)):r\(runID)-\(String(name))" + (session.map { "-\($0)" } ?? "")
    }
}

/// The exact docker command lines imagebench runs. Pure, so tests check the argument lists.
public struct DockerCommands: Sendable {
    public static let runLabel = "imagebench.run"
    /// A random token per `imagebench run` process: run ids repeat across databases, tokens do not, so
    /// cleanup can remove every image the process made, also one a timed-out build committed late.
    public static let sessionLabel = "imagebench.session"
    public var docker: String
    /// Extra labels put on every image and container (`--image-label`), besides `imagebench.run`.
    public var labels: [String: String]

    public init(docker: String, labels: [String: String] = [:]) {
        self.docker = docker
        self.labels = labels
    }

    func labelArguments(runID: String) -> [String] {
        ["--label", "\(Self.runLabel)=\(runID)"] + labels.sorted { $0.key < $1.key }.flatMap { ["--label", "\($0.key)=\($0.value)"] }
    }

    /// `docker build` of a plan from `contextDirectory` (the scratch copy).
    public func build(
        _ plan: BuildPlan, phase: Phase, runID: String, contextDirectory: String, iidfile: String, timeout: Double? = nil, session: String? = nil
    ) -> Command {
        var args = ["build"]
        if phase == .cold { args.append("--no-cache") }
        // BuildKit: plain progress to read the context size. Classic: --force-rm, or a failed RUN step
        // leaves its container behind on the user's engine.
        args.append(plan.builder == .buildkit ? "--progress=plain" : "--force-rm")
        args += ["--iidfile", iidfile, "--tag", plan.tag(runID: runID, session: session)] + labelArguments(runID: runID)
        if let session { args += ["--label", "\(Self.sessionLabel)=\(session)"] }
        let dockerfile = plan.dockerfileInsideContext ? contextDirectory + "/" + plan.dockerfile : plan.dockerfile
        args += ["--file", dockerfile]
        if let target = plan.target { args += ["--target", target] }
        if let platform = plan.platform { args += ["--platform", platform] }
        for arg in plan.buildArgs { args += ["--build-arg", "\(arg.key)=\(arg.value)"] }
        args.append(contextDirectory)
        return Command(docker, args, environment: ["DOCKER_BUILDKIT": plan.builder == .buildkit ? "1" : "0"], timeout: timeout)
    }

    /// `docker run --rm` of a built image for its smoke test.
    public func smoke(image: String, name: String, runID: String, spec: SmokeSpec, platform: String?) -> Command {
        var args = ["run", "--rm", "--name", name] + labelArguments(runID: runID)
        if let platform { args += ["--platform", platform] }
        args.append(image)
        args += spec.args
        return Command(docker, args, timeout: spec.timeoutSeconds)
    }

    public func inspect(_ image: String) -> Command { Command(docker, ["image", "inspect", image], timeout: 60) }

    public func history(_ image: String) -> Command {
        Command(docker, ["history", "--no-trunc", "--human=false", "--format", "{{json .}}", image], timeout: 60)
    }

    public func version() -> Command { Command(docker, ["version", "--format", "{{json .}}"], timeout: 30) }
    public func info() -> Command { Command(docker, ["info", "--format", "{{json .}}"], timeout: 30) }
    public func buildxVersion() -> Command { Command(docker, ["buildx", "version"], timeout: 30) }
    public func pull(_ image: String) -> Command { Command(docker, ["pull", "--quiet", image], timeout: 900) }
    public func removeContainer(_ name: String) -> Command { Command(docker, ["rm", "--force", name], timeout: 60) }

    /// Images one `imagebench run` process built (its session label).
    public func imagesLabelled(session: String) -> Command {
        Command(docker, ["image", "ls", "--quiet", "--no-trunc", "--filter", "label=\(Self.sessionLabel)=\(session)"], timeout: 60)
    }

    public func tag(_ image: String, as reference: String) -> Command { Command(docker, ["tag", image, reference], timeout: 60) }
    public func push(_ reference: String) -> Command { Command(docker, ["push", reference], timeout: 1800) }
    /// Removes one tag; the image stays while other tags or its id refer to it.
    public func untag(_ reference: String) -> Command { Command(docker, ["image", "rm", reference], timeout: 60) }
    public func removeImages(_ ids: [String]) -> Command { Command(docker, ["image", "rm", "--force"] + ids, timeout: 300) }
    /// Removes images only if nothing uses them (no --force): a tagged or parent image stays.
    public func removeUnusedImages(_ ids: [String]) -> Command { Command(docker, ["image", "rm"] + ids, timeout: 300) }
    public func danglingImages() -> Command { Command(docker, ["image", "ls", "--quiet", "--no-trunc", "--filter", "dangling=true"], timeout: 60) }
    /// Just the server's version: fails fast when no engine answers.
    public func serverVersion() -> Command { Command(docker, ["version", "--format", "{{.Server.Version}}"], timeout: 10) }
}
