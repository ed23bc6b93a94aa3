import Foundation

/// Reads BuildKit's `--progress=plain` output: each vertex `#N NAME`, then `#N DONE 1.2s`, `#N CACHED`,
/// `#N ERROR: ...` or `#N CANCELED`. A vertex printed again after another one's lines (`#N ...`, then
/// `#N NAME` once more) is the same step. BuildKit prints each duration, not when the step began: a step
/// ends when its `DONE` line arrives and began its duration before.
///
/// A step taken from an imported cache (`--cache-from type=registry|local`) whose layer a later step needs
/// is not printed `CACHED`: its layer is pulled under it (`#N sha256:… 162B / 162B done`, `#N extracting
/// sha256:… done`), and the pull's progress marks the vertex as not cached (moby/buildkit's solver
/// `LoadCache` sets `Cached`, the lazy pull's progress writes the vertex again without it). A Dockerfile
/// step whose only lines are such blob transfers did not run: it is a cache hit too.
enum BuildKitSteps {
    struct Vertex {
        var name: String
        var firstSeen: Double
        var end: Double?
        var duration: Double?
        var cached = false
        /// Lines of the vertex besides its name and its end: blob transfers, anything else.
        var pulledBlobs = false
        var otherLines = false
    }

    /// `sha256:<64 hex> 162B / 162B done`, `extracting sha256:<64 hex> 0.1s done`: a layer pulled from a
    /// cache. Not the bare `sha256:<64 hex>` docker 20.10's BuildKit prints under each vertex's name (its digest).
    static func isBlobTransfer(_ rest: String) -> Bool {
        let extracting = rest.hasPrefix("extracting ")
        let text = extracting ? rest.dropFirst("extracting ".count) : rest[...]
        guard text.hasPrefix("sha256:") else { return false }
        let hex = text.dropFirst(7).prefix { $0 != " " }
        guard hex.count == 64 && hex.allSatisfy(\.isHexDigit) else { return false }
        return extracting || text.dropFirst(7 + 64).contains(" / ")
    }

    /// The bare digest line docker 20.10's BuildKit prints under a vertex's name.
    static func isDigest(_ rest: String) -> Bool {
        rest.count == 71 && rest.hasPrefix("sha256:") && rest.dropFirst(7).allSatisfy(\.isHexDigit)
    }

    static func parse(_ lines: [OutputLine], wall: Double) -> [StepRecord] {
        var vertices: [Int: Vertex] = [:]
        var order: [Int] = []
        for line in lines {
            guard let (index, rest) = split(line.text) else { continue }
            guard var vertex = vertices[index] else {
                if rest != "..." {
                    vertices[index] = Vertex(name: rest, firstSeen: line.seconds)
                    order.append(index)
                }
                continue
            }
            // A vertex two stages share (their `FROM`) is printed again when the second one reaches it,
            // `CACHED` then: its first end is when it ran, and docker calls it cached.
            if vertex.end != nil {
                if rest == "CACHED" { vertices[index]?.cached = true }
                continue
            }
            if rest == "CACHED" {
                vertex.cached = true
                vertex.end = line.seconds
                vertex.duration = 0
            } else if rest.hasPrefix("DONE ") {
                vertex.end = line.seconds
                vertex.duration = seconds(rest.dropFirst(5))
            } else if rest == "CANCELED" || rest == "ERROR" || rest.hasPrefix("ERROR:") || rest.hasPrefix("ERROR ") {
                vertex.end = line.seconds
                vertex.duration = nil
            } else if isBlobTransfer(rest) {
                vertex.pulledBlobs = true
            } else if rest != vertex.name && !isDigest(rest) {
                vertex.otherLines = true
            }
            vertices[index] = vertex
        }
        return inStageOrder(
            order.compactMap { index -> StepRecord? in
                guard let vertex = vertices[index], let end = vertex.end else { return nil }
                let finish = min(end, wall)
                let start = max(0, min(finish - (vertex.duration ?? (end - vertex.firstSeen)), finish))
                var step = step(named: vertex.name)
                step.cached = vertex.cached || (step.kind == .instruction && vertex.pulledBlobs && !vertex.otherLines)
                step.start = start
                step.seconds = finish - start
                return step
            })
    }

    /// BuildKit prints a vertex when it completes or shows output, so a stage's steps can come out of
    /// order (a warm build prints cache hits as it finds them): each stage's steps take the places its
    /// steps were printed in, in the order of their numbers.
    static func inStageOrder(_ steps: [StepRecord]) -> [StepRecord] {
        var queues: [String: [StepRecord]] = [:]
        for step in steps where step.kind != .internal { queues[step.stage ?? "", default: []].append(step) }
        for stage in queues.keys { queues[stage]!.sort { $0.number < $1.number } }
        var taken: [String: Int] = [:]
        return steps.map { step in
            guard step.kind != .internal else { return step }
            let stage = step.stage ?? ""
            let next = taken[stage, default: 0]
            taken[stage] = next + 1
            return queues[stage]![next]
        }
    }

    /// `#12 [build 3/4] COPY . .` as (12, "[build 3/4] COPY . ."); nil for any other line.
    static func split(_ text: String) -> (Int, String)? {
        guard text.first == "#", let space = text.firstIndex(of: " "), let index = Int(text[text.index(after: text.startIndex)..<space]) else {
            return nil
        }
        return (index, String(text[text.index(after: space)...]).trimmingCharacters(in: .whitespaces))
    }

    /// `1.2s` as 1.2; BuildKit prints tenths.
    static func seconds(_ text: Substring) -> Double? {
        Double(text.trimmingCharacters(in: .whitespaces).dropLast(text.hasSuffix("s") ? 1 : 0))
    }

    /// A vertex's name as a step: `[stage k/n] INSTRUCTION` or `[k/n] INSTRUCTION` is the Dockerfile's
    /// (`[linux/arm64 build 2/4]` when building for a platform), anything else BuildKit's own.
    static func step(named name: String) -> StepRecord {
        var step = StepRecord(stage: nil, number: 0, total: nil, instruction: name, kind: .internal, cached: false, start: 0, seconds: 0)
        guard name.hasPrefix("["), let close = name.firstIndex(of: "]") else { return step }
        let words = name[name.index(after: name.startIndex)..<close].split(separator: " ")
        guard let position = words.last, let slash = position.firstIndex(of: "/"), let number = Int(position[..<slash]),
            let total = Int(position[position.index(after: slash)...])
        else { return step }
        var instruction = name[name.index(after: close)...].trimmingCharacters(in: .whitespaces)
        // buildx on the containerd store names a base by the digest it resolved (`FROM x:1@sha256:…`): the
        // same step as elsewhere, so it is named without it.
        if instruction.uppercased().hasPrefix("FROM "), let at = instruction.range(of: "@sha256:") {
            instruction = String(instruction[..<at.lowerBound])
        }
        let stage = words.dropLast().last(where: { !$0.contains("/") }).map(String.init)
        step.stage = stage
        step.number = number
        step.total = total
        step.instruction = instruction
        step.kind = instruction.uppercased().hasPrefix("FROM ") ? .base : .instruction
        return step
    }
}
