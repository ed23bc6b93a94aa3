/// Finds a named section of a 64- or 32-bit little- or big-endian ELF file from its headers alone, so a
/// file read in place needs a few small reads, not a scan of all its bytes.
public enum ELFSections {
    /// The file offset and size of section `name`; `read(offset, count)` returns the file's bytes there.
    public static func find(_ name: String, read: (Int, Int) -> [UInt8]?) -> (offset: Int, size: Int)? {
        guard let header = read(0, 64), header.count >= 52, header.starts(with: [0x7f, 0x45, 0x4c, 0x46]) else { return nil }
        let f = Fields(header)
        guard let sectionTable = f.number(f.is64 ? 0x28 : 0x20, f.word), let entrySize = f.number(f.is64 ? 0x3a : 0x2e, 2),
            let count = f.number(f.is64 ? 0x3c : 0x30, 2), let namesIndex = f.number(f.is64 ? 0x3e : 0x32, 2),
            count > 0, count < 1 << 16, namesIndex < count, entrySize >= (f.is64 ? 64 : 40),
            let table = read(sectionTable, count * entrySize), table.count == count * entrySize
        else { return nil }
        func section(_ index: Int) -> (name: Int, offset: Int, size: Int)? {
            let base = index * entrySize
            guard let nameAt = f.number(base, 4, in: table), let offset = f.number(base + (f.is64 ? 0x18 : 0x10), f.word, in: table),
                let size = f.number(base + (f.is64 ? 0x20 : 0x14), f.word, in: table)
            else { return nil }
            return (nameAt, offset, size)
        }
        guard let names = section(namesIndex), names.size < 1 << 24, let strings = read(names.offset, names.size) else { return nil }
        let wanted = Array(name.utf8) + [0]
        for index in 0..<count {
            guard let entry = section(index), entry.name + wanted.count <= strings.count else { continue }
            if Array(strings[entry.name..<(entry.name + wanted.count)]) == wanted { return (entry.offset, entry.size) }
        }
        return nil
    }

    /// The file offset of the first writable `PT_LOAD` segment (where the Go linker puts
    /// `.go.buildinfo`), from the ELF header and program headers in `head`; nil when `head` does not
    /// hold them (not ELF, or cut short).
    public static func dataStart(head: [UInt8]) -> Int? {
        guard head.count >= 52, head.starts(with: [0x7f, 0x45, 0x4c, 0x46]) else { return nil }
        let f = Fields(head)
        guard let table = f.number(f.is64 ? 0x20 : 0x1c, f.word), let size = f.number(f.is64 ? 0x36 : 0x2a, 2),
            let count = f.number(f.is64 ? 0x38 : 0x2c, 2), size >= (f.is64 ? 56 : 32)
        else { return nil }
        for index in 0..<count {
            let at = table + index * size
            guard let type = f.number(at, 4), let flags = f.number(at + (f.is64 ? 4 : 24), 4), let offset = f.number(at + (f.is64 ? 8 : 4), f.word)
            else { return nil }
            if type == 1 && flags & 2 != 0 { return offset }
        }
        return nil
    }

    /// How many bytes from the start of a file ``dataStart(head:)`` needs (the ELF header and the
    /// program headers); nil when `head` is too short to say or not ELF.
    public static func headerBytes(head: [UInt8]) -> Int? {
        guard head.count >= 64, head.starts(with: [0x7f, 0x45, 0x4c, 0x46]) else { return nil }
        let f = Fields(head)
        guard let table = f.number(f.is64 ? 0x20 : 0x1c, f.word), let size = f.number(f.is64 ? 0x36 : 0x2a, 2),
            let count = f.number(f.is64 ? 0x38 : 0x2c, 2)
        else { return nil }
        return table + size * count
    }

    /// Integers of an ELF file's bytes in its byte order and word size.
    struct Fields {
        let bytes: [UInt8]
        let is64: Bool
        let big: Bool
        var word: Int { is64 ? 8 : 4 }

        init(_ bytes: [UInt8]) {
            self.bytes = bytes
            is64 = bytes.count > 4 && bytes[4] == 2
            big = bytes.count > 5 && bytes[5] == 2
        }

        func number(_ at: Int, _ width: Int, in other: [UInt8]? = nil) -> Int? {
            let source = other ?? bytes
            guard at >= 0, at + width <= source.count else { return nil }
            var value = 0
            for i in 0..<width { value |= Int(source[at + (big ? width - 1 - i : i)]) << (8 * i) }
            return value
        }
    }
}
