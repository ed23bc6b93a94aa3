import ImageBenchCore

/// What every report says about variants built for another architecture than their engine's.
enum PlatformText {
    /// One legend line naming the emulated variants, or nil when every variant ran natively.
    static func emulated(_ rows: [VariantResult]) -> String? {
        func named(_ rows: [VariantResult]) -> String {
            rows.map { "\($0.name) (\($0.emulatedArchitecture ?? "?") on an \($0.engine?.architecture ?? "?") engine)" }.joined(separator: ", ")
        }
        let emulated = rows.filter(\.buildEmulated)
        let cross = rows.filter { $0.emulatedArchitecture != nil && !$0.buildEmulated }
        let lists = rows.filter { !$0.emulatedListMembers.isEmpty && $0.emulatedArchitecture == nil }
        guard !emulated.isEmpty || !cross.isEmpty || !lists.isEmpty else { return nil }
        var said: [String] = []
        if !emulated.isEmpty {
            said.append(
                "Emulated: \(named(emulated)) built and smoke-tested under QEMU user emulation (binfmt_misc): their build, start and pull times are emulated times, not native ones; sizes and packages are exact."
            )
        }
        if !cross.isEmpty {
            said.append(
                "Cross-built: \(named(cross)) ran every RUN step natively, in stages on $BUILDPLATFORM, so their build times are native; their smoke tests (and start times) ran under QEMU user emulation."
            )
        }
        if !lists.isEmpty {
            let names = lists.map { "\($0.name) (\($0.emulatedListMembers.joined(separator: ", ")) on an \($0.engine?.architecture ?? "?") engine)" }
            said.append(
                "Built partly under emulation: \(names.joined(separator: ", ")), whose stages for those platforms run under QEMU user emulation: their build times include emulated steps; the smoke test ran the engine's own platform."
            )
        }
        return said.joined(separator: " ")
    }

    /// Each pair of variants for one foreign platform that differ in one axis value, one cross-compiled (no
    /// `RUN` step for the platform) and one built under emulation: both cold times, their ratio, and whether
    /// the two images are the same size (the same Go and flags write the same binary either way).
    static func crossLines(_ rows: [VariantResult], name: (String) -> String = { $0 }) -> [String] {
        let built = rows.filter { $0.emulatedArchitecture != nil && $0.targetPlatformRuns != nil && $0.image != nil }
        var lines: [String] = []
        for cross in built where !cross.buildEmulated {
            for emulated in built where emulated.buildEmulated && emulated.scenario == cross.scenario && emulated.platform == cross.platform {
                let apart = zip(cross.axes, emulated.axes).filter { $0 != $1 }.count
                guard cross.axes.count == emulated.axes.count, apart == 1, let c = Summary(cross.samples(.cold)),
                    let e = Summary(emulated.samples(.cold)), let a = cross.image?.sizeBytes, let b = emulated.image?.sizeBytes
                else { continue }
                let sizes =
                    a == b
                    ? "the same size, \(Units.bytes(a))"
                    : "\(Units.bytes(a)) and \(Units.bytes(b)) (\(Units.bytes(abs(a - b))) apart)"
                lines.append(
                    "\(name(cross.name)) against \(name(emulated.name)) (\(cross.platform ?? "")): cold \(Units.seconds(c.median)) cross-built on the engine's platform, \(Units.seconds(e.median)) under emulation"
                        + (c.median > 0 ? " (\(Units.ratio(e.median / c.median)) the time)" : "") + "; images \(sizes)")
            }
        }
        return lines
    }

    /// Each variant built for a list of platforms: the index's stored bytes, then one line per platform with
    /// its size, compressed size and layers; the member the smoke test ran is marked. Empty without one.
    static func indexLines(_ rows: [VariantResult]) -> [(variant: String, text: String)] {
        rows.flatMap { r -> [(variant: String, text: String)] in
            guard let index = r.platformIndex else { return [] }
            let smoked = r.platform.flatMap { PlatformIndex.smokePlatform($0, native: r.engine?.architecture) }
            let width = index.members.map(\.platform.count).max() ?? 0
            return [(r.name, "index \(Units.bytes(index.storedBytes)) stored (\(index.members.count) platforms, a shared blob once)")]
                + index.members.map { m in
                    let name = m.platform + String(repeating: " ", count: width - m.platform.count)
                    let note = m.platform == smoked ? ", smoke-tested" : ""
                    return (
                        r.name,
                        "  \(name)  \(Units.bytes(m.bytes)), compressed \(Units.bytes(m.compressedBytes)), \(m.layers) layer\(m.layers == 1 ? "" : "s")\(note)"
                            + inside(m, of: r).map { "; \($0)" }.joined()
                    )
                }
        }
    }

    /// What one platform's image holds, as the packages line says it for a variant (its packages and Go
    /// binaries, with their GOARCH), and its entrypoint's loader when it has one.
    static func inside(_ m: PlatformIndex.Member, of r: VariantResult) -> [String] {
        var platform = r
        platform.insight?.packages = m.packages
        platform.insight?.goBinaries = m.goBinaries
        var said = m.packages == nil && m.goBinaries == nil ? [] : PackageText.lines([platform]).map(\.text)
        if let linkage = m.linkage, linkage.kind == .dynamic { said.append("entrypoint " + linkage.summary) }
        return said
    }

    /// What the platform lines' figures are.
    static let indexMeaning =
        "Platforms: a variant built for a list of platforms is one image index; size is each platform's files on disk, compressed its layers as stored (what a pull of that platform transfers), stored every blob of the index once (what a registry keeps). The table's row is the engine's own platform's image."

    /// Each platform's figures for the CSV cell, `platform:size:compressed:layers` joined by `;`; empty for one platform.
    static func sizesCell(_ r: VariantResult) -> String {
        (r.platformIndex?.members ?? []).map { "\($0.platform):\($0.bytes):\($0.compressedBytes):\($0.layers)" }.joined(separator: ";")
    }

    /// The emulated architecture for the CSV cell (`arm64`); empty for a native build.
    static func cell(_ r: VariantResult) -> String { r.emulatedArchitecture ?? "" }
}
