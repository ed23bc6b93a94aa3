/// The OS packages of an image, read from the package databases in its layers (no container started):
/// dpkg's `/var/lib/dpkg/status` with `info/*.list`, distroless's `status.d/*` with their `.md5sums`, and
/// apk's `/lib/apk/db/installed`.
public struct PackageAnalysis: Sendable, Equatable, Codable {
    /// `dpkg` or `apk`.
    public var manager: String
    /// Largest measured bytes first.
    public var packages: [InstalledPackage]
    /// Bytes of the image's regular files no package lists (the application binary, generated files).
    public var unownedBytes: Int64
    /// The largest of those files of at least 100 kB, as `path` and bytes (at most 10).
    public var unownedFiles: [PathBytes]
    /// Per layer: the packages it added or changed and their measured bytes.
    public var layers: [LayerPackages]

    public struct PathBytes: Sendable, Equatable, Codable {
        public var path: String
        public var bytes: Int64
        public init(path: String, bytes: Int64) {
            self.path = path
            self.bytes = bytes
        }
    }

    public struct LayerPackages: Sendable, Equatable, Codable {
        public var index: Int
        public var packages: Int
        public var bytes: Int64
        public init(index: Int, packages: Int, bytes: Int64) {
            self.index = index
            self.packages = packages
            self.bytes = bytes
        }
    }

    public init(manager: String, packages: [InstalledPackage], unownedBytes: Int64, unownedFiles: [PathBytes], layers: [LayerPackages]) {
        self.manager = manager
        self.packages = packages
        self.unownedBytes = unownedBytes
        self.unownedFiles = unownedFiles
        self.layers = layers
    }

    enum CodingKeys: String, CodingKey {
        case manager, packages, layers
        case unownedBytes = "unowned_bytes"
        case unownedFiles = "unowned_files"
    }

    /// The bytes all packages' files take.
    public var ownedBytes: Int64 { packages.reduce(0) { $0 + $1.bytes } }

    /// Which files' contents the analysis needs, so a layer reader keeps them: the package databases.
    public static func wants(_ path: String) -> Bool {
        if path == DpkgDatabase.statusPath || path == ApkDatabase.installedPath { return true }
        if path.hasPrefix(DpkgDatabase.infoFolder) { return path.hasSuffix(".list") && !path.dropFirst(DpkgDatabase.infoFolder.count).contains("/") }
        if path.hasPrefix(DpkgDatabase.statusFolder) { return !path.dropFirst(DpkgDatabase.statusFolder.count).contains("/") }
        return false
    }

    /// For each package, the newest layer whose copy of the database file added it or changed its
    /// `key` (version, state); `entries` reads one copy as (name, key) pairs.
    static func changedLayers(_ image: ImageLayers, database path: String, entries: ([UInt8]) -> [(String, String)]) -> [String: Int] {
        var previous: [String: String] = [:]
        var changed: [String: Int] = [:]
        for index in image.files.indices {
            guard let bytes = image.content(path, layer: index) else { continue }
            var current: [String: String] = [:]
            for (name, key) in entries(bytes) {
                current[name] = key
                if previous[name] != key { changed[name] = index }
            }
            previous = current
        }
        return changed
    }

    /// Nil when the image has no package database (scratch, a static base).
    public static func analyze(_ image: ImageLayers, final: FinalFiles) -> PackageAnalysis? {
        let found: (manager: String, packages: [(InstalledPackage, [String])])
        if let dpkg = DpkgDatabase.packages(image, final: final) {
            found = ("dpkg", dpkg)
        } else if let apk = ApkDatabase.packages(image, final: final) {
            found = ("apk", apk)
        } else {
            return nil
        }
        // Which package counted each file first: a file two listed paths reach (through merged /usr)
        // counts once for a package; one two packages list counts for each, and once as owned.
        var owner: [String: Int] = [:]
        var ownedBytes: Int64 = 0
        var packages: [InstalledPackage] = []
        for (index, (package, paths)) in found.packages.enumerated() {
            var measured = package
            for listed in paths {
                var path = listed
                var found = final.entries[listed]
                if found == nil {
                    path = final.resolvingFolders(listed)
                    found = final.entries[path]
                }
                guard let file = found, file.kind == .file else { continue }
                if let first = owner[path] {
                    if first == index { continue }
                } else {
                    owner[path] = index
                    ownedBytes += file.size
                }
                measured.bytes += file.size
                measured.files += 1
            }
            packages.append(measured)
        }
        packages.sort { ($0.bytes, $1.name) > ($1.bytes, $0.name) }
        // The largest unowned files are among the large files: only those are looked up.
        var unowned = final.entries.compactMap { path, entry in
            entry.kind == .file && entry.size >= 100_000 && owner[path] == nil ? PathBytes(path: "/" + path, bytes: entry.size) : nil
        }
        unowned.sort { ($0.bytes, $1.path) > ($1.bytes, $0.path) }
        let unownedBytes = final.fileBytes - ownedBytes
        let layers = image.files.indices.compactMap { index -> LayerPackages? in
            let mine = packages.filter { $0.layer == index }
            return mine.isEmpty ? nil : LayerPackages(index: index, packages: mine.count, bytes: mine.reduce(0) { $0 + $1.bytes })
        }
        return PackageAnalysis(
            manager: found.manager, packages: packages, unownedBytes: unownedBytes, unownedFiles: Array(unowned.prefix(10)), layers: layers)
    }
}
