import Foundation
import Subprocess
import Synchronization

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// The process groups of the children running now (each started in a session of its own).
public final class RunningProcessGroups: Sendable {
    public static let shared = RunningProcessGroups()
    private let groups = Mutex(Set<pid_t>())

    func insert(_ group: pid_t) { groups.withLock { _ = $0.insert(group) } }
    func remove(_ group: pid_t) { groups.withLock { _ = $0.remove(group) } }

    /// SIGKILL to every running child's whole process group: for quitting at once.
    public func killAll() {
        for group in groups.withLock({ $0 }) { kill(-group, SIGKILL) }
    }
}
