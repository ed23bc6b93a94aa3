import ImageBenchCore

/// What every report says about variants built for another architecture than their engine's.
enum PlatformText {
    /// One legend line naming the emulated variants, or nil when every variant ran natively.
    static func emulated(_ rows: [VariantResult]) -> String? {
        let emulated = rows.compactMap { r in r.emulatedArchitecture.map { (r.name, $0, r.engine?.architecture ?? "?") } }
        let lists = rows.filter { !$0.emulatedListMembers.isEmpty && $0.emulatedArchitecture == nil }
        guard !emulated.isEmpty || !lists.isEmpty else { return nil }
        var said: [String] = []
        if !emulated.isEmpty {
            let names = emulated.map { "\($0.0) (\($0.1) on an \($0.2) engine)" }.joined(separator: ", ")
            said.append(
                "Emulated: \(names) built and smoke-tested under QEMU user emulation (binfmt_misc): their build, start and pull times are emulated times, not native ones; sizes and packages are exact."
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
