import Foundation
import ImageBenchCore

/// Inline SVG charts: no scripts, no fonts, no network.
enum SVGChart {
    static let palette = ["#4C78A8", "#F58518", "#54A24B", "#E45756", "#72B7B2", "#EECA3B", "#B279A2", "#FF9DA6", "#9D755D", "#79706E"]
    static let labelWidth = 270.0
    static let plotWidth = 430.0

    /// One horizontal bar per item.
    static func bars(_ items: [(label: String, value: Double, text: String)], color: String, cssClass: String) -> String {
        let row = 22.0
        let height = row * Double(items.count) + 8
        let top = max(items.map(\.value).max() ?? 1, 1e-9)
        var svg = open(width: labelWidth + plotWidth + 90, height: height, cssClass: cssClass)
        for (i, item) in items.enumerated() {
            let y = 4 + row * Double(i)
            let w = max(1, item.value / top * plotWidth)
            svg += text(item.label, x: labelWidth - 8, y: y + 15, anchor: "end")
            svg +=
                "<rect x=\"\(labelWidth)\" y=\"\(f(y + 3))\" width=\"\(f(w))\" height=\"\(f(row - 6))\" fill=\"\(color)\"><title>\(escape(item.label)): \(escape(item.text))</title></rect>"
            svg += text(item.text, x: labelWidth + w + 6, y: y + 15, anchor: "start")
        }
        return svg + "</svg>"
    }

    /// Per item a group of bars, one per series (cold, warm, edit).
    static func groupedBars(_ items: [(label: String, values: [Double?])], series: [String], format: (Double) -> String, cssClass: String) -> String {
        let bar = 12.0
        let group = bar * Double(series.count) + 10
        let height = group * Double(items.count) + 30
        let top = max(items.flatMap { $0.values.compactMap { $0 } }.max() ?? 1, 1e-9)
        var svg = open(width: labelWidth + plotWidth + 90, height: height, cssClass: cssClass)
        for (i, item) in items.enumerated() {
            let y = 4 + group * Double(i)
            svg += text(item.label, x: labelWidth - 8, y: y + group / 2 + 1, anchor: "end")
            for (j, value) in item.values.enumerated() {
                guard let value else { continue }
                let w = max(1, value / top * plotWidth)
                let by = y + bar * Double(j)
                svg +=
                    "<rect x=\"\(labelWidth)\" y=\"\(f(by))\" width=\"\(f(w))\" height=\"\(f(bar - 2))\" fill=\"\(palette[j % palette.count])\"><title>\(escape(item.label)) \(series[j]): \(format(value))</title></rect>"
                svg += "<text x=\"\(f(labelWidth + w + 4))\" y=\"\(f(by + bar - 3))\" class=\"small\">\(escape(format(value)))</text>"
            }
        }
        svg += legend(series, y: height - 14)
        return svg + "</svg>"
    }

    /// One line per series over runs (x: run order, oldest left).
    /// Trend lines over an axis of runs (or of other ordered keys, named by `label`).
    static func lines(
        _ series: [(name: String, points: [(run: Int64, value: Double?)])], format: (Double) -> String, cssClass: String,
        label: (Int64) -> String = { "run \($0)" }
    ) -> String {
        let runs = Array(Set(series.flatMap { $0.points.map(\.run) })).sorted()
        let width = labelWidth + plotWidth + 90
        let plotLeft = 70.0
        let plotRight = width - 20
        let plotTop = 12.0
        let plotBottom = 170.0
        let values = series.flatMap { $0.points.compactMap(\.value) }
        let high = values.max() ?? 1
        let low = min(values.min() ?? 0, high)
        let span = high - low == 0 ? max(high, 1) : high - low
        func x(_ run: Int64) -> Double {
            guard runs.count > 1, let i = runs.firstIndex(of: run) else { return (plotLeft + plotRight) / 2 }
            return plotLeft + Double(i) / Double(runs.count - 1) * (plotRight - plotLeft)
        }
        func y(_ v: Double) -> Double { plotBottom - (v - low) / span * (plotBottom - plotTop) * (high == low ? 0.5 : 1) }
        let legendRows = (series.count + 2) / 3
        var svg = open(width: width, height: plotBottom + 36 + 18 * Double(legendRows), cssClass: cssClass)
        svg += "<line x1=\"\(f(plotLeft))\" y1=\"\(f(plotBottom))\" x2=\"\(f(plotRight))\" y2=\"\(f(plotBottom))\" class=\"axis\"/>"
        svg += text(format(high), x: plotLeft - 6, y: plotTop + 4, anchor: "end", cssClass: "small")
        svg += text(format(low), x: plotLeft - 6, y: plotBottom, anchor: "end", cssClass: "small")
        if let first = runs.first, let last = runs.last {
            svg += text(label(first), x: plotLeft, y: plotBottom + 16, anchor: "start", cssClass: "small")
            if last != first { svg += text(label(last), x: plotRight, y: plotBottom + 16, anchor: "end", cssClass: "small") }
        }
        for (i, s) in series.enumerated() {
            let color = palette[i % palette.count]
            let points = s.points.compactMap { p in p.value.map { (x(p.run), y($0), p.run, $0) } }
            if points.count > 1 {
                svg +=
                    "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\""
                    + points.map { "\(f($0.0)),\(f($0.1))" }.joined(separator: " ") + "\"/>"
            }
            for p in points {
                svg +=
                    "<circle cx=\"\(f(p.0))\" cy=\"\(f(p.1))\" r=\"3\" fill=\"\(color)\"><title>\(escape(s.name)) \(escape(label(p.2))): \(escape(format(p.3)))</title></circle>"
            }
        }
        svg += legend(series.map(\.name), y: plotBottom + 34)
        return svg + "</svg>"
    }

