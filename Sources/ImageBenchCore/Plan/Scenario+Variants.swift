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
            settings.cache = cache
            for (_, value) in combo { settings.apply(value.settings) }
            return Variant(
                scenario: name,
                axes: combo.map { AxisChoice(axis: $0.0.name, value: $0.1.name) },
                settings: settings,
                expectBroken: expectBroken.first { $0.matches(choice) })
        }
    }
}
