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
