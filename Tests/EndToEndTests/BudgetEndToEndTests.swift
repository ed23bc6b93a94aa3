import Foundation
import ImageBenchDocker
import ImageBenchTestSupport
import Testing

/// Budgets on a real run: `run --check`, `check` as text and JUnit, a `.dive-ci` beside the scenario,
/// `check SCENARIO` with the budgets the file says now, and the exports of a real run.
@Suite("budgets end to end", .serialized, .enabled("needs a Docker engine and the offline bases") { await DockerEngine.hasOfflineBases() })
struct BudgetEndToEndTests {
    static let dockerfile = """
        FROM imagebench-local/musl-busybox:1
        LABEL imagebench.test=1
        ARG EXTRA=0
        RUN head -c 5000 /dev/zero > /data && head -c "$EXTRA" /dev/zero > /extra
        CMD ["/bin/cat", "/data"]
        """

    static func scenario(budgets: String) -> String {
        """
        name: budgeted
        axes:
          payload:
            small: {}
            large: { build-args: { EXTRA: "3000000" }, budgets: { size: 5MB } }
        budgets:
        \(budgets)
        """
    }

    @Test("run --check exits 7 on a budget exceeded; check prints PASS/FAIL/SKIP, writes JUnit, and re-reads the scenario when named")
    func budgets() async throws {
        try await withTemporaryDirectory { dir in
            let folder = dir + "/budgeted"
            try writeFiles(
                [
                    "Dockerfile": Self.dockerfile,
                    "scenario.yaml": Self.scenario(budgets: "  size: 4MB\n  cold: 5m\n  warm: 1m\n  secrets: none\n"),
                    ".dive-ci": "rules:\n  lowestEfficiency: 0.99\n  highestWastedBytes: disabled\n",
                ], under: folder)
            let db = dir + "/results.sqlite"
            let run = try await imagebench(
                ["run", folder, "--db", db, "--repeat", "1", "--phases", "cold", "--check", "--image-label", "imagebench.test=1"])
            #expect(run.exitCode == 7, "\(run.stderr)")
            #expect(run.stdout.contains("budgeted payload=small\n  PASS  size         2.69 MB ≤ 4.00 MB  (scenario.yaml:7)"), "\(run.stdout)")
            // The large payload has a size budget of its own.
            #expect(run.stdout.contains("budgeted payload=large\n  FAIL  size         5.69 MB > 5.00 MB  (scenario.yaml:5)"), "\(run.stdout)")
            #expect(run.stdout.contains("  PASS  efficiency   1.0000 ≥ 0.9900  (.dive-ci:2)"), "\(run.stdout)")
            #expect(run.stdout.contains("  SKIP  wasted       disabled  (.dive-ci:3)"), "\(run.stdout)")
            #expect(run.stdout.contains("  SKIP  warm         not measured in this run (no successful warm builds)"), "\(run.stdout)")
            #expect(run.stdout.contains("  PASS  user-wasted  0.0000 ≤ 0.1000  (.dive-ci (dive's default))"), "\(run.stdout)")
            #expect(run.stdout.contains("run 1: FAIL [pass:"), "\(run.stdout)")

            let check = try await imagebench(["check", "--db", db])
            #expect(check.exitCode == 7 && check.stdout.contains("FAIL  size"), "\(check.stderr)")
            let junit = try await imagebench(["check", "--db", db, "--run", "1", "--format", "junit", "--output", dir + "/junit.xml"])
            #expect(junit.exitCode == 7 && junit.stdout.isEmpty)
            let xml = try String(contentsOfFile: dir + "/junit.xml", encoding: .utf8)
            #expect(xml.contains(#"<testcase classname="budgeted.payload=large" name="size" time="0">"#), "\(xml)")
            let valid = try await ExportSchemaTests.validateJUnit(xml)
            #expect(valid.succeeded, "\(valid.stderr)")

            // The budgets as the file says now: a larger size budget for the large payload passes.
            try Self.scenario(budgets: "  size: 4MB\n").replacingOccurrences(of: "size: 5MB", with: "size: 8MB")
                .write(toFile: folder + "/scenario.yaml", atomically: true, encoding: .utf8)
            let now = try await imagebench(["check", folder, "--db", db])
            #expect(now.exitCode == 0, "\(now.stdout)\(now.stderr)")
            #expect(now.stdout.contains("run 1: PASS [pass:"), "\(now.stdout)")
            let recorded = try await imagebench(["check", "--db", db])
            #expect(recorded.exitCode == 7, "without SCENARIO the run's own budgets apply")

            // A bad budget is FILE:LINE, exit 65, for check and run alike.
            try Self.scenario(budgets: "  size: big\n").write(toFile: folder + "/scenario.yaml", atomically: true, encoding: .utf8)
            for arguments in [["check", folder, "--db", db], ["run", folder, "--db", db, "--repeat", "1", "--phases", "cold"]] {
                let bad = try await imagebench(arguments)
                #expect(bad.exitCode == 65, "\(arguments): \(bad.stderr)")
                #expect(bad.stderr.contains("\(folder)/scenario.yaml:7: budgets.size is \"big\"; write a size, e.g. 20MB"), "\(bad.stderr)")
            }

            // The exports of this real run: valid BMF, with the run's figures.
            let bmf = try await imagebench(["report", "--db", db, "--format", "bmf"])
            let validBMF = try await ExportSchemaTests.validateJSON(bmf.stdout, schema: ExportSchemaTests.bmfSchema)
            #expect(validBMF.succeeded, "\(validBMF.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(bmf.stdout.utf8)) as? [String: [String: [String: Double]]])
            #expect((object["budgeted/payload=large"]?["image-size"]?["value"] ?? 0) > 5_600_000)
            #expect(object["budgeted/payload=small"]?["cold-build-time"]?["lower_value"] != nil)
        }
    }
}
