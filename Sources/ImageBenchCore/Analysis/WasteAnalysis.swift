/// Layer efficiency and wasted bytes, computed exactly as dive 0.13 does (`dive/filetree/efficiency.go`,
/// `dive/image/docker/image_archive.go`): each layer's files form a tree; only leaf nodes count; the
/// efficiency is Σ smallest size per path ÷ Σ size per path over all layers; deleting a file (a `.wh.`
/// whiteout) counts as size 0, deleting a directory as the size of what it held; `.wh..wh..opq`
/// markers are ignored; wasted bytes are the whole cumulative size of every path seen more than once.
public struct WasteAnalysis: Sendable, Equatable, Codable {
    public struct Inefficiency: Sendable, Equatable, Codable {
        public var path: String
        /// In how many layers the path appears (additions, changes and deletions).
        public var count: Int
        /// Bytes the path takes across those layers; dive counts all of them as wasted.
        public var cumulativeBytes: Int64

        public init(path: String, count: Int, cumulativeBytes: Int64) {
            self.path = path
            self.count = count
            self.cumulativeBytes = cumulativeBytes
        }

        enum CodingKeys: String, CodingKey {
            case path, count
            case cumulativeBytes = "cumulative_bytes"
        }
    }

    /// Σ smallest size per path ÷ Σ size per path over all layers; 1 when nothing is written twice.
    public var efficiency: Double
    /// Σ cumulative size of the paths written more than once (dive's `inefficientBytes`).
    public var wastedBytes: Int64
    /// Wasted bytes ÷ the bytes of all layers but the first.
    public var userWastedPercent: Double
    /// Sum of each layer's file sizes (as dive counts layer sizes).
    public var layerBytes: [Int64]
    /// Paths written more than once, largest waste first.
    public var inefficiencies: [Inefficiency]

    public init(efficiency: Double, wastedBytes: Int64, userWastedPercent: Double, layerBytes: [Int64], inefficiencies: [Inefficiency]) {
        self.efficiency = efficiency
        self.wastedBytes = wastedBytes
        self.userWastedPercent = userWastedPercent
        self.layerBytes = layerBytes
        self.inefficiencies = inefficiencies
    }

    enum CodingKeys: String, CodingKey {
        case efficiency, inefficiencies
        case wastedBytes = "wasted_bytes"
        case userWastedPercent = "user_wasted_percent"
        case layerBytes = "layer_bytes"
    }

    public static func analyze(_ layers: [[LayerFile]]) -> WasteAnalysis {
        let trees = layers.map(FileTree.init(layer:))
        struct Data {
            var count = 0
            var cumulative: Int64 = 0
            var minimum: Int64 = -1
        }
        var data: [String: Data] = [:]
        var order: [String] = []
        // dive stacks trees[0] (a copy) with trees[0 ..< k] before looking up whiteouts of layer k.
        let stacked = trees.first?.copy() ?? FileTree()
        for (index, tree) in trees.enumerated() {
            if index >= 1 { stacked.stack(trees[index - 1]) }
            // A whiteout whose target is missing stops dive's walk of that layer; so does it here.
            _ = tree.root.visitLeavesChildFirst { node, path in
                var size: Int64
                if node.isWhiteout {
                    guard let previous = stacked.node(at: path) else { return false }
                    size = 0
                    if previous.info.isDirectory { previous.visitAll { size += $0.info.size } }
                } else {
                    size = node.info.size
                }
                if data[path] == nil { order.append(path) }
                var d = data[path, default: Data()]
                d.cumulative += size
                if d.minimum < 0 || size < d.minimum { d.minimum = size }
                d.count += 1
                data[path] = d
                return true
            }
        }
        let minimum = data.values.reduce(Int64(0)) { $0 + $1.minimum }
        let discovered = data.values.reduce(Int64(0)) { $0 + $1.cumulative }
        let inefficient = order.compactMap { path -> Inefficiency? in
            guard let d = data[path], d.count >= 2 else { return nil }
            return Inefficiency(path: path, count: d.count, cumulativeBytes: d.cumulative)
        }.sorted { ($0.cumulativeBytes, $1.path) > ($1.cumulativeBytes, $0.path) }
        // dive's wasted bytes: the whole cumulative size of every path written more than once.
        let wasted = inefficient.reduce(Int64(0)) { $0 + $1.cumulativeBytes }
        let layerBytes = layers.map { $0.reduce(Int64(0)) { $0 + $1.size } }
        let userBytes = layerBytes.dropFirst().reduce(0, +)
        return WasteAnalysis(
            efficiency: discovered == 0 ? 1 : Double(minimum) / Double(discovered), wastedBytes: wasted,
            userWastedPercent: userBytes == 0 ? 0 : Double(wasted) / Double(userBytes), layerBytes: layerBytes, inefficiencies: inefficient)
    }
}
