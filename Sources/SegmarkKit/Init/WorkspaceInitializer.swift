/// `segmark init DIR`: writes a small sample workspace and the built-in templates into a new
/// or empty folder, and refuses any other.
public struct WorkspaceInitializer: Sendable {
    public let fileSystem: FileSystem

    public init(fileSystem: FileSystem = LocalFileSystem()) { self.fileSystem = fileSystem }

    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case notEmpty(String)
        case notAFolder(String)

        public var description: String {
            switch self {
            case .notEmpty(let dir): return "\(dir) is not empty; segmark init only writes into a new or empty folder"
            case .notAFolder(let dir): return "\(dir) exists and is not a folder"
            }
        }
    }

    /// Every file written, relative to `directory`, in the order written.
    public func files() -> [(path: String, text: String)] {
        SampleWorkspace.files + BuiltinTemplates.files.map { ("Templates/" + $0.path, $0.text) }
    }

    /// Writes the workspace; returns the relative paths written.
    @discardableResult
    public func create(at directory: String) throws -> [String] {
        switch fileSystem.kind(of: directory) {
        case .directory?:
            if !(try fileSystem.entries(in: directory)).isEmpty { throw Failure.notEmpty(directory) }
        case nil:
            try fileSystem.createDirectory(directory)
        default:
            throw Failure.notAFolder(directory)
        }
        var written: [String] = []
        for file in files() {
            let path = directory + "/" + file.path
            if let slash = path.lastIndex(of: "/") { try fileSystem.createDirectory(String(path[..<slash])) }
            try fileSystem.createExclusively(Array(file.text.utf8), at: path)
            written.append(file.path)
        }
        return written
    }
}
