import Foundation

/// A value computed on another thread while the caller does other work; `value` waits for it. For
/// pure computations on Sendable input (the package analysis beside the waste analysis), so a
/// machine's second core shortens the wall time.
final class BackgroundResult<Value: Sendable>: @unchecked Sendable {
    // @unchecked: `result` is written once by the worker before it signals `done`, and read only
    // after `value` has waited for that signal.
    private var result: Value?
    private let done = DispatchSemaphore(value: 0)

    init(_ work: @escaping @Sendable () -> Value) {
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            result = work()
            done.signal()
        }
    }

    var value: Value {
        done.wait()
        done.signal()
        return result!
    }
}
