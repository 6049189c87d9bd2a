/// Lists a kind's content files (R1): `*.md`, sorted, skipping names that start with `.` or `_`,
/// following symbolic links only when they stay inside the workspace.
public struct ContentWalker: Sendable {
    let fileSystem: FileSystem
    let root: String

    public init(fileSystem: FileSystem, root: String) {
        self.fileSystem = fileSystem
        self.root = root
    }

    public struct Listing: Sendable {
        /// Paths relative to the root.
        public var files: [String] = []
        public var diagnostics: [Diagnostic] = []
    }

    public func markdownFiles(under relativeFolder: String) -> Listing {
        var listing = Listing()
        guard fileSystem.kind(of: root + "/" + relativeFolder) != nil else { return listing }
        let realRoot = fileSystem.realPath(root) ?? root
        var visited = Set<String>()
        walk(relativeFolder, realRoot: realRoot, visited: &visited, into: &listing)
        return listing
    }

    func walk(_ relative: String, realRoot: String, visited: inout Set<String>, into listing: inout Listing) {
        let absolute = root + "/" + relative
        if let real = fileSystem.realPath(absolute) {
            guard visited.insert(real).inserted else { return }
        }
        guard let entries = try? fileSystem.entries(in: absolute) else {
            listing.diagnostics.append(.error("cannot read folder", at: SourceLocation(path: relative, line: 1, column: 1)))
            return
        }
        for entry in entries {
            if entry.name.hasPrefix(".") || entry.name.hasPrefix("_") { continue }
            let path = relative + "/" + entry.name
            var kind = entry.kind
            if kind == .symlink {
                guard let target = fileSystem.realPath(root + "/" + path),
                      target == realRoot || target.hasPrefix(realRoot + "/") else {
                    listing.diagnostics.append(.warning("symbolic link points outside the workspace (or nowhere); not followed",
                                                        at: SourceLocation(path: path, line: 1, column: 1)))
                    continue
                }
                kind = fileSystem.kind(of: target) ?? .file
            }
            switch kind {
            case .directory:
                walk(path, realRoot: realRoot, visited: &visited, into: &listing)
            default:
                if entry.name.hasSuffix(".md") { listing.files.append(path) }
            }
        }
    }
}
