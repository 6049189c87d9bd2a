/// Load and validate in one call: the model and every diagnostic, sorted.
public struct WorkspaceCheck: Sendable {
    public var model: Model
    public var diagnostics: [Diagnostic]
    public var fileCount: Int
    /// Files whose records came from the parse cache instead of being read and parsed.
    public var filesReused = 0

    public init(root: String, fileSystem: FileSystem = LocalFileSystem()) {
        self.init(raw: WorkspaceLoader(fileSystem: fileSystem).read(root: root), fileSystem: fileSystem)
    }

    /// As `init(root:)`, with the contacts and batches the last build parsed taken from its
    /// parse cache wherever their files are as that build saw them (same size, times and
    /// inode): `members`, `explain` and `check` after a build do not parse 111,000 files again.
    /// The cache is read, never written; a cache of another `segmark` (`toolIdentity`) is not read.
    public init(root: String, fileSystem: FileSystem = LocalFileSystem(), parseCacheOf toolIdentity: String) {
        let cache = ParseCache(fileSystem: fileSystem, root: root, toolIdentity: toolIdentity).load()
        let raw = WorkspaceLoader(fileSystem: fileSystem).read(root: root, reusing: cache)
        cache?.lastRead = nil  // the bytes read are parsed once; the cache need not keep them
        self.init(raw: raw, fileSystem: fileSystem, cache: cache)
        filesReused = raw.reused.count
    }

    /// Decodes and validates a workspace already read.
    public init(raw: WorkspaceLoader.RawWorkspace, fileSystem: FileSystem = LocalFileSystem(), cache: WorkspaceLoader.DecodeCache? = nil) {
        let loaded = WorkspaceLoader(fileSystem: fileSystem).decode(raw, cache: cache)
        model = loaded.model
        fileCount = loaded.fileCount
        diagnostics = (loaded.diagnostics + ModelValidator().validate(loaded.model)).sortedForOutput()
    }

    public var hasErrors: Bool { diagnostics.hasErrors }
}
