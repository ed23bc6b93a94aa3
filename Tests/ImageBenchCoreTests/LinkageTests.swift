import ImageBenchCore
import Testing

@Suite("Entrypoint linkage")
struct LinkageTests {
    /// A minimal little-endian ELF64 header with one program header, PT_INTERP when `interpreter` is given.
    static func elf(interpreter: String?, machine: Int = 62) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 256)
        bytes[0...3] = [0x7F, 0x45, 0x4C, 0x46]
        bytes[4] = 2  // 64-bit
        bytes[5] = 1  // little-endian
        func put(_ value: Int, at offset: Int, size: Int) { for i in 0..<size { bytes[offset + i] = UInt8((value >> (8 * i)) & 0xFF) } }
        put(machine, at: 0x12, size: 2)  // e_machine
        put(64, at: 0x20, size: 8)  // e_phoff
        put(56, at: 0x36, size: 2)  // e_phentsize
        put(1, at: 0x38, size: 2)  // e_phnum
        put(interpreter == nil ? 1 : 3, at: 64, size: 4)  // PT_LOAD or PT_INTERP
        if let interpreter {
            put(160, at: 64 + 0x08, size: 8)  // p_offset
            put(interpreter.utf8.count + 1, at: 64 + 0x20, size: 8)  // p_filesz
            for (i, b) in interpreter.utf8.enumerated() { bytes[160 + i] = b }
        }
        return bytes
    }

    @Test("a dynamic ELF names its interpreter; a static one has none; a script names its #! program")
    func classify() {
        let dynamic = Linkage.classify(entrypoint: "/app", head: Self.elf(interpreter: "/lib64/ld-linux-x86-64.so.2"))
        #expect(dynamic.kind == .dynamic)
        #expect(dynamic.interpreter == "/lib64/ld-linux-x86-64.so.2")
        #expect(Linkage.classify(entrypoint: "/app", head: Self.elf(interpreter: nil)).kind == .static)
        let script = Linkage.classify(entrypoint: "/run.sh", head: Array("#!/bin/sh -e\necho hi\n".utf8))
        #expect(script.kind == .script && script.interpreter == "/bin/sh")
        #expect(Linkage.classify(entrypoint: "/x", head: Array("plain text".utf8)).kind == .unknown)
        #expect(dynamic.architecture == "amd64" && script.architecture == nil)
        #expect(dynamic.summary == "/app: dynamic (interpreter /lib64/ld-linux-x86-64.so.2)")
    }

    @Test("an arm64 binary: its machine from e_machine, its loader read from the binary, and named in the summary")
    func arm64() {
        let glibc = Linkage.classify(entrypoint: "/app", head: Self.elf(interpreter: "/lib/ld-linux-aarch64.so.1", machine: 183))
        #expect(glibc.architecture == "arm64" && glibc.interpreter == "/lib/ld-linux-aarch64.so.1")
        #expect(glibc.summary == "/app: dynamic arm64 (interpreter /lib/ld-linux-aarch64.so.1)")
        let musl = Linkage.classify(entrypoint: "/app", head: Self.elf(interpreter: "/lib/ld-musl-aarch64.so.1", machine: 183))
        #expect(musl.interpreter == "/lib/ld-musl-aarch64.so.1")
        let still = Linkage.classify(entrypoint: "/app", head: Self.elf(interpreter: nil, machine: 183))
        #expect(still.kind == .static && still.summary == "/app: static arm64")
    }

    @Test("the interpreter is looked up in the stacked image, through symlinked directories and after deletions")
    func presence() {
        let layers = ImageLayers(
            digests: [],
            files: [
                [
                    LayerFile(path: "usr/lib64", size: 0, isDirectory: true),
                    LayerFile(path: "usr/lib64/ld-linux-x86-64.so.2", size: 10, isDirectory: false),
                    LayerFile(path: "lib64", size: 0, isDirectory: false, linkTarget: "usr/lib64"),
                    LayerFile(path: "etc/old", size: 1, isDirectory: false),
                ],
                [LayerFile(path: "etc/.wh.old", size: 0, isDirectory: false)],
            ])
        #expect(layers.contains("/lib64/ld-linux-x86-64.so.2"))
        #expect(!layers.contains("/lib/ld-musl-x86_64.so.1"))
        #expect(!layers.contains("/etc/old"))
        let insight = ImageInsight(
            ImageLayers(digests: [], files: layers.files, entrypoint: "/app", entrypointHead: Self.elf(interpreter: "/lib/ld-musl-x86_64.so.1")))
        #expect(insight.linkage?.interpreterPresent == false)
        #expect(insight.linkage?.summary.contains("missing from the image") == true)
    }
}
