/// The image's file system as a container sees it: every layer stacked, whiteouts and opaque
/// directories applied, and for each path the layer its final copy comes from.
public struct FinalFiles: Sendable, Equatable, Codable {
    public struct Entry: Sendable, Equatable, Codable {
        public enum Kind: String, Sendable, Codable { case file, directory, link }
        public var kind: Kind
        /// The tar header's size of the final copy (0 for directories, links and a hard link's later names).
        public var size: Int64
        /// The layer (index, oldest first) the final copy comes from.
        public var layer: Int
        public var linkTarget: String?

        public init(kind: Kind, size: Int64, layer: Int, linkTarget: String? = nil) {
            self.kind = kind
            self.size = size
            self.layer = layer
            self.linkTarget = linkTarget
        }
    }

    /// Relative, cleaned paths (`usr/bin/env`).
    public var entries: [String: Entry]

    public init(entries: [String: Entry]) { self.entries = entries }

    /// Walks the layers newest first: a path an upper layer has is decided, and what an upper layer's
    /// whiteout or opaque directory hides, or a file where a lower layer has a folder, is skipped below it.
    /// A tar lists a folder before what it holds, so looking at each path's parent is enough.
    public init(_ layers: [[LayerFile]]) {
        var entries: [String: Entry] = [:]
        entries.reserveCapacity(layers.reduce(0) { $0 + $1.count })
        var hidden = Set<String>()
        var deleted = Set<String>()
        for index in layers.indices.reversed() {
            var hides: [String] = []
            let top = index == layers.count - 1
            for file in layers[index] {
                let slash = file.path.utf8.lastIndex(of: UInt8(ascii: "/"))
                let name = slash.map { file.path[file.path.index(after: $0)...] } ?? file.path[...]
                if !top, let slash {
                    let parent = String(file.path[..<slash])
                    if hidden.contains(parent) || entries[parent].map({ $0.kind != .directory && $0.layer > index }) ?? false {
                        hidden.insert(file.path)
                        continue
                    }
                }
                if name.utf8.starts(with: ".wh.".utf8) {
                    if name == ".wh..wh..opq" {
                        if let slash { hides.append(String(file.path[..<slash])) }
                    } else if !name.utf8.starts(with: ".wh..wh..".utf8) {
                        let target = String(file.path.dropLast(name.count)) + name.dropFirst(4)
                        hides.append(target)
                        // Deleted here: no lower layer's copy of the path counts either.
                        if entries[target] == nil { deleted.insert(target) }
                    }
                    continue
                }
                guard entries[file.path] == nil, deleted.isEmpty || !deleted.contains(file.path) else { continue }
                let kind: Entry.Kind = file.isDirectory ? .directory : file.linkTarget != nil ? .link : .file
                entries[file.path] = Entry(kind: kind, size: file.size, layer: index, linkTarget: file.linkTarget)
            }
            hidden.formUnion(hides)
        }
        self.entries = entries
    }

    /// The same without folders: what a diff and the store need.
    public var withoutFolders: FinalFiles { FinalFiles(entries: entries.filter { $0.value.kind != .directory }) }

    /// The sum of the regular files' sizes (a hard link's later names count 0, as in the layer tar).
    public var fileBytes: Int64 { entries.values.reduce(0) { $1.kind == .file ? $0 + $1.size : $0 } }

    /// `path` with symbolic links in its folders followed (not in its last name, as `lstat` does): with
    /// a merged /usr, dpkg lists `/lib/x86_64-linux-gnu/libc.so.6` for a file at `usr/lib/...`.
    public func resolvingFolders(_ path: String) -> String {
        guard path.contains("/") else { return path }
        var pending = path.split(separator: "/").map(String.init)
        var done: [String] = []
        var hops = 0
        while pending.count > 1 {
            let name = pending.removeFirst()
            if name == "." || name.isEmpty { continue }
            if name == ".." {
                _ = done.popLast()
                continue
            }
            let here = (done + [name]).joined(separator: "/")
            if let target = entries[here]?.linkTarget, hops < 40 {
                hops += 1
                if target.hasPrefix("/") { done = [] }
                pending = target.split(separator: "/").map(String.init) + pending
                continue
            }
            done.append(name)
        }
        return (done + pending).joined(separator: "/")
    }

    public func file(_ path: String) -> Entry? {
        guard let entry = entries[path], entry.kind == .file else { return nil }
        return entry
    }
}
