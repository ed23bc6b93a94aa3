import Foundation
import ImageBenchDocker
import ImageBenchReport
import ImageBenchTestSupport
import Testing

/// The HTML report must look right: headless Chromium renders it to a PNG, and ImageMagick checks the
/// page is not blank and the chart colours are there. `scripts/test` installs both.
@Suite(
    "HTML report in a real browser",
    .enabled("needs chromium and ImageMagick (scripts/test installs them)") {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium") && FileManager.default.isExecutableFile(atPath: "/usr/bin/convert")
    })
struct HTMLScreenshotTests {
    /// Pixels of `color` (within 3%) in the image.
    static func pixels(of color: String, in png: String) async throws -> Int {
        let r = try await SubprocessExecutor().run(
            Command(
                "/usr/bin/convert",
                [
                    png, "-fuzz", "3%", "-fill", "black", "+opaque", color, "-fill", "white", "-opaque", color, "-format", "%[fx:round(mean*w*h)]",
                    "info:",
                ]))
        return Int(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    @Test("the rendered page is not blank and shows the size, time, trend and layer charts")
    func screenshot() async throws {
        try await withTemporaryDirectory { dir in
            // A report from the fixed model of the report tests, written by the renderer under test.
            let html = dir + "/report.html"
            let report = ReportFixture.report()
            try HTMLReport.render(report, comparison: ReportFixture.comparison(), trends: ReportFixture.trends()).write(
                toFile: html, atomically: true, encoding: .utf8)
            let png = dir + "/report.png"
            let shot = try await SubprocessExecutor().run(
                Command(
                    "/usr/bin/chromium",
                    [
                        "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1200,2200", "--screenshot=\(png)",
                        "file://\(html)",
                    ],
                    timeout: 120))
            #expect(FileManager.default.fileExists(atPath: png), "chromium: \(shot.stderr)")
            let spread = try await SubprocessExecutor().run(Command("/usr/bin/convert", [png, "-format", "%[fx:standard_deviation]", "info:"]))
            #expect((Double(spread.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 0.05, "the page looks blank")
            // Size bars and cold bars are #4C78A8, warm #F58518, edit #54A24B.
            #expect(try await Self.pixels(of: "#4C78A8", in: png) > 5_000)
            #expect(try await Self.pixels(of: "#F58518", in: png) > 200)
            #expect(try await Self.pixels(of: "#54A24B", in: png) > 1_000)
            if let keep = ProcessInfo.processInfo.environment["IMAGEBENCH_SCREENSHOT"] {
                try? FileManager.default.removeItem(atPath: keep)
                try FileManager.default.copyItem(atPath: png, toPath: keep)
            }
        }
    }
}
