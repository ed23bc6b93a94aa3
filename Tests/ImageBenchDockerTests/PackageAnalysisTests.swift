import Foundation
import ImageBenchCore
import ImageBenchDocker
import Testing

/// The package and Go build information readers on files captured from this machine:
/// `Fixtures/packages/debian-minbase-status` and `coreutils.list` are the Debian stand-in's own
/// (`docker cp` from imagebench-local/debian-minbase:bookworm), `go1.19.8-cmd-go.buildinfo` is the
/// `.go.buildinfo` section of Debian's /usr/lib/go-1.19/bin/go (offset and size from `readelf -S`), and
/// `distroless-status.d/` is what Scenarios/bases/static-base writes, as gcr.io/distroless does.
@Suite("OS packages and Go build information")
struct PackageAnalysisTests {
    static func fixture(_ name: String) throws -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/packages/\(name)")
        return [UInt8](try Data(contentsOf: url))
    }

    static func file(_ path: String, _ size: Int64) -> LayerFile { LayerFile(path: path, size: size, isDirectory: false) }
    static func folder(_ path: String) -> LayerFile { LayerFile(path: path, size: 0, isDirectory: true) }
    static func link(_ path: String, _ target: String) -> LayerFile { LayerFile(path: path, size: 0, isDirectory: false, linkTarget: target) }

    /// A merged-/usr Debian layer: the real status file and coreutils' real file list, each listed file
    /// present (under usr/, reached through the bin → usr/bin link) with 1000 bytes.
    static func debianLayer() throws -> (files: [LayerFile], contents: [String: [UInt8]], listed: [String]) {
        let status = try fixture("debian-minbase-status")
        let list = try fixture("coreutils.list")
        let listed = String(decoding: list, as: UTF8.self).split(separator: "\n").map(String.init).filter { $0 != "/." }
        var files = [link("bin", "usr/bin"), link("lib", "usr/lib"), folder("usr"), folder("usr/bin"), folder("var/lib/dpkg/info")]
        // A listed path that another listed path lies below is a folder; the rest are files.
        let parents = Set(
            listed.flatMap { path in path.split(separator: "/").indices.dropLast().map { path.split(separator: "/")[...$0].joined(separator: "/") } })
        var seen = Set<String>()
        for path in listed {
            var real = String(path.dropFirst())
            if real.hasPrefix("bin/") { real = "usr/" + real }
            guard real != "bin", seen.insert(real).inserted else { continue }
            files.append(parents.contains(String(path.dropFirst())) ? folder(real) : file(real, 1000))
        }
        files += [
            file("var/lib/dpkg/status", Int64(status.count)), file("var/lib/dpkg/info/coreutils.list", Int64(list.count)), file("app", 5_000_000),
        ]
        return (files, ["var/lib/dpkg/status": status, "var/lib/dpkg/info/coreutils.list": list], listed)
    }

    @Test("dpkg: every installed package of the real status file, its version and Installed-Size; bytes of its listed files through merged /usr")
    func dpkgStatus() throws {
        let layer = try Self.debianLayer()
        var image = ImageLayers(digests: ["sha256:a"], files: [layer.files])
        image.contents = [layer.contents]
        let final = FinalFiles(image.files)
        let analysis = try #require(PackageAnalysis.analyze(image, final: final))
        #expect(analysis.manager == "dpkg")
        #expect(analysis.packages.count == 88)
        let coreutils = try #require(analysis.packages.first { $0.name == "coreutils" })
        #expect(coreutils.version == "9.1-1")
        #expect(coreutils.declaredBytes == Int64(18062 * 1024))
        let regular = Set(layer.listed.map { $0.hasPrefix("/bin/") ? "usr" + $0 : String($0.dropFirst()) }).filter { final.file($0) != nil }
        #expect(coreutils.files == regular.count && coreutils.files > 100)
        #expect(coreutils.bytes == Int64(regular.count) * 1000)
        // Packages whose lists are not in the layer own nothing; the rest is unowned, the app binary first.
        #expect(analysis.packages.first { $0.name == "libc6" }?.bytes == 0)
        #expect(analysis.unownedFiles.first == PackageAnalysis.PathBytes(path: "/app", bytes: 5_000_000))
        #expect(analysis.unownedBytes + analysis.ownedBytes == final.fileBytes)
        #expect(analysis.packages.first?.name == "coreutils")
    }

    @Test("dpkg: a package gets the layer whose status file added or upgraded it; overwritten and deleted files count where they end")
    func dpkgLayers() throws {
        let status = try Self.fixture("debian-minbase-status")
        var text = String(decoding: status, as: UTF8.self)
        text = text.replacingOccurrences(of: "Package: coreutils\n", with: "Package: coreutils\n")
        let upgraded =
            text.replacingOccurrences(of: "Version: 9.1-1\n", with: "Version: 9.1-1+b1\n")
            + "\nPackage: hello\nStatus: install ok installed\nInstalled-Size: 3\nArchitecture: amd64\nVersion: 2.10-3\n"
        let list = Array("/.\n/usr\n/usr/bin\n/usr/bin/hello\n/usr/share/doc/hello/copyright\n".utf8)
        var image = ImageLayers(
            digests: ["sha256:a", "sha256:b", "sha256:c"],
            files: [
                [Self.file("var/lib/dpkg/status", 1)],
                [
                    Self.file("var/lib/dpkg/status", 2), Self.file("var/lib/dpkg/info/hello.list", 3), Self.file("usr/bin/hello", 4000),
                    Self.file("usr/share/doc/hello/copyright", 500),
                ],
                [Self.file("usr/bin/hello", 6000), Self.file("usr/share/doc/hello/.wh.copyright", 0)],
            ])
        image.contents = [["var/lib/dpkg/status": status], ["var/lib/dpkg/status": Array(upgraded.utf8), "var/lib/dpkg/info/hello.list": list], [:]]
        let analysis = try #require(PackageAnalysis.analyze(image, final: FinalFiles(image.files)))
        #expect(analysis.packages.first { $0.name == "coreutils" }?.layer == 1)
        #expect(analysis.packages.first { $0.name == "bash" }?.layer == 0)
        let hello = try #require(analysis.packages.first { $0.name == "hello" })
        #expect(hello.layer == 1 && hello.declaredBytes == 3072)
        #expect(hello.bytes == 6000 && hello.files == 1)
        #expect(analysis.layers.map(\.index) == [0, 1])
    }

    @Test("distroless: one stanza file per package in status.d, its files from NAME.md5sums")
    func distroless() throws {
        let stanza = try Self.fixture("distroless-status.d/tzdata")
        let sums = try Self.fixture("distroless-status.d/tzdata.md5sums")
        let paths = String(decoding: sums, as: UTF8.self).split(separator: "\n").compactMap { $0.split(separator: " ", maxSplits: 1).last }
            .map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(paths.count > 100)
        var files = [
            Self.file("var/lib/dpkg/status.d/tzdata", Int64(stanza.count)), Self.file("var/lib/dpkg/status.d/tzdata.md5sums", Int64(sums.count)),
        ]
        files += paths.dropFirst().map { Self.file($0, 10) }
        var image = ImageLayers(digests: ["sha256:a"], files: [files])
        image.contents = [["var/lib/dpkg/status.d/tzdata": stanza, "var/lib/dpkg/status.d/tzdata.md5sums": sums]]
        let analysis = try #require(PackageAnalysis.analyze(image, final: FinalFiles(image.files)))
        #expect(analysis.packages.map(\.name) == ["tzdata"])
        #expect(analysis.packages[0].version.hasPrefix("202"))
        #expect(analysis.packages[0].files == paths.count - 1 && analysis.packages[0].bytes == Int64(paths.count - 1) * 10)
    }

    /// apk's format as apk-tools documents it (`apk-tools/doc/apk-v2.5`: P, V, I in bytes, F then R);
    /// no Alpine image is reachable from this machine, so this database is written by hand.
    @Test("apk: P, V, I and the F/R file list of lib/apk/db/installed")
    func apk() throws {
        let db = Array(
            """
            C:Q1abc=
            P:musl
            V:1.2.4-r2
            A:x86_64
            I:643072
            F:lib
            R:ld-musl-x86_64.so.1
            R:libc.musl-x86_64.so.1

            P:busybox
            V:1.36.1-r5
            I:950272
            F:bin
            R:busybox
            F:etc
            R:securetty

            """.utf8)
        var image = ImageLayers(
            digests: ["sha256:a"],
            files: [
                [
                    Self.file("lib/apk/db/installed", Int64(db.count)), Self.file("lib/ld-musl-x86_64.so.1", 600_000),
                    Self.link("lib/libc.musl-x86_64.so.1", "ld-musl-x86_64.so.1"), Self.file("bin/busybox", 900_000),
                ]
            ])
        image.contents = [["lib/apk/db/installed": db]]
        let analysis = try #require(PackageAnalysis.analyze(image, final: FinalFiles(image.files)))
        #expect(analysis.manager == "apk")
        #expect(
            analysis.packages == [
                InstalledPackage(name: "busybox", version: "1.36.1-r5", layer: 0, declaredBytes: 950_272, bytes: 900_000, files: 1),
                InstalledPackage(name: "musl", version: "1.2.4-r2", layer: 0, declaredBytes: 643_072, bytes: 600_000, files: 1),
            ])
    }

    @Test("no package database: scratch has none")
    func none() {
        let image = ImageLayers(digests: ["sha256:a"], files: [[Self.file("app", 10)]])
        #expect(PackageAnalysis.analyze(image, final: FinalFiles(image.files)) == nil)
    }

    @Test("the final file system: whiteouts, opaque folders, a file replacing a folder, the layer of each final copy")
    func finalFiles() {
        let final = FinalFiles([
            [
                Self.folder("a"), Self.file("a/x", 1), Self.file("a/y", 2), Self.folder("b"), Self.file("b/z", 3), Self.file("c", 4),
                Self.folder("d"), Self.file("d/w", 5),
            ],
            [Self.file("a/.wh..wh..opq", 0), Self.file("a/new", 6), Self.file(".wh.b", 0), Self.file("c", 7), Self.file("d", 8)],
            [Self.folder("b"), Self.file("b/again", 9)],
        ])
        #expect(final.entries.keys.sorted() == ["a", "a/new", "b", "b/again", "c", "d"])
        #expect(final.file("c") == FinalFiles.Entry(kind: .file, size: 7, layer: 1))
        #expect(final.fileBytes == 6 + 7 + 8 + 9)
    }

    @Test("Go build information: the real section of Debian's go 1.19.8, as `go version -m` prints it")
    func buildInfo() throws {
        let section = try Self.fixture("go1.19.8-cmd-go.buildinfo")
        let binary = try #require(GoBuildInfo.parse(section[...], path: "/usr/lib/go-1.19/bin/go"))
        #expect(binary.goVersion == "go1.19.8")
        #expect(binary.mainPath == "cmd/go")
        #expect(binary.mainModule == nil && binary.modules.isEmpty)
        #expect(binary.setting("CGO_ENABLED") == "1")
        #expect(binary.setting("GOOS") == "linux" && binary.setting("GOARCH") == "amd64")
        #expect(binary.setting("CGO_CFLAGS") == "")
        #expect(
            binary.settings.map(\.key) == [
                "-compiler", "CGO_ENABLED", "CGO_CFLAGS", "CGO_CPPFLAGS", "CGO_CXXFLAGS", "CGO_LDFLAGS", "GOARCH", "GOOS", "GOAMD64",
            ])
        #expect(binary.buildSummary == "CGO_ENABLED=1 linux/amd64")
        // Cut short, or with a module-information length that does not fit its frame, it is not build information.
        #expect(GoBuildInfo.parse(section.prefix(60), path: "") == nil)
        var broken = section
        broken[41] = 0x7f
        #expect(GoBuildInfo.parse(broken[...], path: "") == nil)
    }

    @Test("module lines: mod, dep, a replacement, quoted -ldflags")
    func modules() {
        let info =
            "path\texample.com/app\nmod\texample.com/app\t(devel)\t\ndep\tgithub.com/gin-gonic/gin\tv1.8.1\th1:abc=\ndep\tgorm.io/gorm\tv1.25.0\t\n=>\t../gorm\t\t\nbuild\t-ldflags=\"-s -w -extldflags \\\"-static\\\"\"\nbuild\tCGO_ENABLED=0\n"
        let binary = GoBuildInfo.binary(path: "/app", goVersion: "go1.19.8", modinfo: info)
        #expect(binary.mainModule == GoBinary.Module(path: "example.com/app", version: "(devel)"))
        #expect(
            binary.modules == [
                GoBinary.Module(path: "github.com/gin-gonic/gin", version: "v1.8.1"),
                GoBinary.Module(path: "gorm.io/gorm", version: "v1.25.0", replacement: "../gorm"),
            ])
        #expect(binary.setting("-ldflags") == "-s -w -extldflags \"-static\"")
        #expect(binary.setting("CGO_ENABLED") == "0")
    }

    /// What the stream scanner finds in `bytes` fed `chunk` bytes at a time.
    static func scan(_ bytes: [UInt8], chunk: Int) -> [UInt8]? {
        var scanner = GoBuildInfoScanner()
        var at = 0
        while at < bytes.count {
            scanner.feed(bytes[at..<min(bytes.count, at + chunk)])
            at += chunk
        }
        return scanner.finish()
    }

    @Test("the stream scanner finds the aligned, valid header in any chunking, past an unaligned and a broken one")
    func scanner() throws {
        let section = try Self.fixture("go1.19.8-cmd-go.buildinfo")
        var bytes = [UInt8](repeating: 0x41, count: 3 * 4096)
        bytes.replaceSubrange(1001..<(1001 + 14), with: GoBuildInfo.magic)  // unaligned
        bytes.replaceSubrange(2048..<(2048 + 20), with: GoBuildInfo.magic + [8, 2, 0xff, 0xff, 0xff, 0xff])  // aligned, no valid strings
        bytes.replaceSubrange(8192..<(8192 + section.count), with: section)
        for chunk in [1, 7, 13, 4096, bytes.count] {
            let found = try #require(Self.scan(bytes, chunk: chunk), "chunk \(chunk)")
            #expect(Array(found.prefix(section.count)) == section, "chunk \(chunk)")
        }
        var none = GoBuildInfoScanner()
        none.feed(bytes[0..<4096])
        #expect(none.finish() == nil)
    }

    @Test("in an ELF file the scanner searches from the first writable segment on, as the Go linker places the section")
    func scannerFromDataSegment() throws {
        let section = try Self.fixture("go1.19.8-cmd-go.buildinfo")
        var bytes = [UInt8](repeating: 0x41, count: 16384)
        // ELF64 little-endian header: program headers at 64, 56 bytes each, two of them.
        bytes.replaceSubrange(0..<6, with: [0x7f, 0x45, 0x4c, 0x46, 2, 1])
        func put(_ value: Int, at: Int, width: Int) {
            for i in 0..<width { bytes[at + i] = UInt8((value >> (8 * i)) & 0xff) }
        }
        put(64, at: 0x20, width: 8)
        put(56, at: 0x36, width: 2)
        put(2, at: 0x38, width: 2)
        put(1, at: 64, width: 4)  // PT_LOAD, read and execute, at 0
        put(5, at: 68, width: 4)
        put(0, at: 72, width: 8)
        put(1, at: 120, width: 4)  // PT_LOAD, read and write, at 8192
        put(6, at: 124, width: 4)
        put(8192, at: 128, width: 8)
        // A valid header in the code (as a program that reads build information has) is not the one.
        var decoy = section
        decoy.replaceSubrange(33..<41, with: Array("go1.00.0".utf8))
        bytes.replaceSubrange(4096..<(4096 + decoy.count), with: decoy)
        bytes.replaceSubrange(8192..<(8192 + section.count), with: section)
        #expect(ELFSections.dataStart(head: bytes) == 8192)
        for chunk in [1, 100, 5000, bytes.count] {
            let found = try #require(Self.scan(bytes, chunk: chunk), "chunk \(chunk)")
            #expect(GoBuildInfo.parse(found[...], path: "")?.goVersion == "go1.19.8", "chunk \(chunk)")
        }
    }

    @Test("ELF section headers: every section's offset and size equal readelf's, on a binary of this machine")
    func elfSections() throws {
        let path = "/usr/bin/x86_64-linux-gnu-readelf"
        let handle = try #require(FileHandle(forReadingAtPath: path))
        let data = [UInt8](handle.readDataToEndOfFile())
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["-S", "-W", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        var checked = 0
        for line in text.split(separator: "\n") where line.contains("] .") {
            let fields = line.split(separator: "]", maxSplits: 1)[1].split(separator: " ")
            let name = String(fields[0])
            guard let offset = Int(fields[3], radix: 16), let size = Int(fields[4], radix: 16) else { continue }
            let found = ELFSections.find(name) { at, count in at + count <= data.count ? Array(data[at..<(at + count)]) : nil }
            #expect(found?.offset == offset && found?.size == size, "\(name)")
            checked += 1
        }
        #expect(checked > 10)
        #expect(ELFSections.find(".go.buildinfo") { at, count in at + count <= data.count ? Array(data[at..<(at + count)]) : nil } == nil)
    }
}
