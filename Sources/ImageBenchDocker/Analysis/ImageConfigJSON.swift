import Foundation
import ImageBenchCore

/// The parts of an image config (the JSON `docker save` and OCI layouts hold) that the readers use.
struct ImageConfigJSON {
    var object: [String: Any]

    init?(_ data: Data) {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return nil }
        self.object = object
    }

    /// The entrypoint's path (or the command's, without one), when it is absolute.
    var entrypoint: String? { DockerOutputParser.entrypoint(config: object["config"] as? [String: Any]) }

    /// `rootfs.diff_ids`: the uncompressed tars' digests, oldest first.
    var diffIDs: [String] { (object["rootfs"] as? [String: Any])?["diff_ids"] as? [String] ?? [] }

    /// Per history step, whether it made a layer (`empty_layer` is not true).
    var stepMadeLayer: [Bool] { (object["history"] as? [[String: Any]] ?? []).map { ($0["empty_layer"] as? Bool) != true } }

    /// Every history step, oldest first, as `docker history` lists them (sizes to be filled from the layers).
    var history: [LayerRecord] {
        (object["history"] as? [[String: Any]] ?? []).enumerated().map { index, step in
            LayerRecord(position: index, sizeBytes: 0, createdBy: step["created_by"] as? String ?? "")
        }
    }

    /// The `created_by` of each history step that made a layer, for `count` layers ("" past the history's
    /// end), without the `/bin/sh -c ` of a RUN, as dive shows them.
    func commands(count: Int) -> [String] {
        let steps = (object["history"] as? [[String: Any]] ?? []).filter { ($0["empty_layer"] as? Bool) != true }
        return (0..<count).map { index in
            let command = index < steps.count ? steps[index]["created_by"] as? String ?? "" : ""
            return command.hasPrefix("/bin/sh -c ") ? String(command.dropFirst("/bin/sh -c ".count)) : command
        }
    }

    /// The id an archive names a layer by: the folder of `ID/layer.tar` (docker), `ID.tar` (podman), or a
    /// blob's hex digest.
    static func layerID(_ path: String) -> String {
        if path.hasSuffix("/layer.tar") { return String(path.dropLast("/layer.tar".count)) }
        let name = (path as NSString).lastPathComponent
        return name.hasSuffix(".tar") ? String(name.dropLast(4)) : name
    }
}
