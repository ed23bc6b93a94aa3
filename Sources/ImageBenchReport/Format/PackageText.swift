import ImageBenchCore

/// How every report shows what makes an image's bytes: its largest OS packages, its Go binaries, and
/// why the scenario's largest image is larger than its smallest.
enum PackageText {
    /// How many packages a report names per variant.
    static let top = 10

    /// Whether the variant's image was read for packages (runs recorded before imagebench did are not).
    static func analysed(_ r: VariantResult) -> Bool { r.insight?.goBinaries != nil }

    /// `88 packages, 112 MB: coreutils 18.2 MB, libc6 12.8 MB, …; 4.32 MB in files no package lists`, or
    /// `no package database` (scratch); nil when the image was not read for packages.
    static func packagesCell(_ r: VariantResult, name: (String) -> String = { $0 }) -> String? {
        guard analysed(r), let insight = r.insight else { return nil }
        guard let p = insight.packages else { return "no package database" }
        let largest = p.packages.prefix(top).map { "\(name($0.name)) \(Units.bytes($0.bytes))" }.joined(separator: ", ")
        return "\(p.packages.count) \(p.manager) packages, \(Units.bytes(p.ownedBytes))" + (largest.isEmpty ? "" : ": \(largest)")
            + "; \(Units.bytes(p.unownedBytes)) in files no package lists"
    }

    /// How many Go binaries a report names per variant (the entrypoint first); analyze lists them all.
    static let topBinaries = 3

    /// `Go /app: go1.19.8, CGO_ENABLED=0 linux/amd64 -ldflags=-s -w, 3 modules`, one per Go binary, the
    /// entrypoint first, at most ``topBinaries`` and a count of the rest.
    static func goCells(_ r: VariantResult, name: (String) -> String = { $0 }) -> [String] {
        let entrypoint = r.insight?.linkage?.entrypoint
        let binaries = (r.insight?.goBinaries ?? []).sorted { ($0.path == entrypoint ? 0 : 1, $0.path) < ($1.path == entrypoint ? 0 : 1, $1.path) }
        let cells = binaries.prefix(topBinaries).map { binary in
            "Go \(name(binary.path)): \(name(binary.goVersion))" + (binary.buildSummary.isEmpty ? "" : ", \(name(binary.buildSummary))")
                + (binary.modules.isEmpty ? "" : ", \(binary.modules.count) module\(binary.modules.count == 1 ? "" : "s")")
        }
        return cells + (binaries.count > topBinaries ? ["\(binaries.count - topBinaries) more Go binaries (imagebench analyze lists them)"] : [])
    }

    /// One line per variant read for packages: `name: packages; Go binaries`.
    static func lines(_ rows: [VariantResult], name: (String) -> String = { $0 }) -> [(variant: String, text: String)] {
        rows.compactMap { r in
            packagesCell(r, name: name).map { (r.name, ([$0] + goCells(r, name: name)).joined(separator: "; ")) }
        }
    }

    /// The bytes of an image a package database does not explain: all of them without one.
    static func unowned(_ r: VariantResult) -> Int64 {
        r.insight?.packages?.unownedBytes ?? r.image?.sizeBytes ?? 0
    }

    /// Whether both variants name their engines and those are of different kinds.
    static func differentEngines(_ a: VariantResult, _ b: VariantResult) -> Bool {
        guard let x = a.engine, let y = b.engine else { return false }
        return x.kind != y.kind
    }

    /// How much larger the largest image must be for the why line: 10%.
    static let minimumRatio = 1.1

    /// `Why dynamic-debian (124 MB) is larger than static-scratch (7.20 MB): 88 packages +112 MB in
    /// their files (coreutils +18.2 MB, libc6 +12.8 MB, perl-base +7.40 MB); files no package lists +4.32 MB.`
    /// From the largest and the smallest built variants, when both were read for packages, were built
    /// on engines of one kind, and the largest is at least 10% larger.
    static func why(_ rows: [VariantResult], name: (String) -> String = { $0 }) -> String? {
        let built = rows.filter { $0.status != .buildFailed && $0.image != nil && analysed($0) }
        guard built.count > 1, let small = built.min(by: { $0.image!.sizeBytes < $1.image!.sizeBytes }),
            let large = built.max(by: { $0.image!.sizeBytes < $1.image!.sizeBytes }),
            // Only a real difference, between sizes one engine measured (podman's .Size counts tar streams).
            Double(large.image!.sizeBytes) >= Double(small.image!.sizeBytes) * minimumRatio, !differentEngines(large, small)
        else { return nil }
        let changes = ImageDiff.packages(small.insight?.packages, large.insight?.packages) ?? []
        let grown = changes.filter { $0.delta > 0 }
        let packageBytes = changes.reduce(Int64(0)) { $0 + $1.delta }
        var line =
            "Why \(name(large.name)) (\(Units.bytes(large.image!.sizeBytes))) is larger than \(name(small.name)) (\(Units.bytes(small.image!.sizeBytes))): "
        if changes.isEmpty {
            line += "no package differs"
        } else {
            let added = changes.filter { $0.change == .added }.count
            let what = added == changes.count ? "\(added) more package\(added == 1 ? "" : "s")" : "\(changes.count) packages differ,"
            line +=
                "\(what) \(DiffReport.signed(packageBytes)) in their files ("
                + grown.prefix(3).map { "\(name($0.name)) \(DiffReport.signed($0.delta))" }.joined(separator: ", ") + ")"
        }
        line += "; files no package lists \(DiffReport.signed(unowned(large) - unowned(small)))."
        return line
    }

    static let meaning =
        "Packages: read from each image's package database (dpkg's status and file lists, distroless's status.d, apk's installed), no container started; "
        + "bytes are the sizes of a package's listed files as they are in the image, \"files no package lists\" the rest (the application binary, generated files)."
}
