import Foundation
import ImageBenchCore
import ImageBenchDocker
import ImageBenchReport
import ImageBenchTestSupport
import Testing

/// The exports against their formats' published schemas, with real validators (PyPI's jsonschema and
/// xmlschema, installed by scripts/test): Bencher's BMF JSON schema, as bencher.dev publishes it, and
/// JUnit XML against junit-10.xsd from pytest's source distribution (scripts/test fetches it into
/// `$IMAGEBENCH_JUNIT_XSD`). github-action-benchmark publishes no schema: its input is checked against
/// the documented example's fields and types.
@Suite("exports against their schemas")
struct ExportSchemaTests {
    /// Bencher Metric Format JSON Schema (https://bencher.dev/bmf.json, draft-07), as documented.
    static let bmfSchema = """
        {"$id": "https://bencher.dev/bmf.json", "$schema": "http://json-schema.org/draft-07/schema", "type": "object",
         "patternProperties": {".+": {"type": "object", "patternProperties": {".+": {"type": "object",
           "properties": {"value": {"type": "number"}, "lower_value": {"type": "number"}, "upper_value": {"type": "number"}},
           "required": ["value"]}}}}}
        """

    /// Runs a Python validator; its exit status and what it printed.
    static func python(_ script: String, _ arguments: [String]) async throws -> CommandResult {
        try await SubprocessExecutor().run(Command("python3", ["-c", script] + arguments, timeout: 120))
    }

    static func validateJSON(_ document: String, schema: String) async throws -> CommandResult {
        try await withTemporaryDirectory { dir in
            try document.write(toFile: dir + "/doc.json", atomically: true, encoding: .utf8)
            try schema.write(toFile: dir + "/schema.json", atomically: true, encoding: .utf8)
            return try await python(
                "import json, sys, jsonschema; jsonschema.Draft7Validator(json.load(open(sys.argv[2]))).validate(json.load(open(sys.argv[1]))); print('valid')",
                [dir + "/doc.json", dir + "/schema.json"])
        }
    }

    static func validateJUnit(_ xml: String) async throws -> CommandResult {
        let xsd = ProcessInfo.processInfo.environment["IMAGEBENCH_JUNIT_XSD"] ?? "/tmp/imagebench-schemas/junit-10.xsd"
        try #require(
            FileManager.default.fileExists(atPath: xsd), "junit-10.xsd is missing at \(xsd); scripts/test fetches it from PyPI's pytest sdist")
        return try await withTemporaryDirectory { dir in
            try xml.write(toFile: dir + "/junit.xml", atomically: true, encoding: .utf8)
            return try await python(
                "import sys, xmlschema; xmlschema.XMLSchema(sys.argv[2]).validate(sys.argv[1]); print('valid')", [dir + "/junit.xml", xsd])
        }
    }

    @Test("report --format bmf is valid BMF: a benchmark per variant, sizes in bytes, phases with the fastest and slowest repetition")
    func bmf() async throws {
        let text = BenchmarkExport.bmf(ReportFixture.report())
        let r = try await Self.validateJSON(text, schema: Self.bmfSchema)
        #expect(r.succeeded, "\(r.stderr)")
        // The validator is not lenient: a value that is not a number fails.
        let broken = try await Self.validateJSON(#"{"a/b": {"image-size": {"value": "7 MB"}}}"#, schema: Self.bmfSchema)
        #expect(!broken.succeeded)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: [String: [String: Double]]])
        let alpine = try #require(object["go-http/linking=static,runtime=alpine"])
        #expect(alpine["image-size"]?["value"] == 7_160_000)
        #expect(alpine["cold-build-time"] == ["value": 12.1, "lower_value": 11.8, "upper_value": 12.6])
        #expect(alpine["start-time"]?["value"] == 0.31)
        #expect(object["go-http/linking=dynamic,runtime=debian"] == nil, "a failed build has no figures")
    }

    @Test("report --format benchmark-action has exactly the fields of the documented customSmallerIsBetter example")
    func benchmarkAction() throws {
        let text = BenchmarkExport.benchmarkAction(ReportFixture.report())
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        #expect(!entries.isEmpty)
        for entry in entries {
            #expect(Set(entry.keys).isSubset(of: ["name", "unit", "value", "range", "extra"]), "\(entry)")
            #expect(entry["name"] is String && entry["unit"] is String && entry["value"] is NSNumber, "\(entry)")
            #expect(entry["range"] == nil || entry["range"] is String)
        }
        let names = entries.compactMap { $0["name"] as? String }
        #expect(Set(names).count == names.count, "one chart per name")
        let cold = try #require(entries.first { $0["name"] as? String == "go-http/linking=static,runtime=alpine cold-build-time" })
        #expect(cold["unit"] as? String == "s" && cold["value"] as? Double == 12.1 && cold["range"] as? String == "11.800–12.600")
    }

    @Test("check --format junit is valid JUnit XML (junit-10.xsd): a test case per variant and rule, failures with figure and limit")
    func junit() async throws {
        let report = ReportFixture.report()
        let budgets = ScenarioBudgets(
            all: Budgets([
                .size: .init(value: 5_000_000, source: "scenario.yaml:3"), .cold: .init(value: 60, source: "scenario.yaml:4"),
                .wasted: .init(value: nil, source: ".dive-ci:3"), .secrets: .init(value: 0, source: "scenario.yaml:5"),
                .secretNames: .init(value: 0, source: "scenario.yaml:6"),
            ]))
        let check = BudgetCheck.evaluate(runID: 3, results: report.results, budgets: ["go-http": budgets])
        let xml = CheckReport.junit(check)
        let r = try await Self.validateJUnit(xml)
        #expect(r.succeeded, "\(r.stderr)")
        #expect(xml.contains(#"<testcase classname="go-http.linking=static,runtime=alpine" name="size" time="0">"#))
        #expect(xml.contains(#"<failure message="size: 7.16 MB &gt; 5.00 MB (budget from scenario.yaml:3)" type="budget">"#))
        #expect(xml.contains(#"<skipped message="disabled"/>"#))
        // A failed secret rule is one failure per secret: by content for secrets, by content and name for secret-names.
        let scratch = #"<testcase classname="go-http.linking=static,runtime=scratch" name="#
        #expect(xml.contains(scratch + #""secrets: assigned-secret /app/.env (layer 0, line 2)" time="0">"#), "\(xml)")
        #expect(xml.contains(scratch + #""secret-names: assigned-secret /app/.env (layer 0, line 2)" time="0">"#))
        #expect(xml.contains(scratch + #""secret-names: /app/id_rsa (layer 0)" time="0">"#))
        #expect(!xml.contains(scratch + #""secrets: /app/id_rsa"#))
        let cases = xml.components(separatedBy: "<testcase ").count - 1
        #expect(xml.contains(#"<testsuites name="imagebench check" tests="\#(cases)""#), "the count is the test cases written")
        // The schema is checked, not only the syntax: a test case without a name is refused.
        let broken = try await Self.validateJUnit(xml.replacingOccurrences(of: #" name="size""#, with: ""))
        #expect(!broken.succeeded)
    }
}
