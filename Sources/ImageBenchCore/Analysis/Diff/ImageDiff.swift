/// What differs between two images (or two variants of a run): files, OS packages and layers, each with
/// bytes. Sizes are the files' bytes as a container sees them (uncompressed, SI units when shown).
public struct ImageDiff: Sendable, Equatable, Codable {
    /// One image as the diff reads it.
    public struct Side: Sendable, Equatable {
        public var name: String
        public var files: FinalFiles
        public var packages: PackageAnalysis?
        /// Digest and bytes per layer, oldest first.
        public var layers: [LayerChange]
        /// Secrets by content and files named like secrets (nil when the side's run did not record them).
        public var secrets: [SecretFinding]?

        public init(name: String, files: FinalFiles, packages: PackageAnalysis?, layers: [LayerChange], secrets: [SecretFinding]? = nil) {
            self.secrets = secrets
            self.name = name
            self.files = files
            self.packages = packages
            self.layers = layers
        }
    }

    public enum Change: String, Sendable, Codable { case added, removed, changed }

    public struct FileChange: Sendable, Equatable, Codable {
        public var path: String
        public var change: Change
        public var bytesA: Int64?
        public var bytesB: Int64?
        /// B's bytes minus A's.
        public var delta: Int64
        enum CodingKeys: String, CodingKey {
            case path, change, delta
            case bytesA = "bytes_a"
            case bytesB = "bytes_b"
        }
    }

    public struct PackageChange: Sendable, Equatable, Codable {
        public var name: String
        public var change: Change
        public var versionA: String?
        public var versionB: String?
        public var bytesA: Int64?
        public var bytesB: Int64?
        public var delta: Int64
        enum CodingKeys: String, CodingKey {
            case name, change, delta
            case versionA = "version_a"
            case versionB = "version_b"
            case bytesA = "bytes_a"
            case bytesB = "bytes_b"
        }
    }

    /// Counts and bytes of one kind of change.
    public struct Tally: Sendable, Equatable, Codable {
        public var count = 0
        public var bytes: Int64 = 0
        public init(count: Int = 0, bytes: Int64 = 0) {
            self.count = count
            self.bytes = bytes
        }
    }

    public struct Layers: Sendable, Equatable, Codable {
        /// Layers both images have (same digest), and their bytes.
        public var shared: Tally
        public var onlyA: Tally
        public var onlyB: Tally
        /// Shared layers (the same files, the same uncompressed digest) stored compressed differently: another
        /// media type (gzip and zstd) or, at another level, another compressed size.
        public var recompressed: [Recompressed] = []
        enum CodingKeys: String, CodingKey {
            case shared, recompressed
            case onlyA = "only_a"
            case onlyB = "only_b"
        }
    }

    /// One layer both images hold with the same files, compressed differently in each.
    public struct Recompressed: Sendable, Equatable, Codable {
        public var digest: String
        /// `gzip`, `zstd`, `uncompressed` (from the media type), and the compressed bytes, in A and in B.
        public var compressionA: String
        public var compressionB: String
        public var compressedA: Int64
        public var compressedB: Int64
        enum CodingKeys: String, CodingKey {
            case digest
            case compressionA = "compression_a"
            case compressionB = "compression_b"
            case compressedA = "compressed_bytes_a"
            case compressedB = "compressed_bytes_b"
        }

        /// The shared layers of `a` and `b` whose compressed bytes or media type differ; layers with no
        /// compressed figure or media type on a side are left out.
        static func find(_ a: [LayerChange], _ b: [LayerChange]) -> [Recompressed] {
            let byDigest = Dictionary(b.compactMap { layer in layer.digest.map { ($0, layer) } }, uniquingKeysWith: { first, _ in first })
            return a.compactMap { layer in
                guard let digest = layer.digest, let other = byDigest[digest], let typeA = layer.mediaType, let typeB = other.mediaType,
                    let bytesA = layer.compressedBytes, let bytesB = other.compressedBytes, typeA != typeB || bytesA != bytesB
                else { return nil }
                let name = { (type: String) in LayerCompression.algorithm(ofMediaType: type)?.rawValue ?? type }
                return Recompressed(digest: digest, compressionA: name(typeA), compressionB: name(typeB), compressedA: bytesA, compressedB: bytesB)
            }
        }
    }

    public var a: String
    public var b: String
    /// File bytes of each image, and B's minus A's.
    public var bytesA: Int64
    public var bytesB: Int64
    public var delta: Int64
    /// Every differing file or link, largest change first.
    public var files: [FileChange]
    public var added: Tally
    public var removed: Tally
    public var changed: Tally
    /// Files of equal size, kind and link target whose final copies come from layers the images do not
    /// share: their contents were not compared, so they may differ.
    public var uncompared: Int
    /// Nil when neither image has a package database.
    public var packages: [PackageChange]?
    /// Bytes of files no package lists, in each image (all of them in an image without a package
    /// database; nil when neither has one).
    public var unownedA: Int64?
    public var unownedB: Int64?
    public var layers: Layers
    /// Secrets (by content, and files named like secrets) that only one side holds, told apart by kind, rule
    /// and path (a secret that moved to another layer or line is the same); nil when a side did not record them.
    public var secretsOnlyA: [SecretFinding]?
    public var secretsOnlyB: [SecretFinding]?

