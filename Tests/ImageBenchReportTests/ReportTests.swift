import Foundation
import ImageBenchCore
import ImageBenchReport
import ImageBenchTestSupport
import Testing

@Suite("Report rendering")
struct ReportTests {
    @Test("table: sorted by size, SI units, median (min–max), ratio to the smallest working variant")
    func table() {
        let text = TableReport.render(ReportFixture.report())
        if let mismatch = snapshotMismatch(text, named: "table.txt") { Issue.record(Comment(rawValue: mismatch)) }
        #expect(text.contains("4.47 MB"))
        #expect(text.contains("3.71 (3.62–3.90)"))
        #expect(text.contains("1.60×"))
        #expect(text.contains("  alpine  imagebench-local/musl-busybox:1 (stands in for alpine:3.20, profile offline)\n"))
    }

    @Test("an image of the containerd image store: a disk column, and what .Size means there, in every format")
    func containerdStore() throws {
        var report = ReportFixture.report()
        for i in report.results.indices { report.results[i].engine = Sample.environment().engineRecord }
        let index = try #require(report.results.firstIndex { $0.name == "linking=static,runtime=scratch" })
        report.results[index].image?.engineSize = EngineSize(bytes: 2_151_200, meaning: .packed, diskBytes: 6_624_032, store: .containerd)
        report.results[index].engine = EngineRecord(
            kind: .docker, endpoint: "unix:///tmp/imagebench-modern/docker.sock", host: "ci-1", serverVersion: "26.1.5+dfsg1",
            storageDriver: "overlayfs", cpus: 2, memoryBytes: 1)
        let note =
            "On docker 26.1.5+dfsg1 at unix:///tmp/imagebench-modern/docker.sock on ci-1 (overlayfs, 2 CPUs), containerd image store: docker image inspect .Size is the packed content (the blobs as stored, mostly compressed), 2.15 MB for linking=static,runtime=scratch, whose layers hold 4.47 MB."
        let table = TableReport.render(report)
        #expect(table.contains(note), "\(table)")
        let header = try #require(table.split(separator: "\n").first { $0.hasPrefix("variant ") })
        #expect(header.contains("size     disk    compressed"), "\(header)")
        #expect(table.contains("4.47 MB  6.62 MB"))
        #expect(table.contains("warning: the variants were built on 2 different engines"))
        #expect(table.contains("sizes, layers and compressed sizes compare (they are defined by the layers); build times and the disk"))
        let markdown = MarkdownReport.render(report)
        #expect(markdown.contains("| variant | status | size | disk | compressed |") && markdown.contains("| 4.47 MB | 6.62 MB |"))
        #expect(markdown.contains(note))
        let html = HTMLReport.render(report)
        #expect(html.contains("<th>size</th><th>disk</th>") && html.contains("<td class=\"num\">6.62 MB</td>") && html.contains(note))
        let csv = CSVReport.render(report).split(separator: "\n")
        #expect(
            csv[0].hasSuffix(
                ",engine_size_bytes,engine_size_meaning,engine_disk_bytes,engine_image_store,context_secret_names,image_secret_names,compression,platform,emulated,target_platform_runs,platform_index_stored_bytes,platform_sizes"
            ))
        #expect(
            csv.contains { $0.contains("runtime=scratch") && $0.hasSuffix(",2151200,packed,6624032,containerd,,/app/id_rsa (layer 0),zstd,,,,,") })
        let json = try #require(try JSONSerialization.jsonObject(with: Data(JSONReport.render(report).utf8)) as? [String: Any])
        let scratch = try #require((json["results"] as? [[String: Any]])?.first { $0["variant"] as? String == "linking=static,runtime=scratch" })
        let engineSize = try #require((scratch["image"] as? [String: Any])?["engine_size"] as? [String: Any])
        #expect(engineSize["bytes"] as? Int == 2_151_200 && engineSize["meaning"] as? String == "packed")
        #expect(engineSize["disk_bytes"] as? Int == 6_624_032 && engineSize["store"] as? String == "containerd")
        // Without an image of that store, no disk column and no note.
        #expect(!TableReport.render(ReportFixture.report()).contains("disk"))
    }

    @Test("a variant built for arm64 on an amd64 engine is named as emulated in every format; a native one is not")
    func emulated() throws {
        var report = ReportFixture.report()
        for i in report.results.indices { report.results[i].engine = Sample.environment().engineRecord }
        let index = try #require(report.results.firstIndex { $0.name == "linking=static,runtime=scratch" })
        report.results[index].platform = "linux/arm64"
        report.results[index].engine?.architecture = "amd64"
        let table = TableReport.render(report)
        #expect(table.contains("Emulated: linking=static,runtime=scratch (arm64 on an amd64 engine) built and smoke-tested under QEMU"), "\(table)")
        #expect(MarkdownReport.render(report).contains("(arm64 on an amd64 engine)"))
        #expect(HTMLReport.render(report).contains("(arm64 on an amd64 engine)"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(JSONReport.render(report).utf8)) as? [String: Any])
        let scratch = try #require((json["results"] as? [[String: Any]])?.first { $0["variant"] as? String == "linking=static,runtime=scratch" })
        #expect(scratch["emulated"] as? String == "arm64" && scratch["platform"] as? String == "linux/arm64")
        #expect(CSVReport.render(report).split(separator: "\n").contains { $0.contains("runtime=scratch") && $0.hasSuffix(",linux/arm64,arm64,,,") })
        // The same platform on an arm64 engine is native.
        report.results[index].engine?.architecture = "arm64"
        #expect(!TableReport.render(report).contains("Emulated:"))
    }

    @Test("a cross-compiled variant and its emulated twin: the legend tells them apart, a note gives both cold times, their ratio and sizes")
    func crossAgainstEmulated() throws {
        var report = ReportFixture.report()
        for i in report.results.indices { report.results[i].engine = Sample.environment().engineRecord }
        let cross = try #require(report.results.firstIndex { $0.name == "linking=static,runtime=scratch" })
        let emulated = try #require(report.results.firstIndex { $0.name == "linking=static,runtime=alpine" })
        for (i, runs) in [(cross, 0), (emulated, 2)] {
            report.results[i].platform = "linux/arm64"
            report.results[i].engine?.architecture = "amd64"
            report.results[i].targetPlatformRuns = runs
        }
        #expect(!report.results[cross].buildEmulated && report.results[emulated].buildEmulated)
        let table = TableReport.render(report)
        #expect(table.contains("Emulated: linking=static,runtime=alpine (arm64 on an amd64 engine) built and smoke-tested"), "\(table)")
        #expect(table.contains("Cross-built: linking=static,runtime=scratch (arm64 on an amd64 engine) ran every RUN step natively"), "\(table)")
        let c = try #require(Summary(report.results[cross].samples(.cold))).median
        let e = try #require(Summary(report.results[emulated].samples(.cold))).median
        let line =
            "linking=static,runtime=scratch against linking=static,runtime=alpine (linux/arm64): cold \(Units.seconds(c)) cross-built on the engine's platform, \(Units.seconds(e)) under emulation (\(Units.ratio(e / c)) the time); images "
        #expect(table.contains(line), "\(table)")
        #expect(MarkdownReport.render(report).contains("`linking=static,runtime=scratch` against `linking=static,runtime=alpine`"))
        #expect(HTMLReport.render(report).contains("cross-built on the engine"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(JSONReport.render(report).utf8)) as? [String: Any])
        let rows = try #require(json["results"] as? [[String: Any]])
        #expect(rows.first { $0["variant"] as? String == "linking=static,runtime=scratch" }?["build_emulated"] as? Bool == false)
        #expect(rows.first { $0["variant"] as? String == "linking=static,runtime=alpine" }?["target_platform_runs"] as? Int == 2)
        // The same sizes read as the same image.
        let crossSize = report.results[cross].image?.sizeBytes ?? 0
        report.results[emulated].image?.sizeBytes = crossSize
        #expect(TableReport.render(report).contains("; images the same size, "))
    }

    @Test("a list of platforms: each platform's size, compressed size and layers and the index's stored bytes in every format")
    func platformIndex() throws {
        var report = ReportFixture.report()
        for i in report.results.indices { report.results[i].engine = Sample.environment().engineRecord }
        let index = try #require(report.results.firstIndex { $0.name == "linking=static,runtime=scratch" })
        report.results[index].engine?.architecture = "amd64"
        report.results[index].platform = "linux/arm64,linux/amd64"
        report.results[index].platformIndex = PlatformIndex(
            digest: "sha256:1dx",
            members: [
                .init(platform: "linux/arm64", manifest: "sha256:a1", bytes: 6_094_000, compressedBytes: 3_402_115, layers: 1),
                .init(platform: "linux/amd64", manifest: "sha256:b2", bytes: 6_553_000, compressedBytes: 3_601_220, layers: 1),
            ], storedBytes: 7_004_871)
        let table = TableReport.render(report)
        #expect(table.contains("linking=static,runtime=scratch: index 7.00 MB stored (2 platforms, a shared blob once)"), "\(table)")
        #expect(table.contains("linux/arm64  6.09 MB, compressed 3.40 MB, 1 layer\n"), "\(table)")
        // The engine's own platform is the one its smoke test ran.
        #expect(table.contains("linux/amd64  6.55 MB, compressed 3.60 MB, 1 layer, smoke-tested"), "\(table)")
        #expect(table.contains("Platforms: a variant built for a list of platforms is one image index"))
        #expect(table.contains("Built partly under emulation: linking=static,runtime=scratch (linux/arm64 on an amd64 engine)"), "\(table)")
        #expect(!table.contains("Emulated: linking=static"), "its smoke test ran the engine's own platform")
        let markdown = MarkdownReport.render(report)
        #expect(markdown.contains("| `linking=static,runtime=scratch` | `linux/amd64` (smoke-tested) | 6.55 MB | 3.60 MB | 1 |"), "\(markdown)")
        #expect(markdown.contains("| `linking=static,runtime=scratch` | index, every blob once | — | 7.00 MB | — |"))
        #expect(HTMLReport.render(report).contains("index 7.00 MB stored"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(JSONReport.render(report).utf8)) as? [String: Any])
        let scratch = try #require((json["results"] as? [[String: Any]])?.first { $0["variant"] as? String == "linking=static,runtime=scratch" })
        let stored = try #require(scratch["platform_index"] as? [String: Any])
        #expect(
            stored["stored_bytes"] as? Int == 7_004_871 && (stored["members"] as? [[String: Any]])?.first?["compressed_bytes"] as? Int == 3_402_115)
        #expect(
            CSVReport.render(report).split(separator: "\n").contains {
                $0.contains("runtime=scratch") && $0.hasSuffix(",7004871,linux/arm64:6094000:3402115:1;linux/amd64:6553000:3601220:1")
            })
    }

    @Test("charts put a compression or platform pair side by side, each group where its smallest member stands")
    func pairOrder() throws {
        func variant(_ size: Int64, _ axes: [(String, String)], compression: String? = nil, platform: String? = nil) -> VariantResult {
            var r = VariantResult(runID: 1, scenario: "s", axes: axes.map { AxisChoice(axis: $0.0, value: $0.1) }, status: .ok)
            r.image = ImageFacts(ref: "r", id: "i\(size)", sizeBytes: size, layers: 1)
            r.insight = ImageInsight(ImageLayers(digests: [], files: []))
            r.insight?.compression = compression
            r.platform = platform
            return r
        }
        let rows = [
            variant(10, [("base", "scratch"), ("compression", "gzip")]), variant(20, [("base", "debian"), ("compression", "gzip")]),
            variant(30, [("base", "scratch"), ("compression", "uncompressed")], compression: "uncompressed"),
            variant(40, [("base", "debian"), ("compression", "uncompressed")], compression: "uncompressed"),
        ]
        #expect(PairOrder.pairAxes(rows) == ["compression"])
        #expect(PairOrder.grouped(rows).map(\.image!.sizeBytes) == [10, 30, 20, 40])
        // Without such an axis, the size order stays.
        let plain = [variant(10, [("base", "scratch")]), variant(20, [("base", "debian")])]
        #expect(PairOrder.pairAxes(plain).isEmpty && PairOrder.grouped(plain).map(\.image!.sizeBytes) == [10, 20])
    }

    @Test("the pull phase in every format: a pull s column, its legend, a CSV row, JSON with the reference, BMF's pull-time")
    func pullPhase() throws {
        var report = ReportFixture.report()
        let index = try #require(report.results.firstIndex { $0.name == "linking=static,runtime=scratch" })
        report.results[index].pull = PullResult(
            samples: [0.42, 0.40, 0.47], reference: "127.0.0.1:5000/imagebench/go-http:r3-x", engine: "docker 26.1.5+dfsg1, containerd image store")
        let table = TableReport.render(report)
        let header = try #require(table.split(separator: "\n").first { $0.hasPrefix("variant ") })
        #expect(header.contains("pull s"), "\(header)")
        #expect(table.contains("0.420 (0.400–0.470)"), "\(table)")
        #expect(table.contains("pull: seconds a fresh engine"))
        #expect(MarkdownReport.render(report).contains("| pull |"))
        #expect(HTMLReport.render(report).contains("<th>pull</th>"))
        let csv = CSVReport.render(report).split(separator: "\n")
        #expect(csv.contains { $0.contains("runtime=scratch") && $0.contains(",pull,3,0.42,") }, "\(csv)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(JSONReport.render(report).utf8)) as? [String: Any])
        let scratch = try #require((json["results"] as? [[String: Any]])?.first { $0["variant"] as? String == "linking=static,runtime=scratch" })
        let pull = try #require(scratch["pull"] as? [String: Any])
        #expect(pull["median_s"] as? Double == 0.42 && pull["n"] as? Int == 3)
        #expect(pull["reference"] as? String == "127.0.0.1:5000/imagebench/go-http:r3-x")
        #expect(BenchmarkExport.bmf(report).contains("\"pull-time\""))
        // Without it, no column.
        #expect(!TableReport.render(ReportFixture.report()).contains("pull s"))
    }
    @Test("json: the documented fields, every repetition kept")
    func json() throws {
        let text = JSONReport.render(ReportFixture.report())
        if let mismatch = snapshotMismatch(text, named: "report.json") { Issue.record(Comment(rawValue: mismatch)) }
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let runs = try #require(object["runs"] as? [[String: Any]])
        #expect(runs[0]["id"] as? Int == 3)
        #expect(runs[0]["status"] as? String == "complete")
        let environment = try #require(runs[0]["environment"] as? [String: Any])
        #expect(environment["docker_client"] as? String == "28.2.2")
        #expect(environment["docker_server"] as? String == "20.10.24+dfsg1")
        let results = try #require(object["results"] as? [[String: Any]])
        let scratch = try #require(results.first { $0["variant"] as? String == "linking=static,runtime=scratch" })
        #expect(scratch["status"] as? String == "ok")
        #expect(scratch["axes"] as? [String: String] == ["linking": "static", "runtime": "scratch"])
        #expect(scratch["context_bytes"] as? Int == 1480)
        let image = try #require(scratch["image"] as? [String: Any])
        #expect(image["size_bytes"] as? Int == 4_472_832)
        #expect(image["layers"] as? Int == 1)
        let phases = try #require(scratch["phases"] as? [String: [String: Any]])
        #expect(phases["cold"]?["n"] as? Int == 3)
        #expect(phases["cold"]?["median_s"] as? Double == 3.71)
        #expect(phases["cold"]?["samples_s"] as? [Double] == [3.62, 3.71, 3.90])
        #expect(phases["edit"]?.isEmpty == true)
        let smoke = try #require(scratch["smoke"] as? [String: Any])
        #expect(smoke["ok"] as? Bool == true)
        #expect(smoke["exit_code"] as? Int == 0)
    }

    @Test("SI units with three significant digits")
    func units() {
        #expect(Units.bytes(512) == "512 B")
        #expect(Units.bytes(1480) == "1.48 kB")
        #expect(Units.bytes(4_472_832) == "4.47 MB")
        #expect(Units.bytes(203_000_000) == "203 MB")
        #expect(Units.bytes(999_999) == "1.00 MB")
        #expect(Units.bytes(12_340_000_000) == "12.3 GB")
        #expect(Units.seconds(0.4123) == "0.412 s")
        #expect(Units.seconds(83.21) == "83.2 s")
    }

    @Test("an empty database says what to do")
    func empty() {
        #expect(TableReport.render(RunReport(runs: [], results: [])) == "No runs yet: run `imagebench run SCENARIO` first.\n")
    }
}
