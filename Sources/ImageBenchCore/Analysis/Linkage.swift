import Foundation

/// How an image's entrypoint runs: a static binary, a dynamic one with its ELF interpreter, or a script
/// with its `#!` interpreter; and whether that interpreter exists in the image, which explains
/// "exec /app: no such file or directory" before anyone runs the image.
public struct Linkage: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable {
        case `static`, dynamic, script, unknown
    }

    /// The entrypoint's path in the image (`/app`).
    public var entrypoint: String
    public var kind: Kind
    /// The ELF interpreter (`/lib64/ld-linux-x86-64.so.2`) or the `#!` program.
    public var interpreter: String?
    /// Whether the interpreter is in the image; nil when there is none to look for.
    public var interpreterPresent: Bool?
    /// Why the kind is unknown.
    public var note: String?
    /// The ELF file's machine as Go and OCI platforms name it (`amd64`, `arm64`), from `e_machine`; nil for a
    /// script or an unknown file. An arm64 binary's interpreter is `/lib/ld-linux-aarch64.so.1` (glibc) or
    /// `/lib/ld-musl-aarch64.so.1`, read from the binary like any other.
    public var architecture: String?

    public init(entrypoint: String, kind: Kind, interpreter: String? = nil, interpreterPresent: Bool? = nil, note: String? = nil) {
        self.entrypoint = entrypoint
        self.kind = kind
        self.interpreter = interpreter
        self.interpreterPresent = interpreterPresent
        self.note = note
    }

    /// One line for reports: `/app: dynamic (interpreter /lib64/ld-linux-x86-64.so.2, missing from the image: exec fails with "no such file or directory")`.
    public var summary: String {
        var text = "\(entrypoint): \(kind.rawValue)"
        // amd64, this machine's and most images', goes unsaid; another architecture is named.
        if let architecture, architecture != "amd64" { text += " \(architecture)" }
        if let interpreter {
            text += " (interpreter \(interpreter)"
            if interpreterPresent == false { text += ", missing from the image: exec fails with \"no such file or directory\"" }
            text += ")"
        }
        if let note { text += " (\(note))" }
        return text
    }

    enum CodingKeys: String, CodingKey {
        case entrypoint, kind, interpreter, note, architecture
        case interpreterPresent = "interpreter_present"
    }

    /// OCI architecture names of ELF `e_machine` values.
    static let machines: [Int: String] = [3: "386", 40: "arm", 62: "amd64", 183: "arm64", 243: "riscv64", 21: "ppc64", 22: "s390x"]

    /// Reads the start of a file: an ELF program header table (PT_INTERP) or a `#!` line.
    public static func classify(entrypoint: String, head: [UInt8]) -> Linkage {
        var linkage = classifyKind(entrypoint: entrypoint, head: head)
        if head.count >= 20, head.starts(with: [0x7F, 0x45, 0x4C, 0x46]) {
            let machine = head[5] == 1 ? Int(head[18]) | Int(head[19]) << 8 : Int(head[18]) << 8 | Int(head[19])
            linkage.architecture = machines[machine] ?? "machine \(machine)"
        }
        return linkage
    }

    private static func classifyKind(entrypoint: String, head: [UInt8]) -> Linkage {
        if head.starts(with: [0x23, 0x21]) {  // #!
            let line = String(decoding: head.dropFirst(2).prefix { $0 != 0x0A }, as: UTF8.self).trimmingCharacters(in: .whitespaces)
            return Linkage(entrypoint: entrypoint, kind: .script, interpreter: line.split(separator: " ").first.map(String.init))
        }
        guard head.count >= 64, head.starts(with: [0x7F, 0x45, 0x4C, 0x46]) else {
            return Linkage(entrypoint: entrypoint, kind: .unknown, note: "neither an ELF binary nor a #! script")
        }
        let is64 = head[4] == 2
        let little = head[5] == 1
        func int(_ offset: Int, _ size: Int) -> Int? {
            guard offset >= 0, offset + size <= head.count else { return nil }
            let bytes = head[offset..<(offset + size)]
            return (little ? Array(bytes.reversed()) : Array(bytes)).reduce(0) { $0 << 8 | Int($1) }
        }
        guard let phoff = int(is64 ? 0x20 : 0x1C, is64 ? 8 : 4), let phentsize = int(is64 ? 0x36 : 0x2A, 2), let phnum = int(is64 ? 0x38 : 0x2C, 2)
        else { return Linkage(entrypoint: entrypoint, kind: .unknown, note: "truncated ELF header") }
        for i in 0..<phnum {
            let base = phoff + i * phentsize
            guard let type = int(base, 4) else {
                return Linkage(entrypoint: entrypoint, kind: .unknown, note: "program headers beyond the bytes read")
            }
            guard type == 3 else { continue }  // PT_INTERP
            guard let offset = int(base + (is64 ? 0x08 : 0x04), is64 ? 8 : 4), let size = int(base + (is64 ? 0x20 : 0x10), is64 ? 8 : 4),
                offset + size <= head.count
            else { return Linkage(entrypoint: entrypoint, kind: .unknown, note: "interpreter beyond the bytes read") }
            let interpreter = String(decoding: head[offset..<(offset + size)].prefix { $0 != 0 }, as: UTF8.self)
            return Linkage(entrypoint: entrypoint, kind: .dynamic, interpreter: interpreter)
        }
        return Linkage(entrypoint: entrypoint, kind: .static)
    }
}
