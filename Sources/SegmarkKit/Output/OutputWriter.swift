import Foundation

/// Stage 5: writes only files whose bytes changed, removes files it wrote before and no longer
/// produces, never touches other files, and changes nothing until every page has rendered:
/// changed pages wait in a staging folder, then move into place one atomic rename at a time,
/// and the record (`.segmark-manifest`: a hash and a path per file) is written last.
/// The record is not trusted: a file is removed only when its path is a plain relative path
/// reached through real folders, it is a regular file, and its bytes still hash to what the
/// record says; anything else is left alone. No folder inside the output folder may be a
/// symbolic link: the writer refuses rather than write, read or delete through one.
public final class OutputWriter {
    public static let manifestName = ".segmark-manifest"
    static let stagingName = ".segmark-staging"

    let fileSystem: FileSystem
    let directory: String
    /// Every file this build produces, in build order, and its hash.
    var produced = PathTable()
    var producedHashes: [UInt64] = []
    /// The produced files that were staged (places in `produced`, in order).
    var staged: [Int] = []
    private let stager: Stager
    /// Removes the pages replaced while the rest move into place (`moveStagedIntoPlace`).
    private let remover: BackgroundRemover
    /// Folders inside the output folder already proven real.
    var realFolders: Set<String> = [""]
    /// The folder of the last path checked, when it was found real.
    private var lastFolder: String?

    public struct Summary: Sendable, Equatable {
        public var pages: Int
        public var changed: Int
        public var removed: Int
        /// Files the record lists that this build no longer produces but cannot prove it wrote.
        public var leftAlone: [String] = []
    }

    public init(fileSystem: FileSystem, directory: String) {
        self.fileSystem = fileSystem
        self.directory = directory
        stager = Stager(fileSystem: fileSystem, folder: directory + "/" + Self.stagingName)
        remover = BackgroundRemover(fileSystem: fileSystem)
    }

    var staging: String { stager.folder }

    /// A file made ready for `add` on the thread that rendered it: hashed, compared with the
    /// file on disk, and when it is to be written, already in the staging folder (its bytes
    /// are let go there rather than held until the build's thread gets to them).
    public struct Prepared: Sendable {
        let path: String
        let hash: UInt64
        /// In the staging folder; else the file on disk holds these bytes.
        let staged: Bool
    }

    /// Safe to call from any thread (the staging folder and its folders are made under a lock).
    /// - Parameters:
    ///   - intactHash: the hash the record lists for the file at `path` when the file
    ///     is as the last build left it (its size and time are those on record); then the file
    ///     need not be read to know whether it holds these bytes.
    ///   - hash: `Fingerprint.ofFile(bytes)` when the caller has it already.
    public func prepare(_ path: String, _ bytes: [UInt8], hash: UInt64? = nil, intactHash: UInt64?) throws -> Prepared {
        let hash = hash ?? Fingerprint.ofFile(bytes)
        if let intactHash, intactHash == hash { return Prepared(path: path, hash: hash, staged: false) }
        // A file not as the last build left it (or after `--force`, any file) is compared
        // with these bytes here, on the thread that rendered them (never through a link: a
        // folder on the way that is one is refused in `add`, before anything moves into place).
        if intactHash == nil, fileSystem.holds(bytes, at: path, under: directory) { return Prepared(path: path, hash: hash, staged: false) }
        // Staged here too: files are created by every render thread at once, and a page's
        // bytes go now instead of waiting for the build's thread (a cold build at L: 62-67 s
        // so, 74 s with the build's thread staging every page under 256 KB).
        try stager.stage(bytes, path)
        return Prepared(path: path, hash: hash, staged: true)
    }

    /// Adds a file `prepare` made ready, in build order.
    public func add(_ file: Prepared) throws {
        let index = try produce(file.path, hash: file.hash)
        if file.staged { staged.append(index) }
    }

    /// Keeps a file the last build wrote, unchanged (its inputs did not change), with the hash
    /// `recordedHash(_:)` gives for it.
    public func keep(_ path: String, hash: UInt64) throws {
        try produce(path, hash: hash)
    }

    /// `keep(_:hash:)` of a path given by its bytes.
    func keep(_ path: UnsafeBufferPointer<UInt8>, hash: UInt64) throws {
        try produce(path, hash: hash)
    }

