import Foundation
import ImageBenchCore
import ImageBenchDocker
import ImageBenchStore
import ImageBenchTestSupport
import Testing

/// The proof that the core works: real builds on a real engine, results read back from a real SQLite file.
/// Skipped only when no engine answers; `scripts/test` (and so CI) always provides one with the offline bases.
@Suite(
    "go-http on a real Docker engine", .serialized,
    .enabled("needs a Docker engine and the offline base images") { await DockerEngine.hasOfflineBases() })
struct GoHTTPIntegrationTests {
    @Test("static and dynamic on scratch: sizes match docker, static serves and has start times, dynamic is expected-broken, warm beats cold")
    func scratchVariants() async throws {
        try await withTemporaryStore { store, path in
            let scenario = try ScenarioLoader().load(path: PackagePaths.scenarios + "/go-http")
            let profile = try ImageSubstitutions.loadProfile(path: PackagePaths.scenarios + "/profiles/offline.yaml", name: "offline")
            let variants = VariantFilter(pairs: [AxisChoice(axis: "runtime", value: "scratch")]).apply(scenario.variants(), axes: scenario.axes)
            let docker = DockerEngine.client()
            let environment = try await docker.probeEnvironment()
            let runID = try await store.createRun(RunRecord(startedAt: Date(), profile: "offline", environment: environment))
            let runner = BenchmarkRunner(
                docker: docker, recorder: store, settings: RunSettings(.init(repeatCount: 1, phases: [.cold, .warm], keepImages: true)),
                environment: environment)
            var failure: (any Error)?
            var built: [String] = []
            do {
                let results = try await runner.run(
                    runID: runID, jobs: [ScenarioJob(scenario: scenario, variants: variants, images: profile.resolve(scenario))])
                built = Array(Set(results.flatMap { $0.builds.compactMap(\.imageID) }))
                try await Self.check(path: path, runID: runID, environment: environment)
            } catch {
                failure = error
            }
            // Always remove what the test built (kept with keepImages), then report any failure.
            // One build a phase (two Go builds a variant: the longest test of both CI passes). A --no-cache build makes
            // a new image id; the warm build reuses its, but on the containerd store, where an image's id is its
            // index's digest and the index holds a provenance attestation of each build, every build makes a new one.
            let containerd = environment.imageStore == .containerd
            #expect(built.count == (containerd ? 4 : 2))
            let kept = try await DockerEngine.output(["image", "ls", "--quiet", "--filter", "label=imagebench.session=\(runner.session)"])
            // Kept: on a graph driver every image built; on the containerd store, each variant's image (its own
            // tag) and its last build's (the run's tag): an image whose last name moved to another is gone there.
            #expect(Set(kept.split(separator: "\n")).count == (containerd ? 4 : 2), "\(kept)")
            await runner.removeImages()
            #expect(try await DockerEngine.output(["image", "ls", "--quiet", "--filter", "label=imagebench.session=\(runner.session)"]).isEmpty)
            if let failure { throw failure }
        }
    }

    static func check(path: String, runID: Int64, environment: RunEnvironment) async throws {
        do {
            // Read back through a second connection to the file, as `imagebench report` would.
            let results = try await ResultStore(path: path).results(runID: runID)
            #expect(results.map(\.name) == ["linking=static,runtime=scratch", "linking=dynamic,runtime=scratch"])
            #expect(results.map(\.status) == [.ok, .expectedBroken])

            for result in results {
                let image = try #require(result.image)
                let inspect = try await DockerEngine.output(["image", "inspect", "--format", "{{.Size}} {{len .RootFS.Layers}}", image.id])
                let engineSize = try #require(image.engineSize)
                #expect(inspect.trimmingCharacters(in: .whitespacesAndNewlines) == "\(engineSize.bytes) \(image.layers)")
                // A graph driver's .Size is what the layers hold; the containerd store's is the packed content.
                if environment.imageStore == .containerd {
                    #expect(engineSize.meaning == .packed && engineSize.bytes < image.sizeBytes && engineSize.diskBytes > image.sizeBytes)
                } else {
                    #expect(engineSize.meaning == .unpacked && engineSize.bytes == image.sizeBytes && engineSize.diskBytes == image.sizeBytes)
                }
                #expect(image.layers == 1)
                // Every instruction is there, including the LABELs imagebench adds (classic builder records them).
                #expect(image.history.contains { $0.createdBy.contains("ENTRYPOINT") })
                #expect(image.history.contains { $0.createdBy.contains("COPY") && $0.sizeBytes > 1_000_000 })
                #expect(image.history.map(\.sizeBytes).reduce(0, +) == image.sizeBytes)
                // What docker said it received: the classic builder sends the whole folder as a tar (over
                // 1 kB here), BuildKit only the files the Dockerfile copies; both at least those files.
                let copied = try ["go.mod", "main.go"].reduce(0) {
                    $0 + (try FileManager.default.attributesOfItem(atPath: PackagePaths.scenarios + "/go-http/app/" + $1)[.size] as? Int ?? 0)
                }
                #expect((result.contextBytes ?? 0) >= Int64(copied) && (result.contextBytes ?? 0) < 10_000, "\(result.contextBytes ?? 0)")
                if environment.defaultBuilder == .classic { #expect((result.contextBytes ?? 0) > 1000) }
                let cold = try #require(Summary(result.samples(.cold)))
                let warm = try #require(Summary(result.samples(.warm)))
                #expect(cold.n == 1 && warm.n == 1)
                #expect(warm.median < cold.median, "warm \(warm.samples) should beat cold \(cold.samples)")
                #expect(result.builds.allSatisfy { $0.builder == environment.defaultBuilder && $0.imageID?.hasPrefix("sha256:") == true })
            }
            #expect(results[0].smoke?.ok == true)
            // It serves over HTTP, as in production: started once more for the start metric, in a new container.
            #expect(results[0].smoke?.output.hasPrefix("GET /healthz: 200 from 127.0.0.1:") == true, "\(results[0].smoke?.output ?? "")")
            let start = try #require(results[0].start)
            #expect(start.samples.count == 1 && start.problem == nil, "\(start)")
            #expect(start.samples.allSatisfy { $0 > 0.05 && $0 < 10 }, "\(start.samples)")
            #expect((results[0].smoke?.memoryBytes ?? 0) > 100_000, "\(String(describing: results[0].smoke))")
            // The dynamic binary on scratch fails with its container's own exit and log line; it is not started again.
            let broken = try #require(results[1].smoke)
            #expect(!broken.ok)
            #expect(broken.exitCode != nil && broken.exitCode != 0, "\(broken)")
            #expect(broken.output.contains("no such file or directory"), "\(broken.output)")
            #expect(results[1].start == nil)
            #expect(results[1].problem == nil)
            // The linkage explains the failure before anyone runs the image.
            #expect(results[0].insight?.linkage?.kind == .static)
            let linkage = try #require(results[1].insight?.linkage)
            #expect(linkage.kind == .dynamic && linkage.interpreterPresent == false)
            #expect(linkage.entrypoint == "/app")
        }
    }
}
