import Foundation
import ImageBenchDocker
import ImageBenchTestSupport
import Testing

/// A scenario whose folder (its name), description, axis values, file names, build output, image
/// history and run label carry `<script>`, `<img onerror=...>` and `|`, built on the real engine and
/// rendered in every format: the text stays text.
@Suite("hostile text end to end", .enabled("needs a Docker engine and the offline base images") { await DockerEngine.hasOfflineBases() })
struct HostileTextEndToEndTests {
    static let folder = "s<img src=x onerror=alert(1)>|b"

    static func writeScenario(in dir: String) throws -> String {
        let root = dir + "/" + folder
        try writeFiles(
            [
                "scenario.yaml": """
                description: "<script>alert('description')</script> | a pipe"
                images: { base: imagebench-local/musl-busybox:1 }
                build-args: { BASE: "${images.base}" }
                axes:
                  v:
                    plain: {}
                    "<b>|x</b>": { build-args: { X: "2" } }
                    "<script>fail</script>": { build-args: { FAIL: "1" } }
                smoke: { expect-output: ok }
                """,
                // `ARG X` then `RUN a | b`: the history reads `RUN |1 X=1 /bin/sh -c echo ... | tee ...`.
                "Dockerfile": """
                ARG BASE
                FROM ${BASE}
                ARG X=1
                ARG FAIL=0
                COPY . /ctx/
                RUN echo '<script>alert(1)</script>' | tee /out.txt && echo ok > /ok
                RUN if [ "$FAIL" = 1 ]; then echo '<img src=x onerror=alert(2)>|boom'; exit 1; fi; rm -f /ctx/*.pem
                ENTRYPOINT ["cat", "/ok"]

                """,
                "<img src=x onerror=alert(3)>.pem": "-----BEGIN PRIVATE KEY-----\n",
                "a|<script>b</script>.key": "secret\n",
            ], under: root)
        return root
    }

    /// The tags an HTML report may contain; anything else would be text that became a tag.
    static let htmlTags: Set<String> = [
        "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "p", "section", "div", "table", "tr", "th", "td", "code",
        "figure", "figcaption", "svg", "rect", "text", "circle", "polyline", "line", "path", "g", "details", "summary", "footer", "sup", "span",
    ]

    /// Splits a Markdown table row on the pipes that separate cells (not those after an odd number of backslashes).
    static func cells(_ line: String) -> Int {
        var count = 0
        var backslashes = 0
        for c in line {
            if c == "|" && backslashes % 2 == 0 { count += 1 }
            backslashes = c == "\\" ? backslashes + 1 : 0
        }
        return count - 1
    }

    /// RFC 4180: fields split on commas outside quotes, `""` inside quotes, line breaks inside quotes.
    static func csvRows(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var chars = Array(text)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" {
                        field.append("\"")
                        chars.removeFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                row.append(field)
                field = ""
            } else if c == "\n" {
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            } else {
                field.append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty { rows.append(row + [field]) }
        return rows
    }

