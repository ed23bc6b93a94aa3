extension GoBinary {
    /// The Go binaries of the image as a container sees it (a copy a later layer replaced or deleted is
    /// not one), by path.
    public static func binaries(_ image: ImageLayers, final: FinalFiles) -> [GoBinary] {
        var result: [GoBinary] = []
        for (index, found) in image.goBuildInfo.enumerated() {
            for (path, bytes) in found where final.file(path)?.layer == index {
                if let binary = GoBuildInfo.parse(bytes[...], path: "/" + path) { result.append(binary) }
            }
        }
        return result.sorted { $0.path < $1.path }
    }
}
