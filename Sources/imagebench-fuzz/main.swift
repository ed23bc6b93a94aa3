// Fuzzes the scenario loader for benchmarks/fuzz and the test suite: mutates seed scenario files (the
// shipped scenarios and the broken corpus) and loads each result. Every input must either load or give
// a ScenarioError with a one-line message; a crash, a hang or any other error is a failure.
// Usage: imagebench-fuzz SEED_FILE... [--count N] [--seed S]
import Foundation
import ImageBenchCore

var seeds: [[UInt8]] = []
var count = 100_000
var seed: UInt64 = 1
var args = Array(CommandLine.arguments.dropFirst())
while !args.isEmpty {
    let arg = args.removeFirst()
    switch arg {
    case "--count": count = Int(args.isEmpty ? "" : args.removeFirst()) ?? count
    case "--seed": seed = UInt64(args.isEmpty ? "" : args.removeFirst()) ?? seed
    default:
        guard let data = FileManager.default.contents(atPath: arg) else {
            FileHandle.standardError.write(Data("imagebench-fuzz: cannot read \(arg)\n".utf8))
            exit(66)
        }
        seeds.append([UInt8](data))
    }
}
guard !seeds.isEmpty else {
    FileHandle.standardError.write(Data("usage: imagebench-fuzz SEED_FILE... [--count N] [--seed S]\n".utf8))
    exit(64)
}

/// SplitMix64: the same inputs for the same seed, so a failure can be replayed.
struct Generator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

// Fragments that reach the loader's corners: YAML syntax, keys, paths, references, numbers.
let tokens: [String] = [
    ":", "-", "{", "}", "[", "]", ",", "\"", "'", "&a", "*a", "!!str", "|", ">", "#", "\t", "\n", "  ", "~", "null", "0", "-1",
    "99999999999999999999", "1e309", "axes:", "exclude:", "expect-broken:", "images:", "build-args:", "smoke:", "edit:", "context:",
    "dockerfile:", "dockerignore:", "builder:", "thresholds:", "timeout: 0s", "expect-exit: 256", "${images.", "${images.x}", "../",
    "/etc/passwd", "..", ".", "%", "2%", "\u{0}", "\u{FEFF}", "é", "\u{202E}", "$(touch /tmp/x)", "; rm -rf /", "a=b", "<<: *a",
]

var rng = Generator(state: seed)
@MainActor func mutate(_ input: [UInt8]) -> [UInt8] {
    var bytes = input
    for _ in 0..<Int.random(in: 1...4, using: &rng) {
        let position = bytes.isEmpty ? 0 : Int.random(in: 0...bytes.count, using: &rng)
        switch Int.random(in: 0..<6, using: &rng) {
        case 0 where !bytes.isEmpty:  // flip a byte
            bytes[min(position, bytes.count - 1)] = UInt8.random(in: 0...255, using: &rng)
        case 1:  // insert a token
            bytes.insert(contentsOf: Array(tokens.randomElement(using: &rng)!.utf8), at: position)
        case 2 where !bytes.isEmpty:  // delete a run
            let end = min(bytes.count, position + Int.random(in: 1...16, using: &rng))
            bytes.removeSubrange(min(position, end)..<end)
        case 3:  // splice a line of another seed
            let other = seeds.randomElement(using: &rng)!
            let lines = other.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            if let line = lines.randomElement(using: &rng) { bytes.insert(contentsOf: Array(line) + [UInt8(ascii: "\n")], at: position) }
        case 4 where !bytes.isEmpty:  // duplicate a run
            let end = min(bytes.count, position + Int.random(in: 1...64, using: &rng))
            bytes.insert(contentsOf: Array(bytes[min(position, end)..<end]), at: min(position, end))
        default:  // change indentation
            bytes.insert(contentsOf: Array(repeating: UInt8(ascii: " "), count: Int.random(in: 1...4, using: &rng)), at: position)
        }
    }
    return bytes
}

let root = FileManager.default.temporaryDirectory.appendingPathComponent("imagebench-fuzz-\(getpid())").path
let folder = root + "/scenario"
try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
_ = FileManager.default.createFile(atPath: folder + "/Dockerfile", contents: Data("FROM scratch\n".utf8))
_ = FileManager.default.createFile(atPath: folder + "/main.go", contents: Data("package main\n".utf8))
defer { try? FileManager.default.removeItem(atPath: root) }

var loaded = 0
var refused = 0
let started = Date()
for index in 0..<count {
    let input = mutate(seeds[index % seeds.count])
    _ = FileManager.default.createFile(atPath: folder + "/scenario.yaml", contents: Data(input))
    do {
        let scenario = try ScenarioLoader().load(path: folder)
        _ = scenario.variants().count
        loaded += 1
    } catch {
        refused += 1
        let text = error.description
        if text.contains("\n") || text.isEmpty {
            FileHandle.standardError.write(Data("imagebench-fuzz: input \(index) (seed \(seed)) gave a message that is not one line: \(text)\n".utf8))
            try? Data(input).write(to: URL(fileURLWithPath: "/tmp/imagebench-fuzz-failure.yaml"))
            exit(1)
        }
    }
}
let seconds = Date().timeIntervalSince(started)
print("\(count) inputs in \(String(format: "%.1f", seconds)) s: \(loaded) loaded, \(refused) refused with one-line errors, no crash")
