/// Where a build may read and write, whatever the content or the settings say (SECURITY.md):
/// the output folder is a real folder of its own — not the workspace, not containing it, not
/// inside Content/, Templates/ or .git — and content and template folders are real folders
/// inside the workspace. Symbolic links on the way are refused, never followed.
public struct Confinement: Sendable {
    let fileSystem: FileSystem
    let root: String

    public init(fileSystem: FileSystem, root: String) {
        self.fileSystem = fileSystem
        self.root = root
    }

    /// A refusal to build or log, in words.
    public struct Violation: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// `path` with `.` and `..` resolved lexically; absolute when given a root.
    static func components(_ path: String) -> [String] {
        var out: [String] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { if !out.isEmpty { out.removeLast() }; continue }
            out.append(String(part))
        }
        return out
    }

    static func join(_ components: [String]) -> String { "/" + components.joined(separator: "/") }

    /// The real path of `path`: its longest existing prefix resolved, the rest appended.
    func realPath(of absolute: String) -> String {
        var parts = Self.components(absolute)
        var rest: [String] = []
        while !parts.isEmpty {
            if let real = fileSystem.realPath(Self.join(parts)) {
                return Self.join(Self.components(real) + rest)
            }
            rest.insert(parts.removeLast(), at: 0)
        }
        return Self.join(rest)
    }

    static func isInside(_ path: String, _ folder: String) -> Bool {
        folder == "/" ? path != "/" : path.hasPrefix(folder + "/")
    }

    /// The first symbolic link (or file) among the existing folders from `base` down to
    /// `base/relative`, as a path relative to `base`'s display name.
    func linkOnTheWay(base: String, relative: [String]) -> (path: [String], isLink: Bool)? {
        var current = base
        for (i, part) in relative.enumerated() {
            current += "/" + part
            switch fileSystem.kind(of: current) {
            case nil: return nil
            case .directory?: continue
            case .symlink?: return (Array(relative[...i]), true)
            case .file?: return (Array(relative[...i]), false)
            }
        }
        return nil
    }

    /// Checks the output folder and returns its absolute path.
    /// - Parameters:
    ///   - output: as given (relative to the workspace, or absolute).
    ///   - content, templates: the workspace's folder names from the settings.
    public func outputFolder(_ output: String, content: String, templates: String) throws(Violation) -> String {
        let display = output
        let rootParts = Self.components(root.hasPrefix("/") ? root : "/" + root)
        let absolute = output.hasPrefix("/") ? output : Self.join(rootParts) + "/" + output
        let parts = Self.components(absolute)
        // Folders on the way inside the workspace, and the output folder itself, are real folders.
        if parts.count > rootParts.count, Array(parts.prefix(rootParts.count)) == rootParts {
            let relative = Array(parts.dropFirst(rootParts.count))
            if let (path, isLink) = linkOnTheWay(base: Self.join(rootParts), relative: relative) {
                throw Violation(message: "\(path.joined(separator: "/")) is \(isLink ? "a symbolic link" : "a file"), not a folder; "
                                + "a build never writes or deletes through one (output folder: \(display))")
            }
        }
        if fileSystem.kind(of: Self.join(parts)) == .symlink {
            throw Violation(message: "the output folder \(display) is a symbolic link; a build never writes or deletes through one")
        }
        let out = realPath(of: absolute)
        let rootReal = realPath(of: Self.join(rootParts))
        let reason = "; a build writes only into a folder of its own (the default is Output)"
        if out == rootReal { throw Violation(message: "the output folder \(display) is the workspace folder itself" + reason) }
        if Self.isInside(rootReal, out) { throw Violation(message: "the output folder \(display) contains the workspace" + reason) }
        let guarded: [(String, String)] = [(content, "content folder \(content)/"), (templates, "templates folder \(templates)/"), (".git", "git folder .git/")]
        for (folder, name) in guarded {
            let real = realPath(of: Self.join(rootParts) + "/" + folder)
            if out == real { throw Violation(message: "the output folder \(display) is the \(name)" + reason) }
            if Self.isInside(out, real) { throw Violation(message: "the output folder \(display) lies inside the \(name)" + reason) }
            if Self.isInside(real, out) { throw Violation(message: "the output folder \(display) contains the \(name)" + reason) }
        }
        return absolute.hasSuffix("/") ? String(absolute.dropLast()) : absolute
    }

    /// A problem with a folder the build reads (content, templates): it must lie inside the
    /// workspace and be reached through real folders only. Nil when it is fine or absent.
    public func readableFolderProblem(_ relative: String, setting: String) -> String? {
        if relative.hasPrefix("/") || Self.components("/x/" + relative).first != "x" || relative.split(separator: "/").contains("..") {
            return "the \(setting) folder '\(relative)' must be a folder inside the workspace"
        }
        let parts = Self.components("/" + relative)
        if parts.contains(where: { $0.hasPrefix(".") }) {
            return "the \(setting) folder '\(relative)' must not be a hidden folder"
        }
        if let (path, isLink) = linkOnTheWay(base: root, relative: parts) {
            return "\(path.joined(separator: "/")) is \(isLink ? "a symbolic link" : "a file"), not a folder; "
                + "content and templates are read from real folders inside the workspace only"
        }
        return nil
    }
}