    /// Makes room for this many files (the last build's count: most builds make as many).
    public func reserve(files: Int) {
        guard produced.isEmpty else { return }
        produced = PathTable(capacity: files)
        producedHashes.reserveCapacity(files)
    }

    @discardableResult
    private func produce(_ path: String, hash: UInt64) throws -> Int {
        var path = path
        return try path.withUTF8 { try produce($0, hash: hash) }
    }

    @discardableResult
    private func produce(_ path: UnsafeBufferPointer<UInt8>, hash: UInt64) throws -> Int {
        try checkFolders(of: path)
        let (index, inserted) = produced.insert(path)
        // Output paths never collide (validation refuses it); a page handed on twice is a fault.
        guard inserted else { throw FileSystemError.exists(Self.display(directory) + "/" + String(decoding: path, as: UTF8.self)) }
        producedHashes.append(hash)
        return index
    }

    /// The hash the output record lists for the file at `path`, when it has a valid one and the
    /// path is a plain relative path (only such a file can be as the last build left it).
    public func recordedHash(_ path: String) -> UInt64? {
        guard let i = previousRecord.paths.index(of: path), let hash = previousRecord.hashes[i], Self.isSafeRelative(path) else { return nil }
        return hash
    }

    /// `recordedHash(_:)` of each path of `paths`, in order. When the record lists the same
    /// paths in the same order (a build's order is fixed, so most builds do), the hashes are
    /// taken by place instead of looked up by path.
    func recordedHashes(_ paths: PathTable) -> [UInt64?] {
        let record = previousRecord
        guard record.paths == paths else { return paths.indices.map { recordedHash(paths[$0]) } }
        return paths.bytes.withUnsafeBufferPointer { bytes in
            paths.indices.map { i in
                guard let hash = record.hashes[i], Self.isSafeRelative(bytes: UnsafeBufferPointer(rebasing: bytes[paths.range(i)])) else { return nil }
                return hash
            }
        }
    }

    /// The output record: each file once, in the order listed, and its hash (nil when the
    /// line has no valid one: an older record, or a forged one, proves nothing).
    struct Record: Sendable {
        var paths = PathTable()
        var hashes: [UInt64?] = []
    }

    /// The record as the last build left it, read once.
    private lazy var previousRecord: Record = readManifest()

    /// Moves staged files into place, removes stale files, writes the manifest.
    public func commit() throws -> Summary {
        let previous = previousRecord
        let manifestPath = directory + "/" + Self.manifestName
        // The common case: the same files in the same order as last time (a build's order is
        // fixed). Then no file is new and none is to be removed.
        let samePaths = previous.paths == produced
        // Before any file moves, record both the old and the new files: a build killed in the
        // middle leaves nothing the next build does not know it may remove.
        if !samePaths {
            var recorded = previous
            for i in staged {
                let path = produced[i]
                if recorded.paths.insert(path).inserted { recorded.hashes.append(producedHashes[i]) }
            }
            if recorded.paths.count != previous.paths.count {
                try fileSystem.writeAtomically(Self.manifestBytes(recorded.paths, recorded.hashes), to: manifestPath)
            }
        }
        try moveStagedIntoPlace()
        var removed = 0
        var leftAlone: [String] = []
        var emptied = Set<String>()
        for i in previous.paths.indices where !samePaths {
            let path = previous.paths[i]
            guard produced.index(of: path) == nil else { continue }
            guard fileSystem.kind(of: directory + "/" + path) != nil || !Self.isSafeRelative(path) else { continue }  // already gone
            if let hash = previous.hashes[i], Self.isSafeRelative(path), (try? checkFolders(of: path)) != nil,
               fileSystem.kind(of: directory + "/" + path) == .file,
               let bytes = try? fileSystem.read(directory + "/" + path), Fingerprint.ofFile(bytes) == hash {
                try fileSystem.remove(directory + "/" + path)
                removed += 1
                var folder = path
                while let slash = folder.lastIndex(of: "/") {
                    folder = String(folder[..<slash])
                    emptied.insert(folder)
                }
            } else {
                leftAlone.append(path)
            }
        }
        // A folder left empty by the removals (a batch's e-mail drafts) goes too; deepest first,
        // real folders only (checked above), and never one that still holds anything.
        for folder in emptied.sorted(by: { $0.count != $1.count ? $0.count > $1.count : Text.codePointLess($0, $1) }) {
            let full = directory + "/" + folder
            if fileSystem.kind(of: full) == .directory, (try? fileSystem.entries(in: full))?.isEmpty == true { try? fileSystem.remove(full) }
        }
        let unchanged = samePaths && fileSystem.kind(of: manifestPath) == .file
            && previous.hashes.elementsEqual(producedHashes) { $0 == $1 }
        if !unchanged {
            try fileSystem.writeAtomically(Self.manifestBytes(produced, producedHashes.map(Optional.some)), to: manifestPath)
        }
        abort()
        return Summary(pages: produced.count, changed: staged.count, removed: removed, leftAlone: leftAlone.sorted(by: Text.codePointLess))
    }

