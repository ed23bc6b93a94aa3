/// dive's file tree, reduced to what the efficiency needs.
final class FileTree {
    struct Info {
        var size: Int64 = 0
        var isDirectory = false
        var linkTarget: String?
    }

    final class Node {
        let name: String
        weak var parent: Node?
        var info = Info()
        var children: [String: Node] = [:]

        init(name: String, parent: Node?) {
            self.name = name
            self.parent = parent
        }

        var isWhiteout: Bool { name.hasPrefix(".wh.") }

        /// Visits leaves, children before parents, names in byte order; stops when `visit` returns false.
        func visitLeavesChildFirst(_ visit: (Node, String) -> Bool) -> Bool {
            visitLeavesChildFirst(prefix: "", visit)
        }

        /// `prefix` is this node's parent's path, so no leaf walks up the tree to learn its own.
        private func visitLeavesChildFirst(prefix: String, _ visit: (Node, String) -> Bool) -> Bool {
            let own = parent == nil ? "" : prefix + "/" + name
            for key in children.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                if !children[key]!.visitLeavesChildFirst(prefix: own, visit) { return false }
            }
            if parent == nil || !children.isEmpty { return true }
            return visit(self, isWhiteout ? prefix + "/" + name.dropFirst(4) : own)
        }

        /// Every node below and including this one (never the root).
        func visitAll(_ visit: (Node) -> Void) {
            for child in children.values { child.visitAll(visit) }
            if parent != nil { visit(self) }
        }

        func copy(parent: Node?) -> Node {
            let node = Node(name: name, parent: parent)
            node.info = info
            for (key, child) in children { node.children[key] = child.copy(parent: node) }
            return node
        }
    }

    var root = Node(name: "", parent: nil)

    init() {}

    /// One layer's files as a tree (dive's `processLayerTar`). A tar lists a directory before what it
    /// holds, so each file's parent is nearly always found by its path in one lookup.
    convenience init(layer files: [LayerFile]) {
        self.init()
        var nodes: [Substring: Node] = [:]
        for f in files {
            let info = Info(size: f.size, isDirectory: f.isDirectory, linkTarget: f.linkTarget)
            let path = GoPath.clean(f.path)[...]
            let name = path.lastPathSegment
            if name.count < path.count, let parent = nodes[path.dropLast(name.count + 1)] {
                if let child = parent.children[String(name)] {
                    child.info = info
                    nodes[path] = child
                } else if !name.hasPrefix(".wh..wh..") {
                    let child = Node(name: String(name), parent: parent)
                    child.info = info
                    parent.children[child.name] = child
                    nodes[path] = child
                }
            } else if let node = add(path: String(path), info: info) {
                nodes[path] = node
            }
        }
    }

    func copy() -> FileTree {
        let tree = FileTree()
        tree.root = root.copy(parent: nil)
        return tree
    }

    /// dive's `AddPath`: creates missing parents with empty info; `.wh..wh..` names are never added.
    @discardableResult
    func add(path: String, info: Info) -> Node? {
        let names = GoPath.clean(path).split(separator: "/")
        guard !names.isEmpty, names != ["."] else { return nil }
        var node = root
        for name in names {
            let key = String(name)
            if let child = node.children[key] {
                node = child
            } else {
                if name.hasPrefix(".wh..wh..") { return nil }
                let child = Node(name: key, parent: node)
                node.children[key] = child
                node = child
            }
        }
        node.info = info
        return node
    }

    func node(at path: String) -> Node? {
        var node = root
        for name in path.split(separator: "/") {
            guard let child = node.children[String(name)] else { return nil }
            node = child
        }
        return node
    }

    /// Looks a path up following symbolic links (at most 40), as the kernel would when exec'ing.
    func resolve(_ path: String) -> Node? {
        var pending = path.split(separator: "/").map(String.init)
        var done: [String] = []
        var hops = 0
        while !pending.isEmpty {
            let name = pending.removeFirst()
            if name == "." || name.isEmpty { continue }
            if name == ".." {
                _ = done.popLast()
                continue
            }
            guard let node = node(at: (done + [name]).joined(separator: "/")) else { return nil }
            if let target = node.info.linkTarget {
                hops += 1
                if hops > 40 { return nil }
                let parts = target.split(separator: "/").map(String.init)
                if target.hasPrefix("/") { done = [] }
                pending = parts + pending
                continue
            }
            done.append(name)
        }
        return node(at: done.joined(separator: "/"))
    }

    /// dive's `Stack`: whiteouts remove, everything else is added (missing parents with empty info),
    /// children before parents. Walks both trees side by side instead of looking each path up.
    func stack(_ upper: FileTree) {
        func graft(_ node: Node, into target: Node) {
            for key in node.children.keys.sorted() {
                let child = node.children[key]!
                if child.isWhiteout {
                    target.children[String(child.name.dropFirst(4))] = nil
                    continue
                }
                let existing: Node
                if let found = target.children[key] {
                    existing = found
                } else {
                    existing = Node(name: key, parent: target)
                    target.children[key] = existing
                }
                graft(child, into: existing)
                existing.info = child.info
            }
        }
        graft(upper.root, into: root)
    }
}
