import ImageBenchCore

/// How reports name the engines a run built on, and say when its variants come from different ones.
enum EngineText {
    /// The engine part of a run's header: the client and engine when there was one docker engine,
    /// else every engine with what it is.
    static func header(_ env: RunEnvironment) -> String {
        let engines = env.allEngines
        if engines.count == 1 && engines[0].kind == .docker {
            return
                "docker \(env.dockerClient) / engine \(env.dockerServer) · \(env.defaultBuilder.rawValue) builder · \(env.storageDriver)"
                + (env.imageStore == .containerd ? " (containerd image store)" : "") + " · \(env.host), \(env.cpus) CPUs"
        }
        return "\(engines.count) engine\(engines.count == 1 ? "" : "s"): " + engines.map(describe).joined(separator: "; ")
    }

    /// `docker 20.10.24 at unix:///run/b.sock on vm (overlay2, 2 CPUs)`; a local podman has no address.
    static func describe(_ engine: EngineRecord) -> String {
        "\(engine.kind.rawValue) \(engine.serverVersion)" + (engine.endpoint == "local" ? "" : " at \(engine.endpoint)")
            + " on \(engine.host) (\(engine.storageDriver), \(engine.cpus) CPUs)"
    }

    /// Said when the variants (of one scenario) were built on engines that differ (kind, machine,
    /// version or storage driver); nil when they all ran on one kind of engine.
    static func mixedWarning(_ results: [VariantResult]) -> String? {
        let identities = RunEnvironment.identities(results.compactMap(\.engine))
        guard identities.count > 1 else { return nil }
        return
            "the variants were built on \(identities.count) different engines (\(identities.joined(separator: "; "))): sizes, layers and compressed sizes compare (they are defined by the layers); build times and the disk an image takes compare only between variants of one engine"
    }

    /// Whether a scenario's table needs an engine column: its variants ran on more than one engine.
    static func needsColumn(_ results: [VariantResult]) -> Bool {
        Set(results.compactMap(\.engine?.label)).count > 1
    }

    static func cell(_ result: VariantResult) -> String { result.engine?.label ?? "—" }

    /// What size means for podman images recorded before the engine's own figure was kept apart (their
    /// size is podman's `.Size`, which counts each layer's tar stream, so the same files read a few
    /// percent bigger than docker's); later runs say it with ``SizeText/engineNotes(_:)``.
    static func podmanSizeNote(_ results: [VariantResult]) -> String? {
        guard results.contains(where: { $0.engine?.kind == .podman && $0.image != nil && $0.image?.engineSize == nil }) else { return nil }
        return
            "On podman, size is podman image inspect .Size: each layer's tar stream, file headers and padding included, a few percent more than docker's .Size for the same files; the compressed size compares across engines."
    }
}