    /// Moves every staged file into place. A staged folder that Output/ does not have yet moves
    /// whole, in one rename (a cold build's `interactions/` holds 583,000 files at L; a new
    /// batch's e-mail drafts are a folder of their own): everything in the staging folder is a
    /// file this build staged, so the folder holds nothing else. Other files move one by one.
    func moveStagedIntoPlace() throws {
        var movedWhole = Set<String>()
        // Whether Output/ had each folder (a relative path) when the commit began.
        var existed: [String: Bool] = [:]
        // Per folder of a staged file: whether the file moved with a folder moved whole.
        var movedWith: [String: Bool] = ["": false]
        func decide(_ parent: String) throws -> Bool {
            if let known = movedWith[parent] { return known }
            var folder = ""
            var moved = false
            for part in parent.split(separator: "/") {
                folder = folder.isEmpty ? String(part) : folder + "/" + part
                if movedWhole.contains(folder) { moved = true; break }
                let there: Bool
                if let known = existed[folder] {
                    there = known
                } else {
                    // Looked at again, not taken from `checkFolders`' memory: a folder that was
                    // not there when its first page was staged may be a link by now.
                    switch fileSystem.kind(of: directory + "/" + folder) {
                    case nil: there = false
                    case .directory?: there = true
                    case .symlink?, .file?:
                        throw Confinement.Violation(message: "\(Self.display(directory))/\(folder) is no longer a real folder; a build never writes through a link (remove it)")
                    }
                    existed[folder] = there
                }
                if !there {
                    try fileSystem.rename(staging + "/" + folder, to: directory + "/" + folder)
                    movedWhole.insert(folder)
                    moved = true
                    break
                }
            }
            movedWith[parent] = moved
            return moved
        }
        var lastParent = "", lastMoved = false
        for i in staged {
            let path = produced[i]
            try checkFolders(of: path)
            let parent = path.utf8.lastIndex(of: UInt8(ascii: "/")).map { String(path[..<$0]) } ?? ""
            if parent != lastParent {
                lastParent = parent
                lastMoved = try decide(parent)
            }
            if !lastMoved, try fileSystem.replaceFile(staging + "/" + path, to: directory + "/" + path) { remover.remove(staging + "/" + path) }
        }
    }

    /// One line per file, in the order given (a build produces its files in a fixed order).
    static func manifestBytes(_ entries: [(path: String, hash: UInt64?)]) -> [UInt8] {
        var out: [UInt8] = []
        for (path, hash) in entries { appendLine(hash, to: &out) { $0.append(contentsOf: path.utf8) } }
        return out
    }

    /// One line per file: `hashes[i]` is that of `paths[i]`.
    static func manifestBytes(_ paths: PathTable, _ hashes: [UInt64?]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(paths.bytes.count + hashes.count * 18)
        for (i, hash) in hashes.enumerated() { appendLine(hash, to: &out) { paths.append(i, to: &$0) } }
        return out
    }

    /// `HASH PATH\n`, sixteen dashes for a file without a hash.
    private static func appendLine(_ hash: UInt64?, to out: inout [UInt8], path: (inout [UInt8]) -> Void) {
        if let hash { RecordLines.appendHex(hash, width: 16, to: &out) } else { out.append(contentsOf: repeatElement(0x2D, count: 16)) }
        out.append(0x20)
        path(&out)
        out.append(0x0A)
    }

    /// Every folder between the output folder and `path` is a real folder (or does not exist yet).
    func checkFolders(of path: String) throws {
        var path = path
        try path.withUTF8 { try checkFolders(of: $0) }
    }

