import ArgumentParser
import Foundation
import ImageBenchCore
import ImageBenchDocker
import ImageBenchStore

#if canImport(CMalloc)
    import CMalloc
#endif

extension ImageBench {
    /// Parses and runs the command; turns imagebench's errors into one line on stderr and a documented
    /// exit status. The one place that maps an error to a status.
    static func main() async {
        #if canImport(CMalloc)
            // One malloc arena for the process: glibc gives each thread that allocates (the layer reader, the
            // package analysis beside the waste analysis) an arena of its own, whose freed pages stay
            // resident; one arena keeps analyze's peak memory 6 MB lower at the same speed (benchmarks/analyze).
            mallopt(M_ARENA_MAX, 1)
        #endif
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let stopped as RunStopped where stopped.interrupted {
            Console.note(stopped.description)
            Foundation.exit(ExitStatus.interrupted.rawValue)
        } catch {
            if let (message, status) = failure(error) {
                Console.error(message)
                Foundation.exit(status.rawValue)
            }
            // Argument-parser's own errors (a wrong flag, --help, an ExitCode a command threw).
            exit(withError: error)
        }
    }

    /// The line and the exit status for an error imagebench's libraries throw; nil for argument-parser's.
    static func failure(_ error: any Error) -> (String, ExitStatus)? {
        switch error {
        case let error as ScenarioError: (error.description, .invalidScenario)
        case let error as RequestError: (error.description, error.reason == .runNotFound ? .runNotFound : .usage)
        case let error as DockerError:
            (error.description, error.reason == .engineUnavailable || error.reason == .notStarted ? .dockerUnavailable : .dockerFailed)
        case let error as EngineLost: (error.description, .dockerUnavailable)
        case let error as RegistryError: (error.description, .dockerUnavailable)
        case let error as StoreError: (error.description, .database)
        case let error as ArchiveError: (error.description, .archive)
        case let error as GitError: (error.description, .usage)
        case let stopped as RunStopped: (stopped.description, failure(stopped.cause)?.1 ?? .failure)
        case is CancellationError: ("interrupted", .interrupted)
        default: nil
        }
    }
}