    enum CodingKeys: String, CodingKey {
        case a, b, delta, files, added, removed, changed, uncompared, packages, layers
        case secretsOnlyA = "secrets_only_a"
        case secretsOnlyB = "secrets_only_b"
        case bytesA = "bytes_a"
        case bytesB = "bytes_b"
        case unownedA = "unowned_bytes_a"
        case unownedB = "unowned_bytes_b"
    }

    public init(_ a: Side, _ b: Side) {
        self.a = a.name
        self.b = b.name
        let digestsA = a.layers.map { $0.digest ?? "" }
        let digestsB = b.layers.map { $0.digest ?? "" }
        let sharedDigests = Set(digestsA).intersection(digestsB).subtracting([""])
        func tally(_ layers: [LayerChange], _ keep: (String) -> Bool) -> Tally {
            layers.filter { keep($0.digest ?? "") }.reduce(Tally()) { Tally(count: $0.count + 1, bytes: $0.bytes + $1.sizeBytes) }
        }
        layers = Layers(
            shared: tally(a.layers) { sharedDigests.contains($0) }, onlyA: tally(a.layers) { !sharedDigests.contains($0) },
            onlyB: tally(b.layers) { !sharedDigests.contains($0) }, recompressed: Recompressed.find(a.layers, b.layers))

        var files: [FileChange] = []
        var added = Tally()
        var removed = Tally()
        var changed = Tally()
        var uncompared = 0
        let left = a.files.entries.filter { $0.value.kind != .directory }
        let right = b.files.entries.filter { $0.value.kind != .directory }
        for (path, x) in left {
            guard let y = right[path] else {
                files.append(FileChange(path: "/" + path, change: .removed, bytesA: x.size, bytesB: nil, delta: -x.size))
                removed = Tally(count: removed.count + 1, bytes: removed.bytes + x.size)
                continue
            }
            if x.kind != y.kind || x.size != y.size || x.linkTarget != y.linkTarget {
                files.append(FileChange(path: "/" + path, change: .changed, bytesA: x.size, bytesB: y.size, delta: y.size - x.size))
                changed = Tally(count: changed.count + 1, bytes: changed.bytes + (y.size - x.size))
            } else if x.kind == .file, x.layer >= 0, y.layer >= 0, x.layer < digestsA.count, y.layer < digestsB.count,
                digestsA[x.layer] != digestsB[y.layer] || digestsA[x.layer].isEmpty
            {
                uncompared += 1
            }
        }
        for (path, y) in right where left[path] == nil {
            files.append(FileChange(path: "/" + path, change: .added, bytesA: nil, bytesB: y.size, delta: y.size))
            added = Tally(count: added.count + 1, bytes: added.bytes + y.size)
        }
        files.sort { (abs($0.delta), $1.path) > (abs($1.delta), $0.path) }
        self.files = files
        self.added = added
        self.removed = removed
        self.changed = changed
        self.uncompared = uncompared
        bytesA = a.files.fileBytes
        bytesB = b.files.fileBytes
        delta = bytesB - bytesA
        // An image without a package database owns none of its files.
        let either = a.packages != nil || b.packages != nil
        unownedA = a.packages?.unownedBytes ?? (either ? bytesA : nil)
        unownedB = b.packages?.unownedBytes ?? (either ? bytesB : nil)
        packages = Self.packages(a.packages, b.packages)
        if let x = a.secrets, let y = b.secrets {
            func key(_ f: SecretFinding) -> String { "\(f.kind.rawValue) \(f.rule?.rawValue ?? "") \(f.path)" }
            let keysA = Set(x.map(key))
            let keysB = Set(y.map(key))
            secretsOnlyA = x.filter { !keysB.contains(key($0)) }
            secretsOnlyB = y.filter { !keysA.contains(key($0)) }
        }
    }

    /// Packages by name: added, removed, or changed in version or bytes; largest change first.
    public static func packages(_ a: PackageAnalysis?, _ b: PackageAnalysis?) -> [PackageChange]? {
        if a == nil && b == nil { return nil }
        let left = Dictionary((a?.packages ?? []).map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let right = Dictionary((b?.packages ?? []).map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var changes: [PackageChange] = []
        for (name, x) in left {
            if let y = right[name] {
                guard x.version != y.version || x.bytes != y.bytes else { continue }
                changes.append(
                    PackageChange(
                        name: name, change: .changed, versionA: x.version, versionB: y.version, bytesA: x.bytes, bytesB: y.bytes,
                        delta: y.bytes - x.bytes))
            } else {
                changes.append(
                    PackageChange(name: name, change: .removed, versionA: x.version, versionB: nil, bytesA: x.bytes, bytesB: nil, delta: -x.bytes))
            }
        }
        for (name, y) in right where left[name] == nil {
            changes.append(
                PackageChange(name: name, change: .added, versionA: nil, versionB: y.version, bytesA: nil, bytesB: y.bytes, delta: y.bytes))
        }
        return changes.sorted { (abs($0.delta), $1.name) > (abs($1.delta), $0.name) }
    }
}
