import ImageBenchCore

/// The terminal comparison table: one section per scenario, one row per variant, sorted by size.
public enum TableReport {
    public static func render(_ report: RunReport) -> String {
        guard !report.results.isEmpty || !report.runs.isEmpty else { return "No runs yet: run `imagebench run SCENARIO` first.\n" }
        var out = ""
        for run in report.runs { out += header(run) }
        for scenario in report.scenarios {
            out += "\n" + section(scenario, report: report)
        }
        let repeats = report.results.flatMap { r in Phase.allCases.map { r.samples($0).count } }.max() ?? 0
        out += "\n\(SizeText.meaning); vs min: size ÷ smallest working variant.\n"
        for note in SizeText.engineNotes(report.results) { out += TextTable.plain(note) + "\n" }
        if let podman = EngineText.podmanSizeNote(report.results) { out += podman + "\n" }
        out +=
            "Compressed: the layers as a push sends them and a pull transfers, gzip unless named beside the figure (a variant's compression: zstd, uncompressed); from the registry's manifest (run --registry), the engine's stored blobs, or ~estimated by gzip here.\n"
        out += "Unique: layer bytes no other variant of the scenario shares. Wasted: bytes written more than once, as dive counts them.\n"
        out +=
            "Times: wall time of `docker build`, median of up to \(repeats) repetitions (min–max), in seconds. Context: bytes docker reported receiving, then how many of the files sent (the Dockerfile and the ignore file included) the build can COPY, with the ignore file applied as the variant's builder applies it.\n"
        out +=
            "Slowest step (cold): the cold build's step with the longest median, and that median's share of the build's median; `imagebench report --steps` shows every step.\n"
        if let meaning = StepText.meaning(StepText.builders(report.results)) { out += meaning + "\n" }
        if CIText.phases(report.results).contains(.ci) { out += CIText.meaning + "\n" }
        if let meaning = StartText.meaning(report.results) { out += meaning + "\n" }
        if let emulated = PlatformText.emulated(report.results) { out += TextTable.plain(emulated) + "\n" }
        if report.results.contains(where: { $0.platformIndex != nil }) { out += PlatformText.indexMeaning + "\n" }
        if report.results.contains(where: PackageText.analysed) { out += PackageText.meaning + "\n" }
        return out
    }

