import Foundation
import ImageBenchCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A docker engine imagebench starts for the `ci` phase and stops when the run ends: its own data root,
/// exec root, socket and bridge in a folder of its own, so resetting it never touches the user's engine.
/// What `scripts/engine` does, without a shell.
public final class OwnedEngine: Sendable {
    /// `/tmp/imagebench-ci-TOKEN`: everything the engine writes.
    public let directory: String
    public let bridge: String
    /// `unix://DIRECTORY/docker.sock`.
    public let host: String
    let executor: any CommandExecuting
    let daemon: Task<CommandResult?, Never>
    /// Set when dockerd has exited.
    let ended: Flag

    final class Flag: Sendable {
        let value = Mutex(false)
    }

    private init(
        directory: String, bridge: String, host: String, executor: any CommandExecuting, daemon: Task<CommandResult?, Never>, ended: Flag
    ) {
        self.directory = directory
        self.bridge = bridge
        self.host = host
        self.executor = executor
        self.daemon = daemon
        self.ended = ended
    }

    /// Where `scripts/setup` puts Debian 13's dockerd 26.1 (with its docker-proxy), unpacked from the pinned
    /// package: the ci phase's engine when it is there, started with the containerd image store.
    public static let modernDockerd = "/usr/local/lib/imagebench/docker-26.1/dockerd"

    /// The dockerd the ci phase starts: `IMAGEBENCH_CI_DOCKERD`, else ``modernDockerd`` when the machine
    /// has it, else `dockerd` on PATH (Debian 12's 20.10).
    public static func preferredDockerd(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let chosen = environment["IMAGEBENCH_CI_DOCKERD"], !chosen.isEmpty { return chosen }
        return FileManager.default.isExecutableFile(atPath: modernDockerd) ? modernDockerd : "dockerd"
    }

    /// Whether a dockerd of this `dockerd --version` output (`Docker version 26.1.5+dfsg1, build 411e817`)
    /// has the containerd image store (Docker 24 and later: `features.containerd-snapshotter`).
    public static func hasContainerdStore(version output: String) -> Bool {
        guard let range = output.range(of: "version ") else { return false }
        return Int(output[range.upperBound...].prefix { $0.isNumber }).map { $0 >= 24 } ?? false
    }

    /// Why this process cannot start an engine, naming what it needs; nil when it can.
    public static func missingNeeds(dockerd: String = preferredDockerd()) -> String? {
        let fix = "or name a disposable engine with --ci-engine URL"
        if geteuid() != 0 { return "the ci phase starts a docker engine of its own, which needs root; run as root \(fix)" }
        for tool in [dockerd, "ip"] where executablePath(tool) == nil {
            return "the ci phase starts a docker engine of its own and needs \(tool) on PATH (apt-get install -y docker.io iproute2) \(fix)"
        }
        return nil
    }

    static func executablePath(_ name: String) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Starts dockerd with a bridge of its own on a private /24 no route of this machine overlaps
    /// (``PrivateSubnet``) and waits until `client` answers on its socket. Throws ``DockerError`` with
    /// dockerd's last lines when it does not come up.
    /// A dockerd of 24 or later runs with the containerd image store, as fresh Docker 29 installs do.
    public static func start(
        token: String, client: String, executor: any CommandExecuting, dockerd: String = preferredDockerd()
    ) async throws -> OwnedEngine {
        let directory = "/tmp/imagebench-ci-\(token)"
        let bridge = "ibci\(token.prefix(8))"
        let host = "unix://\(directory)/docker.sock"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let version = (try? await executor.run(Command(dockerd, ["--version"], timeout: 30)))?.stdout ?? ""
        let config = hasContainerdStore(version: version) ? #"{ "features": { "containerd-snapshotter": true } }"# : "{}"
        try config.write(toFile: directory + "/daemon.json", atomically: true, encoding: .utf8)
        func ip(_ arguments: [String]) async throws -> CommandResult { try await executor.run(Command("ip", arguments, timeout: 30)) }
        let taken = try await ip(["-4", "route", "show", "table", "all"]).stdout + "\n" + (try await ip(["-4", "-o", "addr", "show"])).stdout
        guard let subnet = PrivateSubnet.pick(seed: token, taken: taken) else {
            try? FileManager.default.removeItem(atPath: directory)
            throw DockerError(
                .engineUnavailable, command: "ip -4 route show table all",
                hint: "every /24 from 10.200.0.0 to 10.249.255.255 overlaps a route of this machine; name a disposable engine with --ci-engine URL")
        }
        for arguments in [
            ["link", "add", bridge, "type", "bridge"], ["addr", "add", subnet.bridgeAddress, "dev", bridge], ["link", "set", bridge, "up"],
        ] {
            let result = try await ip(arguments)
            guard result.succeeded else {
                _ = try? await ip(["link", "del", bridge])
                try? FileManager.default.removeItem(atPath: directory)
                throw DockerError(.commandFailed, command: Command("ip", arguments).shellLine, exitCode: result.exitCode, outputTail: result.tail(3))
            }
        }
        // Its own docker-proxy first (the unpacked 26.1 ships one beside dockerd); containerd and runc from PATH.
        let folder = (dockerd as NSString).deletingLastPathComponent
        let path = (folder.isEmpty ? [] : [folder]) + [ProcessInfo.processInfo.environment["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin"]
        let command = Command(
            dockerd,
            [
                "--config-file", directory + "/daemon.json", "--host", host, "--data-root", directory + "/data", "--exec-root", directory + "/exec",
                "--pidfile", directory + "/docker.pid",
                "--bridge", bridge, "--cgroup-parent", cgroupParent(directory), "--log-level", "warn",
            ], environment: ["PATH": path.joined(separator: ":")])
        let ended = Flag()
        let daemon = Task.detached {
            let result = try? await executor.run(command)
            ended.value.withLock { $0 = true }
            return result
        }
        let engine = OwnedEngine(directory: directory, bridge: bridge, host: host, executor: executor, daemon: daemon, ended: ended)
        let probe = Command(client, ["--host", host, "version", "--format", "{{.Server.Version}}"], timeout: 10)
        // A loaded machine can take well over 30 s to bring a dockerd up; give it two minutes.
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            if let answer = try? await executor.run(probe), answer.succeeded { return engine }
            if engine.exited { break }
            try? await Task.sleep(for: .milliseconds(250))
        }
        let said = engine.exited ? await daemon.value?.tail(3) ?? "" : "no answer within 120 s"
        await engine.stop()
        throw DockerError(
            .engineUnavailable, command: command.shellLine, outputTail: said,
            hint: "the ci phase's own engine did not start; name a disposable engine with --ci-engine URL")
    }

