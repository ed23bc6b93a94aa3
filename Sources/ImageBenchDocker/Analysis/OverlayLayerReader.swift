import CXattr
import Foundation
import ImageBenchCore

/// Reads an image's layers straight from a local overlay2 engine's layer folders (`<id>/diff`), as the
/// tar `docker save` would make of each: the same entries, sizes and whiteouts, and no file content
/// read but the entrypoint's first bytes. Names, sizes and whiteouts come from `lstat` alone.
///
/// It mirrors moby's archiver (pkg/archive): entries in byte order of their names, directory by
/// directory; a regular file seen again through another hard link is a link entry of size 0; a
/// character device 0/0 is a whiteout, `.wh.NAME`; a directory marked opaque (`trusted.overlay.opaque`)
/// gets a `.wh..wh..opq` entry.
struct OverlayLayerReader {
    static let opaqueMarker = ".wh..wh..opq"

    /// Whether every folder exists and can be read here: imagebench runs beside the engine.
    /// The image config overlay2 keeps beside the layers (`DATA-ROOT/image/overlay2/imagedb/content/sha256/ID`,
    /// the data root found from a layer's `DATA-ROOT/overlay2/X/diff`); nil when it cannot be read.
    static func config(imageID: String, folders: [String]) -> ImageConfigJSON? {
        guard let diff = folders.first, diff.hasSuffix("/diff") else { return nil }
        let overlay = ((diff as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
        guard (overlay as NSString).lastPathComponent == "overlay2" else { return nil }
        let root = (overlay as NSString).deletingLastPathComponent
        let hex = imageID.hasPrefix("sha256:") ? String(imageID.dropFirst(7)) : imageID
        guard hex.count == 64, hex.allSatisfy(\.isHexDigit),
            let data = FileManager.default.contents(atPath: "\(root)/image/overlay2/imagedb/content/sha256/\(hex)")
        else { return nil }
        return ImageConfigJSON(data)
    }

    static func canRead(_ folders: [String]) -> Bool {
        !folders.isEmpty && folders.allSatisfy { access($0, R_OK | X_OK) == 0 }
    }

    /// The files of one layer folder, in archive order.
    static func files(in folder: String) -> [LayerFile] {
        var files: [LayerFile] = []
        var seenInodes = Set<UInt64>()
        walk(folder, relative: "", into: &files, seen: &seenInodes)
        return files
    }

    /// The first `limit` bytes of `path` (relative to the image root) from the newest layer that has it
    /// as a regular file, or nil when the newest entry for that path is not one.
    static func head(of path: String, in folders: [String], layers: [[LayerFile]], limit: Int) -> [UInt8]? {
        let relative = String(GoPath.clean(path).trimmingPrefix("/"))
        for (folder, files) in zip(folders, layers).reversed() {
            guard let file = files.first(where: { $0.path == relative }) else { continue }
            guard !file.isDirectory, file.linkTarget == nil, let handle = FileHandle(forReadingAtPath: folder + "/" + relative) else { return nil }
            defer { try? handle.close() }
            return (try? handle.read(upToCount: limit)).map { [UInt8]($0) } ?? []
        }
        return nil
    }

    /// Per layer, the package databases' contents and the Go build information of large ELF files and
    /// the entrypoint, as ``SaveArchiveReader`` keeps them. A Go binary is found from its ELF section
    /// headers, so only a few small reads touch each large file.
    static func contents(in folders: [String], layers: [[LayerFile]], entrypoint: String?)
        -> (contents: [[String: [UInt8]]], goBuildInfo: [[String: [UInt8]]])
    {
        let entry = entrypoint.map { String(GoPath.clean($0).trimmingPrefix("/")) }
        var contents: [[String: [UInt8]]] = []
        var found: [[String: [UInt8]]] = []
        for (folder, files) in zip(folders, layers) {
            var kept: [String: [UInt8]] = [:]
            var binaries: [String: [UInt8]] = [:]
            for file in files where !file.isDirectory && file.linkTarget == nil && file.size > 0 {
                if PackageAnalysis.wants(file.path) && file.size <= LayerTarReader.contentLimit {
                    if let data = FileManager.default.contents(atPath: folder + "/" + file.path) { kept[file.path] = [UInt8](data) }
                } else if ImageLayers.mayBeGoBinary(file.path, size: file.size, entrypoint: entry) {
                    if let info = goBuildInfo(folder + "/" + file.path) { binaries[file.path] = info }
                }
            }
            contents.append(kept)
            found.append(binaries)
        }
        return (contents, found)
    }

    /// What the files of each layer hold and their names say about secrets, as ``LayerTarReader`` finds
    /// them: only the files ``SecretScanner/wants(_:size:)`` names are opened, a binary's first 8000 bytes
    /// read and no more.
    static func secrets(in folders: [String], layers: [[LayerFile]]) -> [SecretFinding] {
        var findings: [SecretFinding] = []
        for (index, (folder, files)) in zip(folders, layers).enumerated() {
            for file in files where !file.isDirectory && file.linkTarget == nil && SecretScanner.wants("/" + file.path, size: file.size) {
                findings += SecretScanner.findings(inFileAt: folder + "/" + file.path, path: "/" + file.path, size: file.size, layer: index)
            }
        }
        return findings
    }

    private static func goBuildInfo(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        func read(_ offset: Int, _ count: Int) -> [UInt8]? {
            guard offset >= 0, count >= 0, count < 1 << 26 else { return nil }
            var buffer = [UInt8](repeating: 0, count: count)
            let got = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(offset)) }
            return got < 0 ? nil : Array(buffer.prefix(got))
        }
        guard let section = ELFSections.find(".go.buildinfo", read: read),
            let bytes = read(section.offset, min(max(section.size, 32), GoBuildInfo.captureLimit)),
            GoBuildInfo.parse(bytes[...], path: "") != nil
        else { return nil }
        return bytes
    }

