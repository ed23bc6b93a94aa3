import ImageBenchCore
import ImageBenchTestSupport
import Testing

@Suite("Variants and plans")
struct VariantTests {
    static func scenario() -> Scenario {
        var s = Scenario(name: "s", file: "/s/scenario.yaml", directory: "/s", context: "/s")
        s.buildArgs = [BuildArg(key: "BASE", value: "${images.base}"), BuildArg(key: "MODE", value: "x")]
        var fast = BuildSettings()
        fast.buildArgs = [BuildArg(key: "MODE", value: "fast")]
        fast.target = "fast"
        var classic = BuildSettings()
        classic.builder = .classic
        s.axes = [
            Axis(name: "mode", values: [AxisValue(name: "fast", settings: fast), AxisValue(name: "slow")]),
            Axis(name: "builder", values: [AxisValue(name: "bk"), AxisValue(name: "classic", settings: classic)]),
        ]
        s.exclude = [AxisSelector(pairs: [("mode", "slow"), ("builder", "classic")])]
        s.expectBroken = [AxisSelector(pairs: [("builder", "classic")], line: 9)]
        return s
    }

    @Test("the matrix expands in axis order, without excluded variants")
    func expansion() {
        let variants = Self.scenario().variants()
        #expect(variants.map(\.name) == ["mode=fast,builder=bk", "mode=fast,builder=classic", "mode=slow,builder=bk"])
        #expect(variants[0].settings.buildArgs == [BuildArg(key: "BASE", value: "${images.base}"), BuildArg(key: "MODE", value: "fast")])
        #expect(variants[0].settings.target == "fast")
        #expect(variants[1].settings.builder == .classic)
        #expect(variants[1].expectBroken?.line == 9)
        #expect(variants[2].expectBroken == nil)
    }

    @Test("--only keeps variants with the named values; values of one axis are alternatives")
    func only() {
        let s = Self.scenario()
        let filter = VariantFilter(pairs: [AxisChoice(axis: "builder", value: "bk")])
        #expect(filter.apply(s.variants(), axes: s.axes).map(\.name) == ["mode=fast,builder=bk", "mode=slow,builder=bk"])
        let both = VariantFilter(pairs: [
            AxisChoice(axis: "mode", value: "fast"), AxisChoice(axis: "mode", value: "slow"), AxisChoice(axis: "builder", value: "classic"),
        ])
        #expect(both.apply(s.variants(), axes: s.axes).map(\.name) == ["mode=fast,builder=classic"])
        let foreign = VariantFilter(pairs: [AxisChoice(axis: "arch", value: "arm")])
        #expect(foreign.apply(s.variants(), axes: s.axes).count == 3)
    }

