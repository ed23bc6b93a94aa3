import Foundation
import ImageBenchCore

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A registry that did not give a manifest.
public struct RegistryError: Error, CustomStringConvertible, Equatable {
    public var url: String
    public var problem: String
    public var description: String { "no registry answers at \(url): \(problem); start one (scripts/registry start) or leave out --registry" }
}
