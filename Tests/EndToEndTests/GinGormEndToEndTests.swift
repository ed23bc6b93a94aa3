import Foundation
import ImageBenchCore
import ImageBenchDocker
import ImageBenchStore
import ImageBenchTestSupport
import Testing

/// `Scenarios/gin-gorm` offline, on its two variants that show the point: the cgo static build serves
/// and stores through SQLite; the CGO_ENABLED=0 build compiles and fails on opening the database. On
/// the distroless stand-in, which runs as its nonroot user: the database's folder must be writable by it.
@Suite(
    "gin + GORM + SQLite end to end", .serialized,
    .enabled("needs a Docker engine and the offline base images") { await DockerEngine.hasOfflineBases() })
struct GinGormEndToEndTests {
    @Test("static cgo serves, stores and reads back a user; CGO_ENABLED=0 fails with go-sqlite3's stub error; the report names the libraries used")
    func staticAndNoCgo() async throws {
        try await withTemporaryDirectory { dir in
            let db = dir + "/r.sqlite"
            let r = try await imagebench([
                "run", PackagePaths.scenarios + "/gin-gorm", "--profile", "offline", "--db", db, "--phases", "cold", "--repeat", "1",
                "--only", "runtime=distroless", "--only", "linking=static", "--only", "linking=nocgo", "--image-label", "imagebench.test=1",
            ])
            #expect(r.exitCode == 0, "\(r.stderr)")
            let results = try #require(try await ResultStore(path: db).snapshot(runID: 1)).results
            #expect(results.map(\.name) == ["linking=nocgo,runtime=distroless", "linking=static,runtime=distroless"])
            let nocgo = try #require(results.first)
            #expect(nocgo.status == .expectedBroken && nocgo.smoke?.exitCode == 1, "\(String(describing: nocgo.smoke))")
            #expect(nocgo.smoke?.output.contains("go-sqlite3 requires cgo to work. This is a stub") == true, "\(nocgo.smoke?.output ?? "")")
            #expect(nocgo.start == nil)
            let served = try #require(results.last)
            // The smoke test's further requests passed: a POST stored the user, a GET read it back.
            #expect(served.status == .ok, "\(served.problem ?? "") \(served.smoke?.output ?? "")")
            #expect(served.start?.samples.count == 1 && (served.smoke?.memoryBytes ?? 0) > 0)
            #expect(served.insight?.linkage?.kind == .static)
            let report = try await imagebench(["report", "--db", db, "--format", "markdown"])
            #expect(report.exitCode == 0, "\(report.stderr)")
            // The builder used is the stand-in, with what it holds: Debian's gin, GORM v1 and go-sqlite3.
            #expect(
                report.stdout.contains("`imagebench-local/go-builder:bookworm` for `golang:1.22-bookworm` (it holds: Debian packages: "),
                "\(report.stdout)")
            #expect(report.stdout.contains("golang-github-jinzhu-gorm-dev 1.9.6") && report.stdout.contains("golang-github-gin-gonic-gin-dev 1.8.1"))
            #expect(report.stdout.contains("expected-broken") && report.stdout.contains("This is a stub"))
        }
    }
}