    var exited: Bool { ended.value.withLock { $0 } }

    /// Stops the engine (SIGTERM, SIGKILL after 20 s), then removes what it leaves: containerd and its
    /// shims, mounts below its folder, the bridge and the folder.
    public func stop() async {
        let pidFile = directory + "/docker.pid"
        if let text = try? String(contentsOfFile: pidFile, encoding: .utf8), let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
            kill(pid, SIGTERM)
            for _ in 0..<80 where kill(pid, 0) == 0 { try? await Task.sleep(for: .milliseconds(250)) }
        }
        daemon.cancel()
        _ = await daemon.value
        _ = try? await executor.run(Command("pkill", ["-KILL", "-f", "--", directory + "/exec"], timeout: 30))
        let mounts = (try? String(contentsOfFile: "/proc/mounts", encoding: .utf8)) ?? ""
        let below = mounts.split(separator: "\n").compactMap { line -> String? in
            let fields = line.split(separator: " ")
            return fields.count > 1 && fields[1].hasPrefix(directory + "/") ? String(fields[1]) : nil
        }
        for mount in below.sorted(by: >) { _ = try? await executor.run(Command("umount", ["-l", mount], timeout: 30)) }
        Self.removeCgroups(named: Self.cgroupParent(directory))
        _ = try? await executor.run(Command("ip", ["link", "del", bridge], timeout: 30))
        // dockerd leaves the NAT and filter rules it made for its bridge when it stops.
        for table in ["nat", "filter"] {
            guard let saved = try? await executor.run(Command("iptables-save", ["-t", table], timeout: 30)), saved.succeeded else { continue }
            for rule in Self.bridgeRules(saved.stdout, bridge: bridge) {
                _ = try? await executor.run(Command("iptables", ["-t", table] + rule, timeout: 30))
            }
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The cgroup its containers go below (`--cgroup-parent`): the folder's name, `imagebench-ci-TOKEN`.
    static func cgroupParent(_ directory: String) -> String { (directory as NSString).lastPathComponent }

    /// Ends every process left in the cgroups named `name` (a container outlives its killed shim) and
    /// removes them, deepest first, in every controller's hierarchy (cgroup v1) or the unified one (v2).
    static func removeCgroups(named name: String, root: String = "/sys/fs/cgroup") {
        let files = FileManager.default
        let hierarchies = ((try? files.contentsOfDirectory(atPath: root)) ?? []).map { root + "/" + $0 + "/" + name } + [root + "/" + name]
        for group in hierarchies where files.fileExists(atPath: group) {
            let below = ((files.subpaths(atPath: group)) ?? []).map { group + "/" + $0 }
            for procs in ([group] + below).map({ $0 + "/cgroup.procs" }) {
                guard let text = try? String(contentsOfFile: procs, encoding: .utf8) else { continue }
                for pid in text.split(separator: "\n").compactMap({ Int32($0) }) { kill(pid, SIGKILL) }
            }
            // A killed process leaves its cgroup a moment later: try for up to two seconds.
            for _ in 0..<20 where files.fileExists(atPath: group) {
                for folder in ([group] + below).sorted(by: { $0.count > $1.count }) { rmdir(folder) }
                if files.fileExists(atPath: group) { usleep(100_000) }
            }
        }
    }

    /// The `iptables -D` arguments that delete each rule of `iptables-save` output naming `bridge` as its
    /// input or output interface.
    static func bridgeRules(_ saved: String, bridge: String) -> [[String]] {
        saved.split(separator: "\n").compactMap { line in
            let words = line.split(separator: " ").map(String.init)
            guard words.first == "-A", zip(words, words.dropFirst()).contains(where: { ($0 == "-i" || $0 == "-o") && $1 == bridge }) else {
                return nil
            }
            return ["-D"] + words.dropFirst()
        }
    }
}
