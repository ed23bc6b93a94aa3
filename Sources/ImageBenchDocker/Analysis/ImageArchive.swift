import Foundation
import ImageBenchCore

/// An image given as a file instead of a name in an engine: `docker-archive:PATH` (what `docker save`
/// writes) or `oci-archive:PATH` (an OCI image layout as a tarball: index.json, blobs/ with plain, gzip or
/// zstd layers). Read with no engine: the archive's index is walked once (seeking past contents), then
/// each layer blob is read in order and streamed through its decoder into a ``LayerTarReader``.
public struct ImageArchive: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case docker = "docker-archive"
        case oci = "oci-archive"
    }

    public var kind: Kind
    public var path: String

    public init(kind: Kind, path: String) {
        self.kind = kind
        self.path = path
    }

    /// `docker-archive:PATH` or `oci-archive:PATH` (the forms skopeo and dive use); nil for anything
    /// else, which names an image in an engine. A `//` after the colon, as dive writes it, is allowed.
    public init?(reference: String) {
        guard let kind = Kind.allCases.first(where: { reference.hasPrefix($0.rawValue + ":") }) else { return nil }
        var rest = String(reference.dropFirst(kind.rawValue.count + 1))
        if rest.hasPrefix("//") { rest.removeFirst(2) }
        self.init(kind: kind, path: rest)
    }

    public var description: String { "\(kind.rawValue):\(path)" }

    /// Reads the archive's layers. `estimateCompressed` gzip-compresses plain layers to estimate a push;
    /// compressed blobs give their own size, exactly. Throws ``ArchiveError`` naming the file and the fix.
    /// `entries` keeps every tar entry with its mode and owner (dive-json's fileList).
    public func read(estimateCompressed: Bool = false, contents: Bool = true, entries keepEntries: Bool = false) throws(ArchiveError)
        -> ImageLayers
    {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ArchiveError(path: description, FileManager.default.fileExists(atPath: path) ? "cannot read the file" : "no such file")
        }
        defer { try? handle.close() }
        let (entries, complete) = try index(handle)
        let truncated = complete ? "" : " (the file ends before the archive does: it is truncated)"
        /// A small file of the archive (a manifest, an index, a config): nil when it is not there.
        func data(_ name: String) throws(ArchiveError) -> Data? {
            guard let entry = entries[name] else { return nil }
            guard entry.size < 16 << 20, let bytes = try? Self.bytes(handle, at: entry.offset, count: Int(entry.size)) else {
                throw ArchiveError(path: description, "\(name) in the archive cannot be read")
            }
            return Data(bytes)
        }
        func json<T>(_ name: String, as _: T.Type, _ what: String) throws(ArchiveError) -> T {
            guard let data = try data(name) else { throw ArchiveError(path: description, "\(name) is missing from the archive") }
            guard let value = (try? JSONSerialization.jsonObject(with: data)) as? T else {
                throw ArchiveError(path: description, "\(name) in the archive is not \(what)")
            }
            return value
        }

        // The config and the layer blobs in order.
        var configName: String
        var layerNames: [String]
        switch kind {
        case .docker:
            guard entries["manifest.json"] != nil else {
                throw ArchiveError(
                    path: description,
                    "no manifest.json: not a docker save archive\(truncated)\(entries["index.json"] != nil ? "; it is an OCI image layout, give oci-archive:\(path)" : "")"
                )
            }
            guard let first = try json("manifest.json", as: [[String: Any]].self, "a JSON list").first, let config = first["Config"] as? String,
                let layers = first["Layers"] as? [String]
            else { throw ArchiveError(path: description, "manifest.json names no image (Config and Layers)") }
            configName = config
            layerNames = layers
        case .oci:
            guard entries["index.json"] != nil else {
                throw ArchiveError(
                    path: description,
                    "no index.json: not an OCI image layout\(truncated)\(entries["manifest.json"] != nil ? "; it is a docker save archive, give docker-archive:\(path)" : "")"
                )
            }
            var index = try json("index.json", as: [String: Any].self, "a JSON object")
            var depth = 0
            while true {
                guard let chosen = Self.chooseManifest(index["manifests"] as? [[String: Any]] ?? []), let digest = chosen["digest"] as? String else {
                    throw ArchiveError(path: description, "index.json lists no image manifest")
                }
                let manifest = try json(Self.blob(digest), as: [String: Any].self, "a JSON object")
                if manifest["manifests"] != nil, depth < 4 {
                    // An index (several platforms): choose again inside it.
                    index = manifest
                    depth += 1
                    continue
                }
                guard let config = (manifest["config"] as? [String: Any])?["digest"] as? String,
                    let layers = manifest["layers"] as? [[String: Any]]
                else { throw ArchiveError(path: description, "the manifest \(digest) names no config and layers") }
                configName = Self.blob(config)
                layerNames = layers.compactMap { ($0["digest"] as? String).map(Self.blob) }
                break
            }
        }
        guard let config = try data(configName).flatMap(ImageConfigJSON.init) else {
            throw ArchiveError(path: description, "the image config \(configName) is missing from the archive or not JSON")
        }
        let entrypoint = config.entrypoint
        let digests = config.diffIDs
        let capture = entrypoint.map { String(GoPath.clean($0).trimmingPrefix("/")) }

        var readers: [LayerTarReader] = []
        for name in layerNames {
            guard let entry = entries[name] else {
                throw ArchiveError(path: description, "the layer \(name) the manifest names is missing from the archive")
            }
            readers.append(
                try readLayer(
                    handle, name: name, entry: entry, capture: capture, estimate: estimateCompressed, contents: contents, entries: keepEntries))
        }
        var layers = LayerTarReader.image(
            readers, digests: digests.count == layerNames.count ? digests : [], entrypoint: entrypoint, estimateCompressed: estimateCompressed,
            keepEntries: keepEntries)
        layers.source = kind.rawValue
        layers.layerIDs = layerNames.map(ImageConfigJSON.layerID)
        layers.commands = config.commands(count: layerNames.count)
        return layers
    }

    /// Streams one layer blob into a reader, which decodes it as its first bytes say.
    private func readLayer(
        _ handle: FileHandle, name: String, entry: (offset: UInt64, size: Int64), capture: String?, estimate: Bool, contents: Bool,
        entries: Bool
    ) throws(ArchiveError) -> LayerTarReader {
        let chunk = 1 << 20
        var offset = entry.offset
        var left = entry.size
        guard var piece = try? Self.bytes(handle, at: offset, count: Int(min(Int64(chunk), left))) else {
            throw ArchiveError(path: description, "cannot read the layer \(name)")
        }
        let compression = LayerDecoder.Compression.sniff(piece)
        let reader: LayerTarReader
        do {
            reader = try LayerTarReader(
                compression: compression, capturePath: capture, estimateCompressed: estimate, keepContents: contents, keepEntries: entries)
        } catch {
            throw ArchiveError(path: description, "layer \(name): \(error.message)")
        }
        while true {
            do {
                try reader.feed(piece[...])
            } catch {
                throw ArchiveError(path: description, "layer \(name) (\(compression.rawValue)): \(error.message)")
            }
            offset += UInt64(piece.count)
            left -= Int64(piece.count)
            guard left > 0 else { break }
            guard let next = try? Self.bytes(handle, at: offset, count: Int(min(Int64(chunk), left))), !next.isEmpty else {
                throw ArchiveError(path: description, "the archive ends inside the layer \(name); the file is truncated")
            }
            piece = next
        }
        reader.finish(blobSize: entry.size)
        return reader
    }

    /// Every entry's name, data offset and size, read by seeking from header to header, and whether the
    /// archive's end marker was reached.
    private func index(_ handle: FileHandle) throws(ArchiveError) -> (entries: [String: (offset: UInt64, size: Int64)], complete: Bool) {
        var stream = TarStream()
        var entries: [String: (offset: UInt64, size: Int64)] = [:]
        var offset: UInt64 = 0
        while !stream.finished {
            guard let block = try? Self.bytes(handle, at: offset, count: 512), block.count == 512 else {
                if offset == 0 { throw ArchiveError(path: description, "the file is empty or not a tar archive") }
                break
            }
            if offset == 0 && !(String(decoding: block[257..<262], as: UTF8.self) == "ustar") {
                throw ArchiveError(path: description, "not a tar archive; give a file `docker save` or an OCI image layout export wrote")
            }
            offset += 512
            var current: TarEntry?
            stream.feed(block[...], entry: { current = $0 }, content: { _, _ in })
            if let entry = current { entries[GoPath.clean(entry.name)] = (offset, entry.size) }
            if stream.inData { offset += UInt64(stream.skipData()) }
        }
        return (entries, stream.finished)
    }

    /// The path of a blob in an OCI layout: `sha256:HEX` → `blobs/sha256/HEX`.
    static func blob(_ digest: String) -> String {
        "blobs/" + digest.replacingOccurrences(of: ":", with: "/")
    }

    /// The manifest to read from an index: linux/amd64 when several platforms are listed (or the first
    /// that is not an attestation, whose platform is unknown/unknown).
    static func chooseManifest(_ manifests: [[String: Any]]) -> [String: Any]? {
        let images = manifests.filter { (($0["platform"] as? [String: Any])?["os"] as? String) != "unknown" }
        return images.first {
            ($0["platform"] as? [String: Any]).map { $0["os"] as? String == "linux" && $0["architecture"] as? String == "amd64" } ?? false
        }
            ?? images.first ?? manifests.first
    }

    static func bytes(_ handle: FileHandle, at offset: UInt64, count: Int) throws -> [UInt8] {
        try handle.seek(toOffset: offset)
        return [UInt8](try handle.read(upToCount: count) ?? Data())
    }
}

/// An image archive that cannot be read, with the file and the fix; one line.
public struct ArchiveError: Error, CustomStringConvertible, Equatable {
    public var path: String
    public var message: String

    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
