import Foundation

/// A read-only `FileSystem` over one commit's tree: the workspace as it was at a revision.
/// Paths are `root + "/" + path-in-workspace`; file contents are fetched from git in one batch
/// (`prefetch`) or one at a time when read before that.
public final class GitSnapshot: FileSystem, @unchecked Sendable {
    public let root: String
    let git: Git
    struct Blob { var id: String; var kind: FileKind }
    /// Workspace-relative path → blob, and folder → sorted entries.
    let blobs: [String: Blob]
    let folders: [String: [DirectoryEntry]]
    let lock = NSLock()
    var contents: [String: [UInt8]] = [:]

    /// Lists the tree of `commit` under the workspace folder `prefix` (from `Git.prefix()`).
    public init(git: Git, commit: String, prefix: String, root: String) throws {
        self.git = git
        self.root = root
        let r = try git.run(["ls-tree", "-r", "-z", "--full-tree", commit, "--", prefix.isEmpty ? "." : prefix])
        guard r.status == 0 else { throw Git.Failure.failed("ls-tree", r.error) }
        var blobs: [String: Blob] = [:]
        var children: [String: [DirectoryEntry]] = [:]
        var seenFolders: Set<String> = [""]
        for record in r.output.split(separator: 0) {
            // "<mode> <type> <id>\t<path>"
            guard let tab = record.firstIndex(of: 9) else { continue }
            let head = String(decoding: record[record.startIndex..<tab], as: UTF8.self).split(separator: " ")
            var path = String(decoding: record[(tab + 1)...], as: UTF8.self)
            guard head.count == 3, path.hasPrefix(prefix) else { continue }
            path.removeFirst(prefix.count)
            let kind: FileKind
            switch head[0] {
            case "120000": kind = .symlink
            case "160000": continue  // submodule
            default: kind = .file
            }
            blobs[path] = Blob(id: String(head[2]), kind: kind)
            // Register every parent folder.
            var child = path
            var childKind = kind
            while true {
                let parent = child.lastIndex(of: "/").map { String(child[..<$0]) } ?? ""
                let name = child.lastIndex(of: "/").map { String(child[child.index(after: $0)...]) } ?? child
                children[parent, default: []].append(DirectoryEntry(name: name, kind: childKind))
                if seenFolders.contains(parent) { break }
                seenFolders.insert(parent)
                child = parent
                childKind = .directory
            }
        }
        self.blobs = blobs
        self.folders = children.mapValues { $0.sorted { Text.codePointLess($0.name, $1.name) } }
    }

    func relative(_ path: String) -> String? {
        if path == root { return "" }
        guard path.hasPrefix(root + "/") else { return nil }
        return String(path.dropFirst(root.count + 1))
    }

    /// Fetches the contents of every file under the given workspace folders in one `git cat-file`.
    public func prefetch(under folders: [String]) throws {
        let wanted = blobs.filter { path, blob in
            blob.kind == .file && folders.contains { path == $0 || path.hasPrefix($0 + "/") }
        }.sorted { $0.key < $1.key }
        guard !wanted.isEmpty else { return }
        let input = wanted.map { $0.value.id + "\n" }.joined()
        let r = try git.run(["cat-file", "--batch"], input: Array(input.utf8))
        guard r.status == 0 else { throw Git.Failure.failed("cat-file", r.error) }
        var fetched: [String: [UInt8]] = [:]
        var position = 0
        let out = r.output
        for (path, _) in wanted {
            guard let newline = out[position...].firstIndex(of: 10) else { break }
            let header = String(decoding: out[position..<newline], as: UTF8.self).split(separator: " ")
            position = newline + 1
            guard header.count == 3, let size = Int(header[2]), position + size <= out.count else { continue }
            fetched[path] = Array(out[position..<(position + size)])
            position += size + 1
        }
        lock.lock()
        contents.merge(fetched) { a, _ in a }
        lock.unlock()
    }

    public func read(_ path: String) throws -> [UInt8] {
        guard let rel = relative(path), let blob = blobs[rel] else { throw FileSystemError.io(path, "No such file or directory") }
        lock.lock()
        let cached = contents[rel]
        lock.unlock()
        if let cached { return cached }
        let r = try git.run(["cat-file", "blob", blob.id])
        guard r.status == 0 else { throw FileSystemError.io(path, r.error) }
        lock.lock()
        contents[rel] = r.output
        lock.unlock()
        return r.output
    }

    public func entries(in directory: String) throws -> [DirectoryEntry] {
        guard let rel = relative(directory), let list = folders[rel] else { throw FileSystemError.io(directory, "No such file or directory") }
        return list
    }

    public func kind(of path: String) -> FileKind? {
        guard let rel = relative(path) else { return nil }
        if let blob = blobs[rel] { return blob.kind }
        return folders[rel] != nil ? .directory : nil
    }

    /// Links inside a commit are not followed: the tree holds their target as text only.
    public func realPath(_ path: String) -> String? {
        guard let rel = relative(path) else { return nil }
        if blobs[rel]?.kind == .symlink { return nil }
        return kind(of: path) == nil ? nil : path
    }

    public func writeAtomically(_ bytes: [UInt8], to path: String) throws { throw FileSystemError.io(path, "a revision is read-only") }
    public func createExclusively(_ bytes: [UInt8], at path: String) throws { throw FileSystemError.io(path, "a revision is read-only") }
    public func createDirectory(_ path: String) throws { throw FileSystemError.io(path, "a revision is read-only") }
    public func remove(_ path: String) throws { throw FileSystemError.io(path, "a revision is read-only") }
    public func rename(_ from: String, to: String) throws { throw FileSystemError.io(to, "a revision is read-only") }
    public func modificationTime(_ path: String) -> Int64? { nil }
}
