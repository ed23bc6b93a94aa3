import Foundation
import ImageBenchCore

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Reads what a registry (Docker Registry HTTP API v2) stores for a pushed image: the manifest's layer
/// sizes, which are the gzip-compressed bytes a pull transfers. Plain HTTP, as docker allows for
/// registries on loopback.
public struct RegistryClient: Sendable {
    /// `HOST:PORT`, as given to `--registry`.
    public var address: String

    public init(address: String) { self.address = address }

    static let manifestTypes = [
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
    ]

    /// Whether a registry answers at all (`GET /v2/` answers 200, or 401 when it wants a login).
    public func ping() async throws {
        let (_, status, url) = try await get("/v2/", timeout: 10)
        guard status == 200 || status == 401 else { throw RegistryError(url: url, problem: "HTTP \(status), not a registry") }
    }

    /// The compressed size of each layer, oldest first, of `repository:tag`.
    public func layerSizes(repository: String, tag: String) async throws -> [Int64] {
        let (data, status, url) = try await get("/v2/\(repository)/manifests/\(tag)", accept: Self.manifestTypes, timeout: 30)
        guard status == 200 else { throw RegistryError(url: url, problem: "HTTP \(status)") }
        return try Self.layerSizes(manifest: data, url: url)
    }

    /// One plain-HTTP GET on the registry; a transport failure is a ``RegistryError`` naming the URL.
    private func get(_ path: String, accept: [String] = [], timeout: Double) async throws -> (Data, Int, String) {
        let url = "http://\(address)\(path)"
        guard let target = URL(string: url) else { throw RegistryError(url: url, problem: "not a valid URL") }
        var request = URLRequest(url: target, timeoutInterval: timeout)
        if !accept.isEmpty { request.setValue(accept.joined(separator: ", "), forHTTPHeaderField: "Accept") }
        do {
            let (data, response) = try await URLSession.shared.data(for: request)
            return (data, (response as? HTTPURLResponse)?.statusCode ?? 0, url)
        } catch {
            throw RegistryError(url: url, problem: (error as NSError).localizedDescription)
        }
    }

    /// The `size` of each entry of a v2 or OCI image manifest's `layers`.
    static func layerSizes(manifest: Data, url: String) throws -> [Int64] {
        guard let object = (try? JSONSerialization.jsonObject(with: manifest)) as? [String: Any],
            let layers = object["layers"] as? [[String: Any]]
        else { throw RegistryError(url: url, problem: "the answer is not an image manifest with layers") }
        return try layers.map { layer in
            guard let size = (layer["size"] as? NSNumber)?.int64Value else {
                throw RegistryError(url: url, problem: "a layer of the manifest has no size")
            }
            return size
        }
    }
}
