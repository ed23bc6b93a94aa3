import Foundation
import ImageBenchCore

/// A run as `imagebench runs` lists it.
public struct RunSummary: Sendable, Equatable {
    public var run: RunRecord
    public var variantCount: Int
}
