import Foundation

/// Receives a process's output piece by piece, from one task at a time.
public protocol ByteSink: AnyObject, Sendable {
    func consume(_ bytes: ArraySlice<UInt8>)
}
