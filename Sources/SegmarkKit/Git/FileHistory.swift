/// When a file last changed, from git (never from modification times): shown on segment
/// sheets and campaign reports when `history: git` is set or `build --history` is given.
public struct FileChange: Sendable, Equatable {
    public var date: String
    public var commit: String
    public var subject: String

    public init(date: String, commit: String, subject: String) {
        self.date = date
        self.commit = commit
        self.subject = subject
    }
}

/// Reads the last commit of every file under some workspace folders with one `git log`.
public struct FileHistory: Sendable {
    public let git: Git

    public init(git: Git) { self.git = git }

    /// Workspace-relative path → its last change. Empty outside a repository or on any git
    /// failure: history is a courtesy and never fails a build.
    public func lastChanges(under folders: [String]) -> [String: FileChange] {
        guard let prefix = try? git.prefix() else { return [:] }
        let paths = folders.map { prefix + $0 }
        guard let r = try? git.run(["-c", "core.quotePath=false", "log", "--no-color", "--format=%x01%cs%x09%h%x09%s",
                                    "--name-only", "--no-renames", "--"] + paths), r.status == 0 else { return [:] }
        var result: [String: FileChange] = [:]
        var current: FileChange?
        for line in String(decoding: r.output, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true) {
            if line.first == "\u{01}" {
                let parts = line.dropFirst().split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
                current = parts.count == 3 ? FileChange(date: String(parts[0]), commit: String(parts[1]), subject: String(parts[2])) : nil
            } else if let current, line.hasPrefix(prefix) {
                let path = String(line.dropFirst(prefix.count))
                if result[path] == nil { result[path] = current }
            }
        }
        return result
    }
}
