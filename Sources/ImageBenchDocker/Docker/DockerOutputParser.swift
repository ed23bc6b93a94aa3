import Foundation
import ImageBenchCore

/// Reads what the docker CLI prints. Pure, so tests feed it real captured output.
public enum DockerOutputParser {
    /// The build-context size docker reported: the last `Sending build context to Docker daemon  2.048kB`
    /// (classic builder) or `transferring context: 2.05kB` (BuildKit). Docker rounds to 4 significant digits.
    public static func contextBytes(_ output: String) -> Int64? {
        var found: Int64?
        var contextStep: Substring?  // BuildKit: the `#N` of `[internal] load build context`
        for raw in output.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            let step = line.hasPrefix("#") ? line.split(separator: " ").first : nil
            if line.hasSuffix("[internal] load build context") { contextStep = step }
            if let range = line.range(of: "Sending build context to Docker daemon") {
                found = lastSize(line[range.upperBound...]) ?? found
            } else if let range = line.range(of: "transferring context:"), step == nil || step == contextStep {
                found = lastSize(line[range.upperBound...]) ?? found
            }
        }
        return found
    }

    private static func lastSize(_ rest: Substring) -> Int64? {
        rest.split(separator: " ").first.flatMap { humanBytes(String($0)) }
    }

    /// `2.048kB` → 2048, `1.2MB` → 1200000, `512B` → 512, `1KiB` → 1024 (docker's go-units formats).
    public static func humanBytes(_ text: String) -> Int64? {
        let units: [(String, Double)] = [
            ("KiB", 1024), ("MiB", 1_048_576), ("GiB", 1_073_741_824), ("kB", 1e3), ("KB", 1e3), ("MB", 1e6), ("GB", 1e9),
            ("TB", 1e12), ("B", 1),
        ]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            guard let value = Double(text.dropLast(suffix.count)) else { return nil }
            return Int64((value * factor).rounded())
        }
        return nil
    }

    /// `docker stats --format '{{.MemUsage}}'` → the bytes in use: `3.27MiB / 23.43GiB` (docker's binary
    /// units) or `3.4MB / 25.2GB` (podman's SI ones).
    public static func memoryInUse(_ output: String) -> Int64? {
        guard let used = output.split(separator: "/").first?.trimmingCharacters(in: .whitespacesAndNewlines), !used.isEmpty else { return nil }
        return humanBytes(used)
    }

    /// `docker version --format '{{json .}}'` → (client, server); server is nil when no engine answered.
    public static func versions(_ json: String) -> (client: String, server: String?)? {
        guard let object = jsonObject(json) else { return nil }
        let client = (object["Client"] as? [String: Any])?["Version"] as? String ?? ""
        let server = (object["Server"] as? [String: Any])?["Version"] as? String
        return (client, server)
    }

    /// Fills the engine fields of `environment` from `docker info --format '{{json .}}'`.
    public static func applyInfo(_ json: String, to environment: inout RunEnvironment) {
        guard let object = jsonObject(json) else { return }
        environment.storageDriver = object["Driver"] as? String ?? ""
        // `DriverStatus: [["driver-type", "io.containerd.snapshotter.v1"]]` on the containerd image store.
        let status = object["DriverStatus"] as? [[String]] ?? []
        environment.imageStore =
            status.contains { $0.count == 2 && $0[0] == "driver-type" && $0[1].hasPrefix("io.containerd.snapshotter") } ? .containerd : .graphDriver
        environment.cgroupVersion = object["CgroupVersion"] as? String ?? ""
        environment.architecture = RunEnvironment.ociArchitecture(object["Architecture"] as? String ?? "")
        if let n = object["NCPU"] as? Int { environment.cpus = n }
        if let m = object["MemTotal"] as? Int64 {
            environment.memoryBytes = m
        } else if let m = object["MemTotal"] as? Int {
            environment.memoryBytes = Int64(m)
        }
        if let k = object["KernelVersion"] as? String, !k.isEmpty { environment.kernel = k }
        if let os = object["OperatingSystem"] as? String, !os.isEmpty { environment.os = os }
        if let name = object["Name"] as? String, !name.isEmpty { environment.host = name }
    }

    /// Fills the engine fields of `environment` from `podman info --format json`.
    public static func applyPodmanInfo(_ json: String, to environment: inout RunEnvironment) {
        guard let object = jsonObject(json) else { return }
        let host = object["host"] as? [String: Any] ?? [:]
        let store = object["store"] as? [String: Any] ?? [:]
        environment.storageDriver = store["graphDriverName"] as? String ?? ""
        environment.imageStore = .podman
        environment.cgroupVersion = host["cgroupVersion"] as? String ?? ""
        environment.architecture = RunEnvironment.ociArchitecture(host["arch"] as? String ?? "")
        if let n = host["cpus"] as? Int { environment.cpus = n }
        if let m = (host["memTotal"] as? NSNumber)?.int64Value { environment.memoryBytes = m }
        if let k = host["kernel"] as? String, !k.isEmpty { environment.kernel = k }
        if let d = host["distribution"] as? [String: Any], let name = d["distribution"] as? String {
            environment.os = [name, d["version"] as? String ?? ""].filter { !$0.isEmpty }.joined(separator: " ")
        }
        if let name = host["hostname"] as? String, !name.isEmpty { environment.host = name }
    }

    /// `docker buildx version` → `0.13.1+ds1` from `github.com/docker/buildx 0.13.1+ds1 0.13.1+ds1-3`
    /// (`v0.23.0` from Docker's own builds, `v0.23.0 28c90ea`); the whole line when it has another shape.
    public static func buildxVersion(_ output: String) -> String? {
        let line = output.split(separator: "\n").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard !line.isEmpty else { return nil }
        let words = line.split(separator: " ")
        return words.count >= 2 && words[0].hasSuffix("buildx") ? String(words[1]) : line
    }

    /// `docker image inspect ID` → id, `.Size` and the `.RootFS.Layers` count.
    public static func inspect(_ json: String) -> (id: String, size: Int64, layers: Int)? {
        guard let data = json.data(using: .utf8),
            let array = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]], let image = array.first,
            let id = image["Id"] as? String
        else { return nil }
        let size = (image["Size"] as? NSNumber)?.int64Value ?? 0
        let layers = ((image["RootFS"] as? [String: Any])?["Layers"] as? [Any])?.count ?? 0
        return (id, size, layers)
    }

    /// `docker image inspect ID` → the `.RootFS.Layers` digests, oldest first.
    public static func rootFSLayers(_ json: String) -> [String] {
        guard let data = json.data(using: .utf8), let array = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else { return [] }
        return (array.first?["RootFS"] as? [String: Any])?["Layers"] as? [String] ?? []
    }

    /// The ids of the step images a classic build made: each ` ---> ID` line, except those that follow
    /// a `FROM` step (the base image), ` ---> Using cache` (images an earlier build made) and
    /// ` ---> Running in ID` (containers).
    public static func createdImages(_ output: String) -> [String] {
        var ids: [String] = []
        var cached = false
        // By newline Character: "\r\n" (docker writes "\r\r\n" after the context line) is one.
        for line in output.split(whereSeparator: \.isNewline) {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("Step "), let colon = text.range(of: " : ") {
                cached = text[colon.upperBound...].uppercased().hasPrefix("FROM ")
                continue
            }
            guard text.hasPrefix("---> ") else { continue }
            let value = text.dropFirst(5)
            if value == "Using cache" {
                cached = true
            } else if value.count >= 12, value.allSatisfy(\.isHexDigit) {
                if !cached { ids.append(String(value)) }
                cached = false
            }
        }
        return ids
    }

    /// The image's layer folders when its storage driver is overlay2 (`.GraphDriver.Data`), oldest
    /// first: `LowerDir` lists the lower layers newest first, `UpperDir` is the newest layer.
    public static func overlayLayerFolders(_ json: String) -> [String]? {
        guard let data = json.data(using: .utf8), let array = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]],
            let driver = array.first?["GraphDriver"] as? [String: Any], driver["Name"] as? String == "overlay2",
            let folders = driver["Data"] as? [String: Any], let upper = folders["UpperDir"] as? String
        else { return nil }
        let lower = (folders["LowerDir"] as? String).map { $0.split(separator: ":").map(String.init) } ?? []
        return lower.reversed() + [upper]
    }

    /// The program an image runs: `.Config.Entrypoint[0]`, else `.Config.Cmd[0]`, when it is an absolute path.
    public static func entrypoint(_ json: String) -> String? {
        guard let data = json.data(using: .utf8), let array = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else { return nil }
        return entrypoint(config: array.first?["Config"] as? [String: Any])
    }

    /// The same from an image config's run settings (inspect's `.Config`, an image config file's `config`).
    static func entrypoint(config: [String: Any]?) -> String? {
        let first = (config?["Entrypoint"] as? [String])?.first ?? (config?["Cmd"] as? [String])?.first
        return first.flatMap { $0.hasPrefix("/") ? $0 : nil }
    }

    /// `docker history --no-trunc --human=false --format '{{json .}}' ID` (newest first) → layers oldest first.
    public static func history(_ output: String) -> [LayerRecord] {
        // docker prints one JSON object per line; podman one JSON array, with lower-case size and id.
        let trimmed = output.trimmingCharacters(in: .whitespacesAndNewlines)
        let rows: [[String: Any]] =
            trimmed.hasPrefix("[")
            ? ((try? JSONSerialization.jsonObject(with: Data(trimmed.utf8))) as? [[String: Any]] ?? [])
            : output.split(separator: "\n").compactMap { jsonObject(String($0)) }
        return rows.reversed().enumerated().map { index, row in
            let sizeValue = row["Size"] ?? row["size"]
            let size = Int64(sizeValue as? String ?? "") ?? (sizeValue as? NSNumber)?.int64Value ?? 0
            let id = (row["ID"] ?? row["id"]) as? String
            return LayerRecord(
                position: index, sizeBytes: size, createdBy: row["CreatedBy"] as? String ?? "",
                id: id == "<missing>" ? nil : id)
        }
    }

    static func jsonObject(_ text: String) -> [String: Any]? {
        guard let data = text.trimmingCharacters(in: .whitespacesAndNewlines).data(using: .utf8) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }
}