    private func checkFolders(of path: UnsafeBufferPointer<UInt8>) throws {
        guard let slash = path.lastIndex(of: UInt8(ascii: "/")) else { return }
        // Pages come folder by folder: most paths are in the folder of the one before.
        if let last = lastFolder, Self.isIn(path, folder: last) { return }
        let folder = String(decoding: path[..<slash], as: UTF8.self)
        if realFolders.contains(folder) { lastFolder = folder; return }
        var current = ""
        for part in folder.split(separator: "/") {
            current = current.isEmpty ? String(part) : current + "/" + part
            if realFolders.contains(current) { continue }
            switch fileSystem.kind(of: directory + "/" + current) {
            case .directory?, nil: realFolders.insert(current)
            case .symlink?:
                throw Confinement.Violation(message: "\(Self.display(directory))/\(current) is a symbolic link; a build never writes, reads or deletes through one (remove it)")
            case .file?:
                throw Confinement.Violation(message: "\(Self.display(directory))/\(current) is a file where the build needs a folder (remove it)")
            }
        }
        lastFolder = folder
    }

    /// Whether `path`'s folder is `folder` (bytes compared, no string made).
    static func isIn(_ path: String, folder: String) -> Bool {
        var path = path
        return path.withUTF8 { isIn($0, folder: folder) }
    }

    static func isIn(_ p: UnsafeBufferPointer<UInt8>, folder: String) -> Bool {
        var folder = folder
        return folder.withUTF8 { f in
            guard p.count > f.count, p[f.count] == UInt8(ascii: "/"), f.isEmpty || memcmp(p.baseAddress!, f.baseAddress!, f.count) == 0 else { return false }
            return !p[(f.count + 1)...].contains(UInt8(ascii: "/"))
        }
    }

    static func display(_ directory: String) -> String {
        String(directory.split(separator: "/").last ?? "Output")
    }

    /// Drops the staging folder; Output/ stays as it was.
    public func abort() {
        remover.finish()
        if stager.reset() || fileSystem.kind(of: staging) != nil { try? removeTree(staging) }
    }

    /// The number of files the manifest lists when every one of them is present, else nil.
    /// - Parameters:
    ///   - folders: the folders as the last build left them (`folderRecords`); a file in one
    ///     that is still so, and inside folders that are, is there: a file removed, added or
    ///     replaced by a link changes its folder's time. The files of other folders are looked at.
    ///   - written: when that record was written; a folder changed in that clock tick or later
    ///     proves nothing by its time ("racy", as git calls it).
    func ownedFilesIfComplete(folders: [BuildState.Folder] = [], written: Int64 = .min) -> Int? {
        guard fileSystem.kind(of: directory + "/" + Self.manifestName) == .file else { return nil }
        let owned = readManifest().paths
        for i in owned.indices where !Self.isSafeRelative(owned[i]) { return nil }
        // A manifest changed since the record was written (a checkout, an edit) may list files
        // the folders never held: then every file is looked at.
        let manifestTime = fileSystem.modificationTime(directory + "/" + Self.manifestName) ?? .max
        let folders = manifestTime < written ? folders : []
        let now = fileSystem.statuses(of: folders.map(\.path), under: directory)
        var unchanged = Set<String>()
        for (folder, status) in zip(folders, now) {
            guard let status, status.kind == .directory, status.changed != 0, status.changed == folder.changed,
                  status.inode == folder.inode, folder.changed < written else { continue }
            let parent = folder.path.lastIndex(of: "/").map { String(folder.path[..<$0]) }
            if parent == nil || unchanged.contains(parent!) { unchanged.insert(folder.path) }
        }
        // The rest folder by folder on every core, never through a link (784,692 files at L:
        // one `lstat` each from the top took 2.6 s).
        var look: [Int] = []
        owned.bytes.withUnsafeBufferPointer { all in
            var folder = 0..<0, trusted = false
            for i in owned.indices {
                let here = owned.folderRange(i)
                if here.count != folder.count || !all[here].elementsEqual(all[folder]) {
                    folder = here
                    trusted = !here.isEmpty && unchanged.contains(String(decoding: all[here], as: UTF8.self))
                }
                if !trusted { look.append(i) }
            }
        }
        let found = fileSystem.statuses(of: owned, at: look, under: directory)
        guard found.allSatisfy({ $0?.kind == .file }) else { return nil }
        return owned.count
    }

