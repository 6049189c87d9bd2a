/// Finds the workspace root: the given `--root`, else the nearest folder upward holding
/// segmark.yml or Content/.
public struct WorkspaceLocator: Sendable {
    let fileSystem: FileSystem

    public init(fileSystem: FileSystem) { self.fileSystem = fileSystem }

    public func locate(from start: String) -> String? {
        var dir = start
        while true {
            if fileSystem.kind(of: dir + "/segmark.yml") != nil || fileSystem.kind(of: dir + "/Content") == .directory {
                return dir
            }
            guard let slash = dir.lastIndex(of: "/"), dir != "/" else { return nil }
            let parent = String(dir[..<slash])
            dir = parent.isEmpty ? "/" : parent
        }
    }
}
