import Foundation
import ImageBenchCore

/// `imagebench diff` as a table, Markdown or JSON.
public enum DiffReport {
    /// `+1.20 MB`, `-512 B`, `0 B`.
    static func signed(_ bytes: Int64) -> String { (bytes > 0 ? "+" : bytes < 0 ? "-" : "") + Units.bytes(abs(bytes)) }

    static func headline(_ d: ImageDiff) -> String {
        "\(d.a) → \(d.b): \(signed(d.delta)) of files (\(Units.bytes(d.bytesA)) → \(Units.bytes(d.bytesB)))"
    }

    static func summaryLines(_ d: ImageDiff) -> [String] {
        var lines = [
            "files: \(d.added.count) added (\(signed(d.added.bytes))), \(d.removed.count) removed (\(signed(-d.removed.bytes))), "
                + "\(d.changed.count) changed (\(signed(d.changed.bytes)))"
                + (d.uncompared > 0 ? "; \(d.uncompared) of equal size from layers not shared, contents not compared" : ""),
            "layers: \(d.layers.shared.count) shared (\(Units.bytes(d.layers.shared.bytes))), \(d.layers.onlyA.count) only in \(d.a) "
                + "(\(Units.bytes(d.layers.onlyA.bytes))), \(d.layers.onlyB.count) only in \(d.b) (\(Units.bytes(d.layers.onlyB.bytes)))"
                + recompressedText(d),
        ]
        if let packages = d.packages {
            let count = { (change: ImageDiff.Change) in packages.filter { $0.change == change }.count }
            var line =
                "packages: \(count(.added)) added, \(count(.removed)) removed, \(count(.changed)) changed, "
                + "\(signed(packages.reduce(0) { $0 + $1.delta })) in their files"
            if let a = d.unownedA, let b = d.unownedB { line += "; files no package lists \(signed(b - a))" }
            lines.append(line)
        } else {
            lines.append("packages: no package database in either image")
        }
        return lines
    }

    /// `; 2 of the shared differ only by compression (gzip 1.50 MB → zstd 1.54 MB)`, or nothing.
    static func recompressedText(_ d: ImageDiff) -> String {
        let layers = d.layers.recompressed
        guard !layers.isEmpty else { return "" }
        let kinds = { (names: [String]) in names.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }.joined(separator: "+") }
        let a = layers.reduce(0) { $0 + $1.compressedA }, b = layers.reduce(0) { $0 + $1.compressedB }
        return "; \(layers.count) of the shared differ only by compression (\(kinds(layers.map(\.compressionA))) \(Units.bytes(a)) → "
            + "\(kinds(layers.map(\.compressionB))) \(Units.bytes(b)))"
    }

    static func packageVersion(_ p: ImageDiff.PackageChange) -> String {
        switch p.change {
        case .added: return p.versionB ?? ""
        case .removed: return p.versionA ?? ""
        case .changed: return p.versionA == p.versionB ? (p.versionB ?? "") : "\(p.versionA ?? "") → \(p.versionB ?? "")"
        }
    }

    public static func table(_ d: ImageDiff, top: Int) -> String {
        var out = headline(d) + "\n" + summaryLines(d).joined(separator: "\n") + "\n"
        if let packages = d.packages, !packages.isEmpty {
            var table = TextTable(headers: ["bytes", "change", "package", "version"], alignments: [.right, .left, .left, .left])
            for p in packages.prefix(top) { table.append([signed(p.delta), p.change.rawValue, p.name, packageVersion(p)]) }
            if packages.count > top { table.append(["", "", "(\(packages.count - top) more)", ""]) }
            out += "Packages, largest change first:\n" + table.render()
        }
        if !d.files.isEmpty {
            var table = TextTable(headers: ["bytes", "change", "path"], alignments: [.right, .left, .left])
            for f in d.files.prefix(top) { table.append([signed(f.delta), f.change.rawValue, f.path]) }
            if d.files.count > top { table.append(["", "", "(\(d.files.count - top) more)"]) }
            out += "Files, largest change first:\n" + table.render()
        }
        for line in secretLines(d) { out += line + "\n" }
        return out + "Sizes: uncompressed file bytes as a container sees them (a file a later layer replaced counts as it ends), SI units.\n"
    }

    public static func markdown(_ d: ImageDiff, top: Int) -> String {
        let md = MarkdownReport.self
        var out = "### " + md.text(headline(d)) + "\n\n" + summaryLines(d).map { "- " + md.text($0) }.joined(separator: "\n") + "\n\n"
        if let packages = d.packages, !packages.isEmpty {
            out += "| bytes | change | package | version |\n|---:|---|---|---|\n"
            for p in packages.prefix(top) { out += md.row([signed(p.delta), p.change.rawValue, md.code(p.name), md.text(packageVersion(p))]) }
            if packages.count > top { out += md.row(["", "", "(\(packages.count - top) more)", ""]) }
            out += "\n"
        }
        if !d.files.isEmpty {
            out += "| bytes | change | path |\n|---:|---|---|\n"
            for f in d.files.prefix(top) { out += md.row([signed(f.delta), f.change.rawValue, md.code(f.path)]) }
            if d.files.count > top { out += md.row(["", "", "(\(d.files.count - top) more)"]) }
            out += "\n"
        }
        let secrets = secretLines(d)
        if !secrets.isEmpty { out += secrets.map { "- " + md.text($0) }.joined(separator: "\n") + "\n\n" }
        return out + "Sizes: uncompressed file bytes as a container sees them, SI units.\n"
    }

    /// Secrets one side holds and the other does not: by content, then files named like secrets.
    static func secretLines(_ d: ImageDiff) -> [String] {
        var lines: [String] = []
        for (side, findings) in [(d.a, d.secretsOnlyA ?? []), (d.b, d.secretsOnlyB ?? [])] {
            let content = findings.filter { $0.kind == .content }.map(\.summary)
            let names = findings.filter { $0.kind == .name }.map(\.summary)
            if !content.isEmpty { lines.append("Secrets only in \(side): " + content.joined(separator: ", ")) }
            if !names.isEmpty { lines.append("Named like secrets only in \(side), content not flagged: " + names.joined(separator: ", ")) }
        }
        return lines
    }

    /// All of it, the lists cut to `top`, with the full counts kept in the tallies.
    public static func json(_ d: ImageDiff, top: Int) -> String {
        var cut = d
        cut.files = Array(d.files.prefix(top))
        cut.packages = d.packages.map { Array($0.prefix(top)) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(cut)).map { String(decoding: $0, as: UTF8.self) + "\n" } ?? "{}\n"
    }
}
