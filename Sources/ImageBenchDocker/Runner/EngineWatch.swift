import Foundation
import ImageBenchCore

/// The one place that decides whether a failure belongs to the variant or to its engine. Every engine
/// command of a variant's stages goes through it: after any failure it asks the engine whether it still
/// answers. If it does, the failure is the variant's (a failed build, a broken image); if not, it is
/// ``EngineLost`` and the variant stays unfinished, with no status or smoke verdict invented for it.
struct EngineWatch: Sendable {
    let docker: DockerClient
    let runID: Int64
    let variant: VariantKey

    /// A command that ran: when it failed, throws ``EngineLost`` if the engine no longer answers.
    func check(_ activity: EngineActivity, _ outcome: CommandResult) async throws {
        guard !outcome.succeeded else { return }
        try await confirm(activity, dockerSaid: outcome.tail(1))
    }

    /// Runs an operation of several engine commands; a ``DockerError`` it throws is rethrown when the
    /// engine still answers, and becomes ``EngineLost`` when it does not.
    func attempt<T: Sendable>(_ activity: EngineActivity, _ operation: () async throws -> T) async throws -> T {
        do {
            return try await operation()
        } catch let error as DockerError {
            try await confirm(activity, dockerSaid: error.outputTail.split(separator: "\n").last.map(String.init) ?? "")
            throw error
        }
    }

    /// Throws ``EngineLost`` unless the engine answers; it quotes the failed command, else the probe.
    func confirm(_ activity: EngineActivity, dockerSaid: String) async throws {
        try Task.checkCancellation()
        guard let silence = await docker.engineSilence() else { return }
        let said = dockerSaid.trimmingCharacters(in: .whitespacesAndNewlines)
        throw EngineLost(runID: runID, variant: variant, activity: activity, dockerSaid: said.isEmpty ? silence : said)
    }
}
