/// Load and validate in one call: the model and every diagnostic, sorted.
public struct WorkspaceCheck: Sendable {
    public var model: Model
    public var diagnostics: [Diagnostic]
    public var fileCount: Int

    public init(root: String, fileSystem: FileSystem = LocalFileSystem()) {
        self.init(raw: WorkspaceLoader(fileSystem: fileSystem).read(root: root), fileSystem: fileSystem)
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
