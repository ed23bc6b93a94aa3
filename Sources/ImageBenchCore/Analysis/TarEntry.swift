/// One entry of a tar archive.
public struct TarEntry: Sendable, Equatable {
    public var name: String
    public var size: Int64
    /// The tar type flag: `0` file, `5` directory, `2` symlink, `1` hard link, ...
    public var typeflag: UInt8
    public var linkname: String
    /// The header's mode field (permission, setuid/setgid/sticky and, in some writers, file-type bits).
    public var mode: UInt32 = 0
    public var uid = 0
    public var gid = 0

    public var isDirectory: Bool { typeflag == UInt8(ascii: "5") }
    public var isRegular: Bool { typeflag == UInt8(ascii: "0") || typeflag == 0 || typeflag == UInt8(ascii: "7") }
}