    /// Every folder below the output's top that holds one of `paths` or a folder that does, as
    /// it is now, sorted by path (the record `ownedFilesIfComplete` trusts).
    func folderRecords(of paths: PathTable) -> [BuildState.Folder] {
        var names = Set<String>()
        paths.bytes.withUnsafeBufferPointer { all in
            var last = 0..<0
            for i in paths.indices {
                // Paths come in runs of one folder: a name is made when the folder changes.
                let here = paths.folderRange(i)
                if here.isEmpty || (here.count == last.count && all[here].elementsEqual(all[last])) { continue }
                last = here
                var folder = String(decoding: all[here], as: UTF8.self)
                while names.insert(folder).inserted, let up = folder.lastIndex(of: "/") { folder = String(folder[..<up]) }
            }
        }
        let sorted = names.sorted(by: Text.codePointLess)
        return zip(sorted, fileSystem.statuses(of: sorted, under: directory)).compactMap { path, status in
            guard let status, status.kind == .directory, status.changed != 0 else { return nil }
            return BuildState.Folder(path: path, changed: status.changed, inode: status.inode)
        }
    }

    /// The record of the last build: (hash, path) per line, each path once (its first line).
    func readManifest() -> Record {
        let path = directory + "/" + Self.manifestName
        guard fileSystem.kind(of: path) == .file, let bytes = try? fileSystem.read(path) else { return Record() }
        var record = Record(paths: PathTable(capacity: bytes.count / 48), hashes: [])
        record.hashes.reserveCapacity(bytes.count / 48)
        RecordLines.forEach(bytes) { line in
            let (first, rest) = RecordLines.field(line)
            let (path, hash): (ArraySlice<UInt8>, UInt64?)
            if let rest, first.count == 16, let h = RecordLines.hex(first) {
                (path, hash) = (rest, h)
            } else {
                (path, hash) = (rest != nil && first.allSatisfy({ $0 == 0x2D }) ? rest! : line, nil)
            }
            if record.paths.insert(path).inserted { record.hashes.append(hash) }
        }
        return record
    }

    /// A plain relative path: no leading `/`, no empty, `.` or `..` part, no control characters.
    static func isSafeRelative(_ path: String) -> Bool { isSafeRelative(bytes: path.utf8) }

    static func isSafeRelative<Bytes: Sequence<UInt8>>(bytes path: Bytes) -> Bool {
        // On the bytes, without splitting: the record lists every file of the site (784,000 at L).
        var part = 0  // bytes in the current part; -1 and -2 after a part "." or ".." so far
        var empty = true
        for b in path {
            if b < 0x20 || b == 0x7F { return false }
            if b == 0x2F {
                if empty || part < 0 { return false }
                part = 0
                empty = true
                continue
            }
            if b == 0x2E, part <= 0, part > -2 { part -= 1 } else { part = part < 0 ? 1 - part : part + 1 }
            empty = false
        }
        return !empty && part > 0
    }

    func removeTree(_ path: String) throws { try Stager.removeTree(path, fileSystem) }
}

/// The staging folder, written from any thread: made (afresh) on the first file, each folder
/// in it made once.
private final class Stager: @unchecked Sendable {
    let fileSystem: FileSystem
    let folder: String
    private let lock = NSLock()
    private var ready = false
    private var folders = Set<String>()

    init(fileSystem: FileSystem, folder: String) {
        self.fileSystem = fileSystem
        self.folder = folder
    }

    func stage(_ bytes: [UInt8], _ path: String) throws {
        let staged = folder + "/" + path
        let parent = staged.lastIndex(of: "/").map { String(staged[..<$0]) } ?? folder
        try lock.withLock {
            if !ready {
                if fileSystem.kind(of: folder) != nil { try Self.removeTree(folder, fileSystem) }
                try fileSystem.createDirectory(folder)
                ready = true
                folders = [folder]
            }
            if folders.insert(parent).inserted { try fileSystem.createDirectory(parent) }
        }
        // Written in place: the staging folder is this build's own, and a file cut short
        // there is never moved into Output/ (one name and one rename a file fewer).
        try fileSystem.writeNew(bytes, to: staged)
    }

    /// Forgets the folder (true when it was made).
    func reset() -> Bool {
        lock.withLock {
            defer { ready = false; folders = [] }
            return ready
        }
    }

    static func removeTree(_ path: String, _ fileSystem: FileSystem) throws {
        if fileSystem.kind(of: path) == .directory {
            for e in (try? fileSystem.entries(in: path)) ?? [] { try removeTree(path + "/" + e.name, fileSystem) }
        }
        try fileSystem.remove(path)
    }
}
