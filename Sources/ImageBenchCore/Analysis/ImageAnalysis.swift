/// The result of `imagebench analyze`: layers and waste.
public struct ImageAnalysis: Sendable, Equatable {
    public var image: String
    public var layers: [LayerChange]
    public var waste: WasteAnalysis
    public var linkage: Linkage?

    public init(image: String, layers: [LayerChange], waste: WasteAnalysis, linkage: Linkage? = nil) {
        self.image = image
        self.layers = layers
        self.waste = waste
        self.linkage = linkage
    }
}
