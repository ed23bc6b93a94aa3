import Foundation
import ImageBenchCore

/// The git repository holding a scenario, read through the `git` program (arguments as an array, never a
/// shell). Reading never changes it: no checkout, no index, no refs; a commit's files are written with
/// `git archive` to a folder outside the work tree.
public struct GitRepository: Sendable {
    /// The work tree's top folder (`git rev-parse --show-toplevel`).
    public let root: String
    let executor: any CommandExecuting

    /// `git log`'s format for ``CommitInfo``: SHA, committer date (Unix seconds) and subject, split by
    /// the unit separator (a subject may hold any other character).
    static let logFormat = "--format=%H%x1f%ct%x1f%s"

    public init(root: String, executor: any CommandExecuting) {
        self.root = root
        self.executor = executor
    }

    /// The repository holding `path` (a folder or a file in one); its nearest existing folder is asked,
    /// so a folder deleted from the work tree still finds its repository.
    public static func containing(_ path: String, executor: any CommandExecuting) async throws(GitError) -> GitRepository {
        var folder = URL(fileURLWithPath: path).standardizedFileURL.path
        var isDirectory: ObjCBool = false
        while !(FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) && isDirectory.boolValue), folder != "/" {
            folder = (folder as NSString).deletingLastPathComponent
        }
        let result = try await run(executor, ["-C", folder, "rev-parse", "--show-toplevel"])
        guard result.succeeded, let top = result.stdout.split(separator: "\n").first else {
            throw GitError("\(path) is not inside a git repository; --commits and bisect read a scenario's history from its repository")
        }
        return GitRepository(root: String(top), executor: executor)
    }

    /// `path` relative to the work tree's top (both resolved through symbolic links).
    public func relativePath(of path: String) throws(GitError) -> String {
        let top = URL(fileURLWithPath: root).resolvingSymlinksInPath().path
        let full = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        if full == top { return "" }
        guard full.hasPrefix(top + "/") else { throw GitError("\(path) is outside the repository at \(root)") }
        return String(full.dropFirst(top.count + 1))
    }

    /// The commits a range names, oldest first: `A..B` (or `A...B`) as `git log --first-parent` walks it,
    /// or a list of revisions separated by commas or spaces, ordered by committer date.
    public func commits(_ range: String) async throws(GitError) -> [CommitInfo] {
        let revisions = range.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
        guard !revisions.isEmpty else { throw GitError("--commits needs a range, e.g. --commits main~10..main or --commits a1b2c3,d4e5f6") }
        if let option = revisions.first(where: { $0.hasPrefix("-") }) {
            throw GitError("\"\(option)\" is not a revision; name commits as git does, e.g. main~10..main")
        }
        if revisions.count == 1, range.contains("..") {
            return try await log(["--first-parent", "--reverse", range])
        }
        var commits: [CommitInfo] = []
        for revision in revisions where !revisions.contains(where: { $0.contains("..") }) {
            commits.append(try await commit(revision))
        }
        if commits.isEmpty { throw GitError("--commits \"\(range)\": give one range A..B, or a list of revisions without ..") }
        var seen = Set<String>()
        return commits.filter { seen.insert($0.sha).inserted }.enumerated().sorted { ($0.element.date, $0.offset) < ($1.element.date, $1.offset) }
            .map(\.element)
    }

    /// One revision's commit.
    public func commit(_ revision: String) async throws(GitError) -> CommitInfo {
        if revision.hasPrefix("-") || revision.isEmpty { throw GitError("\"\(revision)\" is not a revision; name a commit, e.g. HEAD~3") }
        guard let commit = try await log(["-1", "--no-walk", revision + "^{commit}"]).first else {
            throw GitError("\(revision) names no commit in \(root)")
        }
        return commit
    }

    /// Whether `ancestor` is `descendant` or one of its ancestors.
    public func isAncestor(_ ancestor: String, of descendant: String) async throws(GitError) -> Bool {
        try await Self.run(executor, ["-C", root, "merge-base", "--is-ancestor", ancestor, descendant]).exitCode == 0
    }

    /// Writes the files of `commit` (its whole tree) into `folder`, which must exist: `git archive` to a
    /// tar file there, then `tar -x`. The repository is only read.
    public func export(_ commit: String, to folder: String) async throws(GitError) {
        let tar = (folder as NSString).appendingPathComponent(".imagebench-commit.tar")
        let archive = try await Self.run(executor, ["-C", root, "archive", "--format=tar", "--output=\(tar)", commit])
        guard archive.succeeded else { throw GitError("git archive \(commit) failed: \(Self.firstLine(archive.stderr))") }
        let extract = try await Self.execute(executor, Command("tar", ["-xf", tar, "-C", folder], timeout: 600))
        try? FileManager.default.removeItem(atPath: tar)
        guard extract.succeeded else { throw GitError("cannot unpack commit \(commit) into \(folder): \(Self.firstLine(extract.stderr))") }
    }

    /// `git log` with ``logFormat``, parsed.
    func log(_ arguments: [String]) async throws(GitError) -> [CommitInfo] {
        let result = try await Self.run(executor, ["-C", root, "log", Self.logFormat] + arguments + ["--"])
        guard result.succeeded else {
            throw GitError("git log \(arguments.last ?? ""): \(Self.firstLine(result.stderr)) (in \(root))")
        }
        return Self.parseLog(result.stdout)
    }

    /// Lines of ``logFormat``.
    public static func parseLog(_ text: String) -> [CommitInfo] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "\u{1f}", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count >= 2, let seconds = Double(fields[1]) else { return nil }
            return CommitInfo(sha: String(fields[0]), date: Date(timeIntervalSince1970: seconds), subject: fields.count > 2 ? String(fields[2]) : "")
        }
    }

    static func run(_ executor: any CommandExecuting, _ arguments: [String]) async throws(GitError) -> CommandResult {
        try await execute(executor, Command("git", arguments, environment: ["GIT_OPTIONAL_LOCKS": "0"], timeout: 600))
    }

    static func execute(_ executor: any CommandExecuting, _ command: Command) async throws(GitError) -> CommandResult {
        do {
            return try await executor.run(command)
        } catch {
            throw GitError("cannot run \(command.executable): \(error); install git (apt-get install git)")
        }
    }

    static func firstLine(_ text: String) -> String {
        text.split(separator: "\n").first.map(String.init) ?? "no message"
    }
}

/// A git repository or revision imagebench cannot use; one line with the fix.
public struct GitError: Error, CustomStringConvertible, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message.split(whereSeparator: \.isNewline).joined(separator: " ") }
    public var description: String { message }
}