    @Test("image substitution: --image beats the profile, which beats the scenario")
    func substitution() {
        var s = Self.scenario()
        s.images = [
            NamedImage(name: "base", reference: "alpine:3.20"), NamedImage(name: "tool", reference: "golang:1.22"),
            NamedImage(name: "other", reference: "x:1"),
        ]
        let subs = ImageSubstitutions(
            profileName: "offline", profile: ["alpine:3.20": "local/musl:1", "golang:1.22": "local/go:1"], overrides: ["tool": "mine/go:2"])
        #expect(
            subs.resolve(s) == [
                ResolvedImage(name: "base", requested: "alpine:3.20", used: "local/musl:1", source: "profile offline"),
                ResolvedImage(name: "tool", requested: "golang:1.22", used: "mine/go:2", source: "--image"),
                ResolvedImage(name: "other", requested: "x:1", used: "x:1", source: "scenario"),
            ])
        #expect(Interpolation.expand("${images.base}/x ${images.nope}", images: ["base": "b"]) == "b/x ${images.nope}")
    }

    @Test("edit lines are comments in the file's language, different each time")
    func editLines() {
        #expect(EditSpec(file: "main.go").line(number: 1) == "// imagebench edit 1")
        #expect(EditSpec(file: "src/app.rs").line(number: 2) == "// imagebench edit 2")
        #expect(EditSpec(file: "requirements.txt").line(number: 1) == "# imagebench edit 1")
        #expect(EditSpec(file: "Makefile").line(number: 1) == "# imagebench edit 1")
        #expect(EditSpec(file: "main.go").line(number: 2, tag: "ab12cd34-v5") == "// imagebench edit 2 ab12cd34-v5")
        #expect(EditSpec(file: "a.py", append: "# touched").line(number: 1) == "# touched")
        #expect(EditSpec(file: "a.py", append: "# touched").line(number: 3) == "# touched 3")
    }

    @Test("FROM lines give the base images to make present, with ARGs expanded and stages skipped")
    func bases() {
        let dockerfile = """
            # syntax comment
            ARG BUILDER=golang:1.22
            ARG RUNTIME=scratch
            FROM ${BUILDER} AS build
            RUN make
            FROM --platform=linux/amd64 build AS test
            FROM $RUNTIME
            FROM debian:bookworm-slim \\
              AS final
            """
        #expect(DockerfileBases.references(dockerfile: dockerfile, buildArgs: [:]) == ["golang:1.22", "debian:bookworm-slim"])
        #expect(
            DockerfileBases.references(dockerfile: dockerfile, buildArgs: ["RUNTIME": "alpine:3.20", "BUILDER": "local/go:1"]) == [
                "local/go:1", "alpine:3.20", "debian:bookworm-slim",
            ])
        // A stage on $BUILDPLATFORM runs natively whatever the target: only the others need the target's image.
        let cross = """
            ARG BUILDER=golang:1.22
            FROM --platform=$BUILDPLATFORM ${BUILDER} AS build
            FROM --platform=${BUILDPLATFORM} busybox:1 AS tools
            FROM alpine:3.20
            """
        #expect(DockerfileBases.references(dockerfile: cross, buildArgs: [:]) == ["golang:1.22", "busybox:1", "alpine:3.20"])
        #expect(DockerfileBases.targetPlatformReferences(dockerfile: cross, buildArgs: [:]) == ["alpine:3.20"])
        #expect(DockerfileBases.targetPlatformReferences(dockerfile: dockerfile, buildArgs: [:]) == ["golang:1.22", "debian:bookworm-slim"])
    }

    @Test("RUN steps for the target platform: a stage FROM a $BUILDPLATFORM stage inherits it; stages the build does not need do not count")
    func targetPlatformRuns() {
        let dockerfile = """
            FROM --platform=$BUILDPLATFORM golang:1.22 AS build
            RUN go build -o /app .
            FROM build AS tested
            RUN go vet ./...
            FROM alpine:3.20 AS tools
            RUN apk add curl
            RUN echo unused
            FROM alpine:3.20 AS certs
            RUN apk add ca-certificates
            FROM scratch
            COPY --from=tested /app /app
            COPY --from=certs /etc/ssl /etc/ssl
            """
        // build and tested run natively; certs runs for the target; tools is not needed.
        #expect(DockerfileBases.targetPlatformRuns(dockerfile: dockerfile, buildArgs: [:]) == 1)
        #expect(DockerfileBases.targetPlatformRuns(dockerfile: dockerfile, buildArgs: [:], target: "tools") == 2)
        #expect(DockerfileBases.targetPlatformRuns(dockerfile: dockerfile, buildArgs: [:], target: "tested") == 0)
        let mounted =
            "ARG B=busybox:1\nFROM ${B} AS src\nRUN true\nFROM scratch AS out\nFROM alpine:3.20\n"
            + "RUN --mount=type=bind,from=src,target=/s cp /s/x /x\n"
        #expect(DockerfileBases.targetPlatformRuns(dockerfile: mounted, buildArgs: [:]) == 2)
    }
}