    @Test("every format keeps hostile text inert: no live HTML tag, Markdown rows with their header's cells, CSV rows of equal length")
    func hostile() async throws {
        try await withTemporaryDirectory { dir in
            let scenario = try Self.writeScenario(in: dir)
            let db = dir + "/r.sqlite"
            let (mine, labels) = FaultEndToEndTests.labels()
            let run = try await imagebench(
                ["run", scenario, "--db", db, "--repeat", "1", "--phases", "cold", "--label", "note=<script>alert('label')</script>|x"] + labels)
            #expect(run.exitCode == 3, "the failing variant makes exit 3: \(run.stderr)")
            let (_, results) = try await FaultEndToEndTests.results(db)
            let statuses = Dictionary(uniqueKeysWithValues: results.map { ($0["variant"] as? String ?? "", $0["status"] as? String ?? "") })
            #expect(statuses == ["v=plain": "ok", "v=<b>|x</b>": "ok", "v=<script>fail</script>": "build-failed"], "\(statuses)")

            func report(_ args: [String]) async throws -> String {
                let r = try await imagebench(["report", "--db", db] + args)
                #expect(r.exitCode == 0, "\(args): \(r.stderr)")
                return r.stdout
            }
            let html = try await report(["--format", "html", "--baseline", "1"])
            // What the hostile text would become, were it live.
            let tagNames = try Regex(#"<([A-Za-z][A-Za-z0-9]*)"#)
            let names = Set(html.matches(of: tagNames).map { String(html[$0.range].dropFirst()).lowercased() })
            #expect(names.subtracting(Self.htmlTags).isEmpty, "live tags: \(names.subtracting(Self.htmlTags))")
            #expect(html.firstMatch(of: try Regex(#"<[^>]*\son[a-z]+\s*="#)) == nil, "an event handler attribute")
            #expect(html.contains("&lt;script&gt;") && html.contains("&lt;img src=x onerror=alert(3)&gt;.pem"), "the hostile text is shown as text")
            #expect(html.contains("&#39;"), "quotes in text are escaped")

            for args in [["--format", "markdown"], ["--format", "markdown", "--baseline", "1"], ["--format", "markdown", "--steps"]] {
                let markdown = try await report(args)
                var header: Int?
                for line in markdown.split(separator: "\n").map(String.init) {
                    guard line.hasPrefix("|") else {
                        header = nil
                        continue
                    }
                    if let header {
                        #expect(Self.cells(line) == header, "a row with \(Self.cells(line)) cells under a header of \(header): \(line)")
                    } else {
                        header = Self.cells(line)
                    }
                }
                if args.contains("--steps") {
                    #expect(markdown.contains("RUN echo '<script>alert(1)</script>' \\| tee /out.txt"), "the step with its pipe is shown")
                } else {
                    // The classic builder lists the build args sorted, BuildKit as declared.
                    #expect(
                        markdown.contains("`\\|2 FAIL=0 X=1 /bin/sh -c echo '<script>alert(1)</script>' \\| tee")
                            || markdown.contains("`RUN \\|2 X=1 FAIL=0 /bin/sh -c echo '<script>alert(1)</script>' \\| tee"),
                        "the history with its pipes is shown")
                }
                // Outside code spans, the only tags are the collapsible layers block.
                let prose = markdown.replacing(try Regex("`[^`\n]*`"), with: "")
                let tags = Set(prose.matches(of: try Regex(#"</?[A-Za-z][^>\s]*"#)).map { String(prose[$0.range]) })
                #expect(tags.subtracting(["<details", "</details", "<summary", "</summary"]).isEmpty, "live tags in Markdown: \(tags)")
            }

            let csv = Self.csvRows(try await report(["--format", "csv"]))
            #expect(csv.count == 1 + 3 * 3, "a header and a row per variant and phase: \(csv.count)")
            #expect(Set(csv.map(\.count)).count == 1, "rows of different lengths: \(Set(csv.map(\.count)))")
            #expect(csv.contains { $0.contains("v=<b>|x</b>") })

            let steps = Self.csvRows(try await report(["--format", "csv", "--steps"]))
            #expect(
                Set(steps.map(\.count)).count == 1
                    && steps.contains { $0.contains("RUN echo '<script>alert(1)</script>' | tee /out.txt && echo ok > /ok") })
            let stepTable = try await report(["--steps"])
            #expect(!stepTable.unicodeScalars.contains { $0.properties.generalCategory == .control && $0 != "\n" })

            let json = try await report(["--format", "json"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            let run1 = try #require((object["runs"] as? [[String: Any]])?.first)
            #expect((run1["labels"] as? [String: String])?["note"] == "<script>alert('label')</script>|x")

            let table = try await report(["--format", "table"])
            #expect(!table.unicodeScalars.contains { $0.properties.generalCategory == .control && $0 != "\n" })
            #expect(table.split(separator: "\n").filter { $0.hasPrefix("v=") }.count == 3, "one line per variant:\n\(table)")
            #expect(try await FaultEndToEndTests.leftovers(mine).isEmpty)
        }
    }
}
