/// Reads a workspace as it was at a git revision (`segmark diff`): lists the commit's tree
/// under the workspace folder, fetches the content files in one batch, and loads them as
/// `WorkspaceCheck` does for the working tree.
public struct RevisionReader: Sendable {
    public let git: Git

    public init(git: Git) { self.git = git }

    /// Where a revision's workspace appears to the loader; diagnostics name paths relative to it.
    public static let virtualRoot = "/segmark-revision"

    public func check(commit: String, prefix: String) throws -> WorkspaceCheck {
        let snapshot = try GitSnapshot(git: git, commit: commit, prefix: prefix, root: Self.virtualRoot)
        try snapshot.prefetch(under: ["segmark.yml"])
        let (settings, _) = WorkspaceLoader(fileSystem: snapshot).loadSettings(root: Self.virtualRoot)
        try snapshot.prefetch(under: [settings.content])
        return WorkspaceCheck(root: Self.virtualRoot, fileSystem: snapshot)
    }
}
