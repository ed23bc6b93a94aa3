/// `edit:`: the file that gets a line appended before each edit-phase build.
public struct EditSpec: Sendable, Equatable {
    /// Relative to the context.
    public var file: String
    /// The line appended; `nil` means a comment in the file's language.
    public var append: String?
    public init(file: String, append: String? = nil) {
        self.file = file
        self.append = append
    }

    /// The line to append for edit number `n` (each edit differs, so each one really changes the file).
    /// `tag` names the run and variant in the comment, so one variant's edit never hits the build cache
    /// another variant's identical edit left behind (BuildKit shares its cache across builds).
    public func line(number n: Int, tag: String? = nil) -> String {
        if let append { return n <= 1 ? append : "\(append) \(n)" }
        let ext = file.split(separator: ".").count > 1 ? String(file.split(separator: ".").last!) : ""
        let slashes: Set<String> = ["go", "c", "h", "cc", "cpp", "swift", "js", "ts", "java", "rs", "kt", "scala"]
        let marker = slashes.contains(ext.lowercased()) ? "//" : "#"
        return "\(marker) imagebench edit \(n)" + (tag.map { " \($0)" } ?? "")
    }
}
