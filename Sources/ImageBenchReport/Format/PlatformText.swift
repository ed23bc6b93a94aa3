import ImageBenchCore

/// What every report says about variants built for another architecture than their engine's.
enum PlatformText {
    /// One legend line naming the emulated variants, or nil when every variant ran natively.
    static func emulated(_ rows: [VariantResult]) -> String? {
        let emulated = rows.compactMap { r in r.emulatedArchitecture.map { (r.name, $0, r.engine?.architecture ?? "?") } }
        guard !emulated.isEmpty else { return nil }
        let names = emulated.map { "\($0.0) (\($0.1) on an \($0.2) engine)" }.joined(separator: ", ")
        return
            "Emulated: \(names) built and smoke-tested under QEMU user emulation (binfmt_misc): their build, start and pull times are emulated times, not native ones; sizes and packages are exact."
    }

    /// The emulated architecture for the CSV cell (`arm64`); empty for a native build.
    static func cell(_ r: VariantResult) -> String { r.emulatedArchitecture ?? "" }
}
