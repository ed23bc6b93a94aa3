/// One point of a scenario's matrix: a value of each axis.
public struct Variant: Sendable, Equatable {
    public var scenario: String
    /// Axis name and value name, in the order the axes are written.
    public var axes: [AxisChoice]
    /// The scenario's settings with each chosen axis value applied in axis order.
    public var settings: BuildSettings
    /// The `expect-broken` entry this variant matches, if any.
    public var expectBroken: AxisSelector?

    /// `axis=value,...` in axis order; `default` for a scenario without axes.
    public var name: String { Variant.name(of: axes) }

    public static func name(of axes: [AxisChoice]) -> String {
        axes.isEmpty ? "default" : axes.map { "\($0.axis)=\($0.value)" }.joined(separator: ",")
    }
}

public struct AxisChoice: Sendable, Equatable, Codable, Hashable {
    public var axis: String
    public var value: String
    public init(axis: String, value: String) {
        self.axis = axis
        self.value = value
    }
}

extension Scenario {
    /// Every variant of the matrix, in the order the axes and values are written, without the excluded ones.
    public func variants() -> [Variant] {
        var combos: [[(Axis, AxisValue)]] = [[]]
        for axis in axes {
            combos = combos.flatMap { prefix in axis.values.map { prefix + [(axis, $0)] } }
        }
        return combos.compactMap { combo in
            let choice = Dictionary(uniqueKeysWithValues: combo.map { ($0.0.name, $0.1.name) })
            if exclude.contains(where: { $0.matches(choice) }) { return nil }
            var settings = BuildSettings()
            settings.buildArgs = buildArgs
            for (_, value) in combo { settings.apply(value.settings) }
            return Variant(
                scenario: name,
                axes: combo.map { AxisChoice(axis: $0.0.name, value: $0.1.name) },
                settings: settings,
                expectBroken: expectBroken.first { $0.matches(choice) })
        }
    }
}

extension BuildSettings {
    /// Layers `other` on top: its build args replace ones with the same key, its other settings replace these.
    mutating func apply(_ other: BuildSettings) {
        for arg in other.buildArgs {
            if let i = buildArgs.firstIndex(where: { $0.key == arg.key }) { buildArgs[i] = arg } else { buildArgs.append(arg) }
        }
        target = other.target ?? target
        dockerfile = other.dockerfile ?? dockerfile
        dockerignore = other.dockerignore ?? dockerignore
        builder = other.builder ?? builder
        engine = other.engine ?? engine
        platform = other.platform ?? platform
    }
}

/// `--only axis=value` filters.
public struct VariantFilter: Sendable {
    public var pairs: [AxisChoice]
    public init(pairs: [AxisChoice] = []) { self.pairs = pairs }

    /// Variants that have every value named for their axes. Filters naming an axis the scenario
    /// lacks do not apply to it.
    public func apply(_ variants: [Variant], axes: [Axis]) -> [Variant] {
        let relevant = pairs.filter { p in axes.contains { $0.name == p.axis } }
        let byAxis = Dictionary(grouping: relevant, by: \.axis)
        return variants.filter { variant in
            byAxis.allSatisfy { axis, wanted in
                let chosen = variant.axes.first { $0.axis == axis }?.value
                return wanted.contains { $0.value == chosen }
            }
        }
    }
}
