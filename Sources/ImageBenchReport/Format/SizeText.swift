import ImageBenchCore

/// What the size figures mean, said the same way by every renderer: imagebench's size is defined by the
/// layers; the engine's own `.Size` and the disk an image takes on its engine are shown apart where they
/// differ from it.
enum SizeText {
    /// The size line of a report's legend.
    static let meaning =
        "Size: what the image's layers hold unpacked (their files' bytes and symlink targets, what docker image inspect .Size counts on overlay2), the same on every engine; SI units (1 MB = 10^6 B)"

    /// Whether a table needs a disk column: some image was built on an engine that keeps more than its
    /// layers (the containerd image store keeps each layer's blob beside its unpacked snapshot).
    static func showsDisk(_ rows: [VariantResult]) -> Bool {
        rows.contains { $0.image?.engineSize?.store == .containerd }
    }

    static let diskHeader = "disk"

    static func diskCell(_ r: VariantResult) -> String { r.image?.engineSize.map { Units.bytes($0.diskBytes) } ?? "—" }

    /// The engine the variant's image was inspected on: the one whose build made it (a run of the ci phase
    /// alone inspects the fresh runner's image), else the variant's.
    static func engine(of r: VariantResult) -> EngineRecord? {
        r.builds.last { $0.imageID != nil && $0.imageID == r.image?.id }?.engine ?? r.engine
    }

    /// One sentence per engine whose `.Size` means something other than imagebench's size, with the
    /// smallest image it built as the example; empty when every engine's `.Size` is the unpacked size.
    static func engineNotes(_ results: [VariantResult]) -> [String] {
        var order: [String] = []
        var groups: [String: [VariantResult]] = [:]
        for r in results {
            guard let engineSize = r.image?.engineSize, engineSize.meaning != .unpacked else { continue }
            let key = (engine(of: r).map(EngineText.describe) ?? "the engine") + "|" + engineSize.meaning.rawValue
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(r)
        }
        return order.compactMap { key in
            guard let rows = groups[key], let example = rows.min(by: { $0.image!.sizeBytes < $1.image!.sizeBytes }),
                let image = example.image, let engineSize = image.engineSize
            else { return nil }
            let engine = key.split(separator: "|").first.map(String.init) ?? ""
            let client = example.engine?.kind == .podman ? "podman" : "docker"
            var line =
                "On \(engine), \(engineSize.store.phrase): \(client) image inspect .Size is \(engineSize.meaning.phrase), "
                + "\(Units.bytes(engineSize.bytes)) for \(example.name), whose layers hold \(Units.bytes(image.sizeBytes))."
            if engineSize.store == .containerd {
                line +=
                    " Disk: what each image takes on that engine, its blobs and its unpacked layers together (what docker system df counts); it is the cost of that store, not of the image."
            }
            return line
        }
    }
}
