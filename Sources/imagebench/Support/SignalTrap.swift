import Dispatch
import Foundation
import ImageBenchDocker

/// Turns SIGINT and SIGTERM into a call: the first stops the run gracefully, a second one exits at once.
final class SignalTrap: @unchecked Sendable {
    // @unchecked: the sources and the counter are only touched on `queue`.
    private let queue = DispatchQueue(label: "imagebench.signals")
    private var sources: [any DispatchSourceSignal] = []
    private var count = 0

    init(_ onFirst: @escaping @Sendable (Int32) -> Void) {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
            source.setEventHandler { [unowned self] in
                self.count += 1
                if self.count == 1 {
                    FileHandle.standardError.write(Data("\n".utf8))
                    Console.note("stopping (finished builds are kept); press Ctrl-C again to quit at once")
                    onFirst(sig)
                } else {
                    // At once: kill the builds and containers' clients in flight, skip all cleanup.
                    RunningProcessGroups.shared.killAll()
                    Console.note("quit at once; the run stays 'running' (finish it with --resume) and its images are not removed")
                    _exit(130)
                }
            }
            source.resume()
            sources.append(source)
        }
    }

    func cancel() {
        queue.sync {
            for source in sources { source.cancel() }
            for sig in [SIGINT, SIGTERM] { signal(sig, SIG_DFL) }
        }
    }

    /// Runs `body` in a task that the first SIGINT or SIGTERM cancels.
    static func cancelling<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let task = Task { try await body() }
        let trap = SignalTrap { _ in task.cancel() }
        defer { trap.cancel() }
        return try await task.value
    }
}
