/// Finds a named section of a 64- or 32-bit little- or big-endian ELF file from its headers alone, so a
/// file read in place needs a few small reads, not a scan of all its bytes.
public enum ELFSections {
    /// The file offset and size of section `name`; `read(offset, count)` returns the file's bytes there.
    public static func find(_ name: String, read: (Int, Int) -> [UInt8]?) -> (offset: Int, size: Int)? {
        guard let header = read(0, 64), header.count >= 52, header.starts(with: [0x7f, 0x45, 0x4c, 0x46]) else { return nil }
        let is64 = header[4] == 2
        let big = header[5] == 2
        func number(_ bytes: [UInt8], _ at: Int, _ width: Int) -> Int? {
            guard at + width <= bytes.count else { return nil }
            var value = 0
            for i in 0..<width { value |= Int(bytes[at + (big ? width - 1 - i : i)]) << (8 * i) }
            return value
        }
        let word = is64 ? 8 : 4
        guard let sectionTable = number(header, is64 ? 0x28 : 0x20, word), let entrySize = number(header, is64 ? 0x3a : 0x2e, 2),
            let count = number(header, is64 ? 0x3c : 0x30, 2), let namesIndex = number(header, is64 ? 0x3e : 0x32, 2),
            count > 0, count < 1 << 16, namesIndex < count, entrySize >= (is64 ? 64 : 40),
            let table = read(sectionTable, count * entrySize), table.count == count * entrySize
        else { return nil }
        func section(_ index: Int) -> (name: Int, offset: Int, size: Int)? {
            let base = index * entrySize
            guard let nameAt = number(table, base, 4), let offset = number(table, base + (is64 ? 0x18 : 0x10), word),
                let size = number(table, base + (is64 ? 0x20 : 0x14), word)
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
}
