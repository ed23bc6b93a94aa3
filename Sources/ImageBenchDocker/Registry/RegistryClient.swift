import Foundation
import ImageBenchCore

/// Reads what a registry (Docker Registry HTTP API v2) stores for a pushed image: the manifest's layer
/// sizes, which are the gzip-compressed bytes a pull transfers. Plain HTTP, as docker allows for
/// registries on loopback.
public struct RegistryClient: Sendable {
    /// `HOST:PORT`, as given to `--registry`.
    public var address: String

    public init(address: String) { self.address = address }

    /// Image manifests, and the indexes BuildKit and the containerd image store push (an image with its
    /// attestations is an index): a registry that is not told it may answer an index answers 404, and
    /// Registry 2.8 falls back to schema 1.
    static let manifestTypes = [
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
    ]

    /// Whether a registry answers at all (`GET /v2/` answers 200, or 401 when it wants a login).
    public func ping() async throws {
        let (_, status, url) = try await get("/v2/", timeout: 10)
        guard status == 200 || status == 401 else { throw RegistryError(url: url, problem: "HTTP \(status), not a registry", answered: false) }
    }

    /// The compressed size and media type of each layer, oldest first, of `repository:tag`; of an index, its
    /// linux/amd64 image (attestation manifests are left out).
    public func layers(repository: String, tag: String) async throws -> [Layer] {
        var (data, status, url) = try await get("/v2/\(repository)/manifests/\(tag)", accept: Self.manifestTypes, timeout: 30)
        guard status == 200 else { throw RegistryError(url: url, problem: "HTTP \(status)") }
        if let digest = try Self.imageInIndex(data, url: url) {
            (data, status, url) = try await get("/v2/\(repository)/manifests/\(digest)", accept: Self.manifestTypes, timeout: 30)
            guard status == 200 else { throw RegistryError(url: url, problem: "HTTP \(status)") }
        }
        return try Self.layers(manifest: data, url: url)
    }

    /// One entry of a manifest's `layers`: the blob's size and how it is compressed.
    public struct Layer: Sendable, Equatable {
        public var size: Int64
        public var mediaType: String
    }

    /// The digest of the linux/amd64 image manifest when `data` is an index (or a manifest list); nil
    /// for an image manifest.
    static func imageInIndex(_ data: Data, url: String) throws -> String? {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any], let manifests = object["manifests"] as? [[String: Any]]
        else { return nil }
        let image = manifests.first { entry in
            let platform = entry["platform"] as? [String: Any]
            let annotations = entry["annotations"] as? [String: Any]
            return platform?["os"] as? String == "linux" && platform?["architecture"] as? String == "amd64"
                && annotations?["vnd.docker.reference.type"] as? String != "attestation-manifest"
        }
        guard let digest = image?["digest"] as? String else {
            throw RegistryError(url: url, problem: "the index lists no linux/amd64 image")
        }
        return digest
    }

    /// One plain-HTTP GET on the registry; a transport failure is a ``RegistryError`` naming the URL.
    private func get(_ path: String, accept: [String] = [], timeout: Double) async throws -> (Data, Int, String) {
        let url = "http://\(address)\(path)"
        guard let (host, port) = Self.hostAndPort(address) else {
            throw RegistryError(url: url, problem: "not HOST:PORT", answered: false)
        }
        let headers = accept.isEmpty ? [] : [("Accept", accept.joined(separator: ", "))]
        switch await PlainHTTP.send(method: "GET", host: host, port: port, path: path, headers: headers, timeout: timeout) {
        case .success(let response): return (Data(response.body), response.status, url)
        case .failure(let failure): throw RegistryError(url: url, problem: failure.reason, answered: false)
        }
    }

    /// `HOST:PORT`, `[V6]:PORT`, or `HOST` (port 80), as a registry address is written.
    static func hostAndPort(_ address: String) -> (String, Int)? {
        if address.hasPrefix("["), let close = address.firstIndex(of: "]") {
            let host = String(address[address.index(after: address.startIndex)..<close])
            let rest = address[address.index(after: close)...]
            if rest.isEmpty { return (host, 80) }
            guard rest.hasPrefix(":"), let port = Int(rest.dropFirst()), (1...65535).contains(port) else { return nil }
            return (host, port)
        }
        let parts = address.split(separator: ":", omittingEmptySubsequences: false)
        guard let host = parts.first, !host.isEmpty, parts.count <= 2 else { return nil }
        guard parts.count == 2 else { return (String(host), 80) }
        guard let port = Int(parts[1]), (1...65535).contains(port) else { return nil }
        return (String(host), port)
    }

    /// The `size` and `mediaType` of each entry of a v2 or OCI image manifest's `layers`.
    static func layers(manifest: Data, url: String) throws -> [Layer] {
        guard let object = (try? JSONSerialization.jsonObject(with: manifest)) as? [String: Any],
            let layers = object["layers"] as? [[String: Any]]
        else { throw RegistryError(url: url, problem: "the answer is not an image manifest with layers") }
        return try layers.map { layer in
            guard let size = (layer["size"] as? NSNumber)?.int64Value else {
                throw RegistryError(url: url, problem: "a layer of the manifest has no size")
            }
            guard let mediaType = layer["mediaType"] as? String else {
                throw RegistryError(url: url, problem: "a layer of the manifest has no mediaType")
            }
            return Layer(size: size, mediaType: mediaType)
        }
    }
}
