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
                    FileHandle.standardError.write(
                        Data("\nimagebench: stopping (finished builds are kept); press Ctrl-C again to quit at once\n".utf8))
                    onFirst(sig)
                } else {
                    // At once: kill the builds and containers' clients in flight, skip all cleanup.
                    RunningProcessGroups.shared.killAll()
                    FileHandle.standardError.write(
                        Data("imagebench: quit at once; the run stays 'running' (finish it with --resume) and its images are not removed\n".utf8))
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
}