    private static func walk(_ directory: String, relative: String, into files: inout [LayerFile], seen: inout Set<UInt64>) {
        guard let handle = opendir(directory) else { return }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        closedir(handle)
        names.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for name in names {
            let full = directory + "/" + name
            let path = relative.isEmpty ? name : relative + "/" + name
            var info = stat()
            guard lstat(full, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                files.append(LayerFile(path: path, size: 0, isDirectory: true))
                if isOpaque(full) { files.append(LayerFile(path: path + "/" + opaqueMarker, size: 0, isDirectory: false)) }
                walk(full, relative: path, into: &files, seen: &seen)
            case S_IFLNK:
                files.append(LayerFile(path: path, size: 0, isDirectory: false, linkTarget: linkTarget(full, size: Int(info.st_size))))
            case S_IFCHR where info.st_rdev == 0:
                files.append(LayerFile(path: whiteout(path), size: 0, isDirectory: false))
            case S_IFREG:
                let first = info.st_nlink <= 1 || seen.insert(UInt64(info.st_ino)).inserted
                files.append(LayerFile(path: path, size: first ? Int64(info.st_size) : 0, isDirectory: false))
            default:
                files.append(LayerFile(path: path, size: 0, isDirectory: false))
            }
        }
    }

    private static func whiteout(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return ".wh." + path }
        return path[...slash] + ".wh." + path[path.index(after: slash)...]
    }

    private static func isOpaque(_ path: String) -> Bool {
        for attribute in ["trusted.overlay.opaque", "user.overlay.opaque"] {
            var value: UInt8 = 0
            if lgetxattr(path, attribute, &value, 1) == 1 && value == UInt8(ascii: "y") { return true }
        }
        return false
    }

    private static func linkTarget(_ path: String, size: Int) -> String {
        var buffer = [UInt8](repeating: 0, count: max(size, 255) + 1)
        let count = readlink(path, &buffer, buffer.count)
        return count > 0 ? String(decoding: buffer.prefix(count), as: UTF8.self) : ""
    }
}
