/// Lists a kind's content files: `*.md`, sorted, skipping names that start with `.` or `_`.
/// Folders are real folders (a symbolic link to a folder is an error, never followed); a
/// symbolic link to a file is read only when its target lies inside the workspace and
/// outside every hidden folder (`.git`, …).
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
        /// The files of `files` that are symbolic links (their target can change unseen by a
        /// watcher of the content folders).
        public var links: Set<String> = []
    }

    public func markdownFiles(under relativeFolder: String) -> Listing {
        var listing = Listing()
        if let problem = Confinement(fileSystem: fileSystem, root: root).readableFolderProblem(relativeFolder, setting: "content") {
            listing.diagnostics.append(.error(problem, at: SourceLocation(path: relativeFolder, line: 1, column: 1)))
            return listing
        }
        guard fileSystem.kind(of: root + "/" + relativeFolder) == .directory else { return listing }
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
                let target = fileSystem.realPath(root + "/" + path)
                let targetKind = target.flatMap { fileSystem.kind(of: $0) }
                if targetKind == .directory {
                    listing.diagnostics.append(.error("symbolic link to a folder; content folders must be real folders, so it is not followed",
                                                      at: SourceLocation(path: path, line: 1, column: 1)))
                    continue
                }
                guard entry.name.hasSuffix(".md") else { continue }
                guard let target, target.hasPrefix(realRoot + "/"),
                      !target.dropFirst(realRoot.count).split(separator: "/").contains(where: { $0.hasPrefix(".") }) else {
                    listing.diagnostics.append(.error("symbolic link to a file outside the workspace, inside a hidden folder, or nowhere; not read",
                                                      at: SourceLocation(path: path, line: 1, column: 1)))
                    continue
                }
                kind = .file
                listing.links.insert(path)
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
