import ImageBenchCore
import ImageBenchDocker

/// An image as `analyze` and `diff` take it: a name or id in the engine, or a file
/// (`docker-archive:PATH`, `oci-archive:PATH`) read with no engine.
struct ImageInput {
    var reference: String
    var archive: ImageArchive? { ImageArchive(reference: reference) }

    /// The image's layers (an engine's client is made only for an image in the engine).
    func layers(
        docker: @autoclosure () -> DockerClient, estimateCompressed: Bool = false, source: LayerSource, contents: Bool = true,
        entries: Bool = false
    ) async throws -> ImageLayers {
        if let archive {
            if source != .auto {
                throw RequestError(
                    .archiveFlag,
                    "--source \(source.rawValue) reads an engine's layers; \(archive.kind.rawValue): is read from the file, leave --source out")
            }
            return try archive.read(estimateCompressed: estimateCompressed, contents: contents, entries: entries)
        }
        return try await docker().layers(of: reference, estimateCompressed: estimateCompressed, source: source, contents: contents, entries: entries)
    }
}
