/// Load and validate in one call: the model and every diagnostic, sorted (R20).
public struct WorkspaceCheck: Sendable {
    public var model: Model
    public var diagnostics: [Diagnostic]
    public var fileCount: Int

    public init(root: String, fileSystem: FileSystem = LocalFileSystem()) {
        let loaded = WorkspaceLoader(fileSystem: fileSystem).load(root: root)
        model = loaded.model
        fileCount = loaded.fileCount
        diagnostics = (loaded.diagnostics + ModelValidator().validate(loaded.model)).sortedForOutput()
    }

    public var hasErrors: Bool { diagnostics.hasErrors }
}