    static func header(_ run: RunRecord) -> String {
        let env = run.environment
        var line = "Run \(run.id) · \(run.status.rawValue) · \(Units.timestamp(run.startedAt))"
        line += " · \(TextTable.plain(EngineText.header(env)))\n"
        if let ci = env.ciEngine {
            line += TextTable.plain("ci phase engine: \(ci.endpoint) · docker \(ci.serverVersion) · \(ci.storageDriver)") + "\n"
        }
        if !run.labels.isEmpty {
            line += "Labels: " + TextTable.plain(run.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")) + "\n"
        }
        for scenario in run.scenarios where !scenario.images.isEmpty {
            line += "Images used by \(scenario.name):\n" + imageLines(scenario.images)
        }
        return line
    }

    /// One indented line per image: `  builder  imagebench-local/go-builder:bookworm (stands in for golang:1.22-bookworm, profile offline)`.
    public static func imageLines(_ images: [ResolvedImage]) -> String {
        let width = images.map(\.name.count).max() ?? 0
        return images.map { image in
            let name = image.name + String(repeating: " ", count: width - image.name.count)
            let note =
                image.used == image.requested
                ? "" : " (stands in for \(image.requested), \(image.source)\(image.provides.map { "; it holds: \($0)" } ?? "")\(platformNote(image)))"
            return TextTable.plain("  \(name)  \(image.used)\(note)") + "\n"
        }.joined()
    }

    /// `; for linux/arm64: imagebench-local/musl-busybox:1-arm64`, each platform's own substitute.
    static func platformNote(_ image: ResolvedImage) -> String {
        (image.platforms ?? [:]).sorted { $0.key < $1.key }.map { "; for \($0.key): \($0.value)" }.joined()
    }

    static func section(_ scenario: String, report: RunReport) -> String {
        let rows = report.rows(for: scenario)
        let smallest = report.smallestWorkingSize(for: scenario)
        let sharing = SharedBytes.compute(report.results)
        let engines = EngineText.needsColumn(rows)
        let times = StartText.times(rows)
        let memory = StartText.showsMemory(rows)
        let disk = SizeText.showsDisk(rows)
        var table = TextTable(
            headers: ["variant", "status", "size"] + (disk ? [SizeText.diskHeader] : []) + [
                "compressed", "vs min", "unique", "wasted", "layers", "context",
            ]
                + times.map { "\($0.rawValue) s" } + ["slowest step (cold)", "smoke"] + (memory ? [StartText.memoryHeader] : [])
                + (engines ? ["engine"] : []),
            alignments: [.left, .left, .right] + (disk ? [.right] : []) + [.right, .right, .right, .right, .right, .right]
                + times.map { _ in .right } + [.left, .left] + (memory ? [.right] : []) + (engines ? [.left] : []))
        for r in rows {
            let size = r.image?.sizeBytes
            table.append(
                [
                    r.name, r.status.rawValue,
                    size.map(Units.bytes) ?? "—",
                ] + (disk ? [SizeText.diskCell(r)] : []) + [
                    Units.compressed(r.insight),
                    (size != nil && smallest != nil && r.status == .ok) ? Units.ratio(Double(size!) / Double(smallest!)) : "—",
                    sharing[r].map { Units.bytes($0.unique) } ?? "—",
                    r.insight.map { Units.bytes($0.wastedBytes) } ?? "—",
                    r.image.map { String($0.layers) } ?? "—",
                    contextCell(r),
                ] + times.map { timeCell(r, $0) } + [StepText.slowestCell(r), smokeCell(r)] + (memory ? [StartText.memoryCell(r)] : [])
                    + (engines ? [EngineText.cell(r)] : []))
        }
        var out =
            TextTable.plain(scenario) + "\n" + (EngineText.mixedWarning(rows).map { "warning: \(TextTable.plain($0))\n" } ?? "") + table.render()
        if let total = sharedTotalLine(report, scenario) { out += total + "\n" }
        if let ignore = ignoreLine(rows) { out += TextTable.plain(ignore) + "\n" }
        let notes = rows.flatMap { r in
            VariantNote.notes(for: r).compactMap { note -> String? in
                switch note {
                case .problem(let text): "  \(r.name): \(text)"
                case .expectedBroken(let said): "  \(r.name): expected-broken, docker said: \(said)"
                case .secretsInContext(let paths): "  \(r.name): secrets in the build context: \(paths.joined(separator: ", "))"
                case .secretsInImage(let paths): "  \(r.name): secrets inside the image: \(paths.joined(separator: ", "))"
                case .secretNamesInContext(let paths):
                    "  \(r.name): named like secrets in the build context, content not flagged: \(paths.joined(separator: ", "))"
                case .secretNamesInImage(let paths):
                    "  \(r.name): named like secrets inside the image, content not flagged: \(paths.joined(separator: ", "))"
                case .missingInterpreter(let linkage): "  \(r.name): entrypoint \(linkage.summary)"
                case .editInvalidated(let invalidation, let build): "  \(r.name): \(StepText.invalidation(invalidation, build: build))"
                case .target(let stage): "  \(r.name): builds --target \(stage): that stage alone"
                case .ci(let verdict): "  \(r.name): \(CIText.verdict(verdict))"
                case .ciSkipped(let reason): "  \(r.name): ci phase skipped: \(reason)"
                case .ciProblem(let problem): "  \(r.name): ci phase stopped: \(problem)"
                case .waste: nil  // the table has a wasted column
                }
            }
        }
        let gains = (CIText.gains(rows) + PlatformText.crossLines(rows)).map { "  \($0)" }
        if !notes.isEmpty || !gains.isEmpty { out += "Notes:\n" + (notes + gains).map(TextTable.plain).joined(separator: "\n") + "\n" }
        let inside = PackageText.lines(rows)
        if !inside.isEmpty {
            out +=
                "Inside the images (largest packages first):\n"
                + inside.map { TextTable.plain("  \($0.variant): \($0.text)") }.joined(separator: "\n") + "\n"
        }
        if let why = PackageText.why(rows) { out += TextTable.plain(why) + "\n" }
        let platforms = PlatformText.indexLines(rows)
        if !platforms.isEmpty {
            out += "Platforms:\n" + platforms.map { TextTable.plain("  \($0.variant): \($0.text)") }.joined(separator: "\n") + "\n"
        }
        return out
    }

    /// `All 7 variants: 145 MB of layers, shared layers counted once (the sizes add up to 290 MB).`
    static func sharedTotalLine(_ report: RunReport, _ scenario: String) -> String? {
        let analysed = report.results.filter { $0.scenario == scenario && $0.insight != nil }
        guard analysed.count > 1 else { return nil }
        let distinct = SharedBytes.distinctTotal(report.results, scenario: scenario)
        let summed = analysed.reduce(Int64(0)) { $0 + ($1.insight?.layers.reduce(0) { $0 + $1.bytes } ?? 0) }
        return
            "All \(analysed.count) images: \(Units.bytes(distinct)) of layers with shared layers counted once (adding their sizes would say \(Units.bytes(summed)))."
    }

    /// What docker reported receiving, then how many of the files sent the build can `COPY`, counted
    /// with the variant's builder's rules (`1.48 kB, 2 of 3 files`). Runs recorded before imagebench
    /// told them apart show the files sent.
    static func contextCell(_ r: VariantResult) -> String {
        let reported = r.contextBytes.map(Units.bytes)
        guard let facts = r.context else { return reported ?? "—" }
        let plural = facts.files == 1 ? "" : "s"
        let files = facts.copyableFiles.map { "\($0) of \(facts.files) file\(plural)" } ?? "\(facts.files) file\(plural)"
        return reported.map { "\($0), \(files)" } ?? files
    }

    /// Which ignore file applied to which variants, in the order first seen (nil: none applied); nil
    /// for runs recorded before imagebench said.
    static func ignoreFiles(_ rows: [VariantResult]) -> [(file: String?, variants: [String])]? {
        let known = rows.compactMap { r in r.context.flatMap { $0.rules == nil ? nil : (r.name, $0.ignoreFile) } }
        guard !known.isEmpty else { return nil }
        var groups: [(file: String?, variants: [String])] = []
        for (name, file) in known {
            if let i = groups.firstIndex(where: { $0.file == file }) { groups[i].variants.append(name) } else { groups.append((file, [name])) }
        }
        return groups
    }

    /// `Ignore file: .dockerignore, for every variant.` or one group per file; `name` formats a file or
    /// variant name for the format at hand.
    static func ignoreLine(_ rows: [VariantResult], name: (String) -> String = { $0 }) -> String? {
        guard let groups = ignoreFiles(rows) else { return nil }
        func file(_ f: String?) -> String { f.map(name) ?? "none" }
        if groups.count == 1 && groups[0].variants.count == rows.count { return "Ignore file: \(file(groups[0].file)), for every variant." }
        return "Ignore file" + (groups.count == 1 ? ": " : "s: ")
            + groups.map { "\(file($0.file)) for \($0.variants.map(name).joined(separator: ", "))" }.joined(separator: "; ") + "."
    }

    static func timeCell(_ r: VariantResult, _ metric: Metric) -> String {
        Summary(metric.samples(of: r)).map(Units.medianRange) ?? "—"
    }

    static func smokeCell(_ r: VariantResult) -> String {
        guard let smoke = r.smoke else { return "—" }
        if smoke.ok { return "pass \(Units.seconds(smoke.seconds))" }
        if smoke.timedOut { return "fail (timeout)" }
        return "fail (exit \(smoke.exitCode.map(String.init) ?? "?"))"
    }
}
