import ArgumentParser
import Foundation
import ImageBenchCore
import ImageBenchDocker
import ImageBenchStore

extension ImageBench {
    /// Parses and runs the command; turns imagebench's errors into one line on stderr and a documented exit status.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as ScenarioError {
            fail(error.description, .invalidScenario)
        } catch let error as DockerError {
            fail(error.description, error.reason == .engineUnavailable || error.reason == .notStarted ? .dockerUnavailable : .dockerFailed)
        } catch let error as EngineLost {
            fail(error.description, .dockerUnavailable)
        } catch let error as RegistryError {
            fail(error.description, .dockerUnavailable)
        } catch let error as StoreError {
            fail(error.description, .database)
        } catch let error as RunNotFound {
            fail(error.description, .runNotFound)
        } catch is CancellationError {
            fail("interrupted", .interrupted)
        } catch {
            exit(withError: error)
        }
    }

    static func fail(_ message: String, _ status: ExitStatus) -> Never {
        FileHandle.standardError.write(Data("imagebench: error: \(message)\n".utf8))
        Foundation.exit(status.rawValue)
    }
}

/// `--run ID` names no run in the database.
struct RunNotFound: Error, CustomStringConvertible {
    var requested: String
    var database: String
    var description: String {
        requested == "latest"
            ? "\(database) holds no runs yet; run `imagebench run SCENARIO` first, or give the database with --db"
            : "run \(requested) is not in \(database); `imagebench runs` lists the runs it holds"
    }
}
