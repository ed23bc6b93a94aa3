import Foundation
import ImageBenchCore

#if canImport(Glibc)
    import Glibc
#endif

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
    /// The engine that builds it: the variant's `engine:`, else the run's default.
    public var engine: EngineKind
    public var target: String?
    public var platform: String?
    /// How BuildKit compresses the layers it writes (`compression:`); nil: the engine's default.
    public var compression: LayerCompression?
    public var dockerignore: DockerignoreChoice?
    /// Base images the Dockerfile builds FROM (made present before timing).
    public var baseImages: [String]
    /// Those of them a stage builds FROM for the target platform (not on `$BUILDPLATFORM`).
    public var targetBaseImages: [String]
    /// The `RUN` steps it builds for the target platform (``DockerfileBases/targetPlatformRuns(dockerfile:buildArgs:target:)``):
    /// emulated where that platform is not the engine's.
    public var targetPlatformRuns: Int

    /// Where its `ci` builds take their cache from: its `cache:`, else its builder's own kind.
    public var cache: CacheSource { variant.settings.cache ?? .default(for: builder) }

    public init(
        scenario: Scenario, variant: Variant, images: [ResolvedImage], defaultBuilder: BuilderKind, defaultEngine: EngineKind = .docker
    ) {
        let relative = variant.settings.dockerfile ?? scenario.dockerfile
        let absolute =
            relative.hasPrefix("/") ? relative : URL(fileURLWithPath: scenario.context).appendingPathComponent(relative).standardizedFileURL.path
        let text = (try? String(contentsOfFile: absolute, encoding: .utf8)) ?? ""
        // A variant built for one platform takes the profile's substitute for that platform, where it has
        // one, for the images its stages build FROM for that platform: a stage on $BUILDPLATFORM keeps the
        // engine's own (a cross-compiling build stage runs natively).
        let single = variant.settings.platform.flatMap(PlatformIndex.single)
        let native = Dictionary(images.map { ($0.name, $0.used) }, uniquingKeysWith: { a, _ in a })
        func expanded(_ images: [String: String]) -> [String: String] {
            Dictionary(variant.settings.buildArgs.map { ($0.key, Interpolation.expand($0.value, images: images)) }, uniquingKeysWith: { _, b in b })
        }
        let nativeArgs = expanded(native)
        let onBuildPlatformOnly = Set(DockerfileBases.references(dockerfile: text, buildArgs: nativeArgs)).subtracting(
            DockerfileBases.targetPlatformReferences(dockerfile: text, buildArgs: nativeArgs))
        let used = Dictionary(
            images.map { ($0.name, onBuildPlatformOnly.contains($0.used) ? $0.used : $0.used(for: single)) }, uniquingKeysWith: { a, _ in a })
        self.scenario = scenario
        self.variant = variant
        buildArgs = variant.settings.buildArgs.map { BuildArg(key: $0.key, value: Interpolation.expand($0.value, images: used)) }
        let context = URL(fileURLWithPath: scenario.context).standardizedFileURL.path
        dockerfileInsideContext = absolute.hasPrefix(context + "/")
        dockerfile = dockerfileInsideContext ? String(absolute.dropFirst(context.count + 1)) : absolute
        engine = variant.settings.engine ?? defaultEngine
        builder = engine == .podman ? .buildah : variant.settings.builder ?? defaultBuilder
        target = variant.settings.target
        platform = variant.settings.platform.map { Interpolation.expand($0, images: used) }
        dockerignore = variant.settings.dockerignore
        compression = variant.settings.compression
        let args = Dictionary(buildArgs.map { ($0.key, $0.value) }, uniquingKeysWith: { _, b in b })
        baseImages = DockerfileBases.references(dockerfile: text, buildArgs: args)
        targetBaseImages = DockerfileBases.targetPlatformReferences(dockerfile: text, buildArgs: args)
        targetPlatformRuns = DockerfileBases.targetPlatformRuns(dockerfile: text, buildArgs: args, target: target)
    }

    /// Why this engine cannot build the variant as written, with the fix; nil when it can.
    public var engineMismatch: String? {
        if let compression, engine == .podman {
            return
                "\(variant.name) asks for compression: \(compression.algorithm.rawValue), which BuildKit's image exporter writes; podman builds with Buildah: build it on docker (leave out engine: podman)"
        }
        guard engine == .podman, let asked = variant.settings.builder else { return nil }
        return
            "\(variant.name) asks for builder: \(asked.rawValue), a docker builder, but builds on podman (Buildah); exclude the pair in the scenario's exclude:"
    }

    /// Why an engine cannot store this variant's layers in the compression it asks for, with the fix; nil
    /// when it can. BuildKit writes the compression through buildx's image exporter, into an image store
    /// that keeps the blobs it is given: the containerd image store. A graph driver (overlay2) keeps
    /// layers unpacked and a push gzips them, so there only `gzip` at the default level holds.
    public func compressionMismatch(_ environment: RunEnvironment) -> String? {
        guard let compression, !compression.isPushDefault else { return nil }
        return Self.needsImageExporter(
            "\(variant.name) asks for compression: \(compression)", builder: builder, environment,
            graphDriver: "keeps layers unpacked (\(environment.storageDriver) graph driver) and a push gzips them")
    }

    /// Why an engine cannot keep this variant's list of platforms as one image, with the fix; nil when it
    /// can (or the variant names one platform). buildx's image exporter writes the index into the containerd
    /// image store; a graph driver keeps one platform's image under a name ("docker exporter does not
    /// currently support exporting manifest lists").
    public func platformMismatch(_ environment: RunEnvironment) -> String? {
        guard let platform, PlatformIndex.isList(platform) else { return nil }
        return Self.needsImageExporter(
            "\(variant.name) asks for platform: \(platform), one index of \(PlatformIndex.platforms(platform).count) images", builder: builder,
            environment, graphDriver: "keeps one platform's image under a name (\(environment.storageDriver) graph driver)")
    }

    /// What buildx's image exporter into the containerd image store needs and `environment` lacks, with the fix.
    private static func needsImageExporter(_ asked: String, builder: BuilderKind, _ environment: RunEnvironment, graphDriver: String) -> String? {
        if builder != .buildkit { return "\(asked), which BuildKit writes; use builder: buildkit" }
        if environment.buildxVersion == nil {
            return
                "\(asked), which buildx's image exporter writes, and \(environment.dockerPath) \(environment.dockerClient) has no buildx plugin; run scripts/setup (it installs Debian 13's docker-buildx)"
        }
        if environment.imageStore != .containerd {
            return
                "\(asked), but this engine \(graphDriver); build it on the containerd image store (scripts/engine start NAME --dockerd 26.1 --store containerd, then --host or DOCKER_HOST)"
        }
        return nil
    }

    /// The bases only stages on `$BUILDPLATFORM` build FROM: they run as the engine's own platform.
    public var buildPlatformBaseImages: [String] { baseImages.filter { !targetBaseImages.contains($0) } }

    /// Why a base a stage builds FROM cannot serve it, with the fix; nil when it can. `present` is each base's
    /// platform as the engine holds it; `native` the engine's (`linux/amd64`), which a stage on `$BUILDPLATFORM`
    /// needs. BuildKit asks the base's registry for a platform the engine lacks, and imagebench reaches no
    /// registry it was not given: the variant is skipped.
    public func basePlatformMismatch(present: [String: String], native: String? = nil) -> String? {
        guard let platform else { return nil }
        if let native {
            for base in buildPlatformBaseImages {
                guard let held = present[base], !Self.samePlatform(held, native) else { continue }
                return
                    "\(variant.name) builds FROM \(base) on $BUILDPLATFORM (\(native)), but the engine holds it for \(held) only, and BuildKit would ask a registry for the \(native) image; give that stage an image of the engine's platform (an images: entry of its own)"
            }
        }
        for target in PlatformIndex.platforms(platform) {
            for base in targetBaseImages {
                guard let held = present[base], !Self.samePlatform(held, target) else { continue }
                return
                    "\(variant.name) builds FROM \(base) for \(target), but the engine holds it for \(held) only, and BuildKit would ask a registry for the \(target) image; build that stage on the engine's platform (FROM --platform=$BUILDPLATFORM, cross-compiling for $TARGETARCH) or load a \(target) image of it"
            }
        }
        return nil
    }

    /// Whether two platforms name the same (`linux/arm64` and `linux/arm64/v8` do).
    static func samePlatform(_ a: String, _ b: String) -> Bool {
        func parts(_ p: String) -> [String] {
            let split = p.split(separator: "/").map(String.init)
            return split.count == 3 && split[1] == "arm64" && split[2] == "v8" ? Array(split.prefix(2)) : split
        }
        return parts(a) == parts(b)
    }

    /// The platform its containers run as: the one it was built for; of a list, the engine's own
    /// architecture's (`native`, `amd64`) when listed, else the first, which then runs emulated.
    public func runPlatform(native: String?) -> String? {
        guard let platform, PlatformIndex.isList(platform) else { return platform }
        return PlatformIndex.smokePlatform(platform, native: native)
    }

    /// `imagebench/<scenario>:r<run>-<variant>[-<session>]`, a valid docker tag. The session token keeps
    /// two runs with the same id (two databases on one engine) from taking each other's tags.
    /// The variant's image's own tag, given when it is built: every build of the variant takes ``tag(runID:session:)``,
    /// and on the containerd image store an image whose last name goes to another is deleted with it.
    public func keptTag(runID: String, session: String? = nil) -> String { tag(runID: runID, session: session) + "-image" }

    public func tag(runID: String, session: String? = nil) -> String {
        // A repository name starts and ends with a letter or digit (docker's reference grammar); a
        // scenario named after its folder may have neither.
        let mapped = String(scenario.name.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) ? $0 : "-" })
        let trimmed = mapped.trimmingCharacters(in: CharacterSet(charactersIn: "._-"))
        let repo = trimmed.isEmpty ? "scenario" : trimmed
        var name = variant.name.map { c -> Character in
            switch c {
            case "=": "-"
            case ",": "_"
            default: c.isASCII && (c.isLetter || c.isNumber || "._-".contains(c)) ? c : "-"
            }
        }
        if name.count > 100 { name = Array(name.prefix(100)) }
        return "imagebench/\(repo):r\(runID)-\(String(name))" + (session.map { "-\($0)" } ?? "")
    }
}