    /// A stacked bar of an image's layers (the non-empty ones), oldest left.
    static func layers(_ layers: [LayerRecord], cssClass: String) -> String {
        let sized = layers.filter { $0.sizeBytes > 0 }
        let total = Double(sized.reduce(0) { $0 + $1.sizeBytes })
        let width = labelWidth + plotWidth + 90
        var svg = open(width: width, height: 30, cssClass: cssClass)
        var x = 0.0
        for (i, layer) in sized.enumerated() {
            let w = total > 0 ? Double(layer.sizeBytes) / total * (width - 2) : 0
            svg +=
                "<rect x=\"\(f(x))\" y=\"4\" width=\"\(f(max(w, 1)))\" height=\"22\" fill=\"\(palette[i % palette.count])\"><title>layer \(layer.position): \(Units.bytes(layer.sizeBytes)) \(escape(MarkdownReport.instruction(layer.createdBy)))</title></rect>"
            x += w
        }
        return svg + "</svg>"
    }

    /// A build's steps on its time line, one row each: a bar from the step's start for its duration,
    /// hollow for a cache hit, grey for the builder's own steps; the axis is the build's wall time.
    static func waterfall(_ steps: [StepRecord], wall: Double, cssClass: String) -> String {
        let row = 18.0
        let height = row * Double(steps.count) + 26
        let span = max(wall, 1e-9)
        var svg = open(width: labelWidth + plotWidth + 90, height: height, cssClass: cssClass)
        for (i, step) in steps.enumerated() {
            let y = 2 + row * Double(i)
            let x = labelWidth + step.start / span * plotWidth
            let w = max(1.5, step.seconds / span * plotWidth)
            let label = StepText.label(step, limit: 44)
            let color = step.kind == .internal || step.kind == .base ? "#9a9a9a" : palette[0]
            let paint = step.cached ? "fill=\"none\" stroke=\"\(color)\"" : "fill=\"\(color)\""
            let said =
                "\(step.label): \(step.cached ? "cache hit, " : "")starts at \(Units.seconds(step.start)), takes \(Units.seconds(step.seconds))"
            svg += text(label, x: labelWidth - 8, y: y + 13, anchor: "end", cssClass: "small")
            svg +=
                "<rect x=\"\(f(x))\" y=\"\(f(y + 3))\" width=\"\(f(w))\" height=\"\(f(row - 6))\" \(paint)><title>\(escape(said))</title></rect>"
            svg += text(step.cached ? "cached" : Units.seconds(step.seconds), x: x + w + 4, y: y + 13, anchor: "start", cssClass: "small")
        }
        let axis = 2 + row * Double(steps.count) + 4
        svg += "<line class=\"axis\" x1=\"\(f(labelWidth))\" y1=\"\(f(axis))\" x2=\"\(f(labelWidth + plotWidth))\" y2=\"\(f(axis))\"/>"
        svg += text("0 s", x: labelWidth, y: axis + 14, anchor: "start", cssClass: "small")
        svg += text("\(Units.seconds(wall)) (the build's wall time)", x: labelWidth + plotWidth, y: axis + 14, anchor: "end", cssClass: "small")
        return svg + "</svg>"
    }

    static func legend(_ names: [String], y: Double) -> String {
        var svg = ""
        for (i, name) in names.enumerated() {
            let x = 10 + Double(i % 3) * 240
            let row = y + Double(i / 3) * 18
            svg += "<rect x=\"\(f(x))\" y=\"\(f(row - 9))\" width=\"10\" height=\"10\" fill=\"\(palette[i % palette.count])\"/>"
            svg += text(name, x: x + 14, y: row, anchor: "start", cssClass: "small")
        }
        return svg
    }

    static func open(width: Double, height: Double, cssClass: String) -> String {
        "<svg class=\"\(cssClass)\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height))\" viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\">"
    }

    static func text(_ s: String, x: Double, y: Double, anchor: String, cssClass: String = "label") -> String {
        "<text x=\"\(f(x))\" y=\"\(f(y))\" text-anchor=\"\(anchor)\" class=\"\(cssClass)\">\(escape(s))</text>"
    }

    static func f(_ v: Double) -> String { String(format: "%.1f", v) }

    /// Text for HTML and SVG, in elements and in quoted attributes alike.
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
    }
}
