/// Stage 5 (R73): writes only files whose bytes changed, removes files it wrote before and no
/// longer produces (listed in `.segmark-manifest`), never touches other files, and changes
/// nothing until every page has rendered: changed pages wait in a staging folder, then move
/// into place one atomic rename at a time, and the manifest is written last.
public final class OutputWriter {
    public static let manifestName = ".segmark-manifest"
    static let stagingName = ".segmark-staging"

    let fileSystem: FileSystem
    let directory: String
    var produced: [String] = []
    var staged: [String] = []
    var stagingReady = false

    public struct Summary: Sendable, Equatable {
        public var pages: Int
        public var changed: Int
        public var removed: Int
    }

    public init(fileSystem: FileSystem, directory: String) {
        self.fileSystem = fileSystem
        self.directory = directory
    }

    var staging: String { directory + "/" + Self.stagingName }

    /// Adds one output file (path relative to the output folder).
    public func add(_ path: String, _ bytes: [UInt8]) throws {
        produced.append(path)
        let target = directory + "/" + path
        if fileSystem.kind(of: target) == .file, let existing = try? fileSystem.read(target), existing == bytes { return }
        if !stagingReady {
            if fileSystem.kind(of: staging) != nil { try removeTree(staging) }
            try fileSystem.createDirectory(staging)
            stagingReady = true
        }
        let stagedPath = staging + "/" + path
        if let slash = stagedPath.lastIndex(of: "/") { try fileSystem.createDirectory(String(stagedPath[..<slash])) }
        try fileSystem.writeAtomically(bytes, to: stagedPath)
        staged.append(path)
    }

    /// Moves staged files into place, removes stale files, writes the manifest.
    public func commit() throws -> Summary {
        let previous = readManifest()
        let manifestPath = directory + "/" + Self.manifestName
        // Before any file moves, own both the old and the new files: a build killed in the
        // middle leaves nothing the next build does not know it may remove.
        let newFiles = Set(staged).subtracting(previous)
        if !newFiles.isEmpty {
            let union = (previous + newFiles.sorted(by: Text.codePointLess)).sorted(by: Text.codePointLess)
            try fileSystem.writeAtomically(Array((union.joined(separator: "\n") + "\n").utf8), to: manifestPath)
        }
        for path in staged {
            let target = directory + "/" + path
            if let slash = target.lastIndex(of: "/") { try fileSystem.createDirectory(String(target[..<slash])) }
            try fileSystem.rename(staging + "/" + path, to: target)
        }
        let now = Set(produced)
        var removed = 0
        for path in previous where !now.contains(path) {
            guard Self.isSafeRelative(path) else { continue }
            if fileSystem.kind(of: directory + "/" + path) == .file {
                try fileSystem.remove(directory + "/" + path)
                removed += 1
            }
        }
        let manifest = produced.sorted(by: Text.codePointLess).joined(separator: "\n") + "\n"
        let manifestBytes = Array(manifest.utf8)
        if (try? fileSystem.read(manifestPath)) != manifestBytes {
            try fileSystem.writeAtomically(manifestBytes, to: manifestPath)
        }
        abort()
        return Summary(pages: produced.count, changed: staged.count, removed: removed)
    }

    /// Drops the staging folder; Output/ stays as it was.
    public func abort() {
        if stagingReady || fileSystem.kind(of: staging) != nil { try? removeTree(staging) }
        stagingReady = false
    }

    /// The number of files the manifest lists when every one of them is present, else nil.
    public func ownedFilesIfComplete() -> Int? {
        guard fileSystem.kind(of: directory + "/" + Self.manifestName) == .file else { return nil }
        let owned = readManifest()
        for path in owned where fileSystem.kind(of: directory + "/" + path) != .file { return nil }
        return owned.count
    }

    func readManifest() -> [String] {
        guard let bytes = try? fileSystem.read(directory + "/" + Self.manifestName) else { return [] }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    static func isSafeRelative(_ path: String) -> Bool {
        !path.isEmpty && !path.hasPrefix("/") && !path.split(separator: "/").contains("..")
    }

    func removeTree(_ path: String) throws {
        if fileSystem.kind(of: path) == .directory {
            for e in (try? fileSystem.entries(in: path)) ?? [] { try removeTree(path + "/" + e.name) }
        }
        try fileSystem.remove(path)
    }
}
