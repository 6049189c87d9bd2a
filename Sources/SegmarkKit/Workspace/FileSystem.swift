#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The file-system seam: every stage reads and writes through it, so tests can inject one.
public protocol FileSystem: Sendable {
    func read(_ path: String) throws -> [UInt8]
    /// Entries of a folder, sorted bytewise by name.
    func entries(in directory: String) throws -> [DirectoryEntry]
    func kind(of path: String) -> FileKind?
    func realPath(_ path: String) -> String?
    /// Writes through a temporary file in the same folder and a rename: readers see old or new bytes.
    func writeAtomically(_ bytes: [UInt8], to path: String) throws
    /// Creates a new file; fails with `FileSystemError.exists` when the path exists. Atomic (a
    /// temporary file, then a rename that refuses to replace, or a link).
    func createExclusively(_ bytes: [UInt8], at path: String) throws
    /// Creates a new file and writes it in place, with no temporary name: only for a folder no
    /// reader looks at (a build's staging folder, made afresh by each build), where a file cut
    /// short is thrown away with the folder. Fails when the path exists (a link too).
    func writeNew(_ bytes: [UInt8], to path: String) throws
    func createDirectory(_ path: String) throws
    func remove(_ path: String) throws
    func rename(_ from: String, to: String) throws
    /// Moves the regular file `from` to `to`, replacing a file there in one step for readers
    /// (as `rename` does); fails, and moves nothing, when `to` is a folder. True when the file
    /// replaced was swapped to `from` instead of removed: the caller removes it.
    func replaceFile(_ from: String, to: String) throws -> Bool
    /// Modification time in nanoseconds (tests use it to prove a no-change build touches nothing).
    func modificationTime(_ path: String) -> Int64?
    /// The size in bytes, when known without reading the file.
    func fileSize(_ path: String) -> Int?
    /// Kind, size, times and inode of a path in one look, never through a symbolic link.
    func status(_ path: String) -> FileStatus?
    /// The status of each name (a plain name, no `/`) in one folder, nil where there is none;
    /// all nil when the folder cannot be opened or is a symbolic link.
    func statuses(in directory: String, names: [String]) -> [FileStatus?]
    /// The status of each listed path of `table` (relative to `root`), in order, as
    /// `statuses(of:under:)` looks them up.
    func statuses(of table: PathTable, at indices: [Int], under root: String) -> [FileStatus?]
    /// Whether the regular file at `path` (relative to the folder `root`) holds exactly
    /// `bytes`. No symbolic link is followed on the way (a folder that is one answers false),
    /// nothing but a regular file of the same size is read, and any doubt answers false.
    func holds(_ bytes: [UInt8], at path: String, under root: String) -> Bool
}

/// What one `lstat` tells about a path (a symbolic link is reported as such, never followed).
public struct FileStatus: Sendable, Equatable {
    public var kind: FileKind
    public var size: Int
    public var modified: Int64
    /// When the file's inode last changed (nanoseconds; 0 when unknown): no tool can set it, so
    /// a file put back with an old modification time (`tar`, `cp -p`) still looks changed.
    public var changed: Int64 = 0
    /// The inode number (0 when unknown): a file replaced by a rename is another file.
    public var inode: UInt64 = 0
}

extension FileSystem {
    public func fileSize(_ path: String) -> Int? { nil }

    public func writeNew(_ bytes: [UInt8], to path: String) throws { try createExclusively(bytes, at: path) }

    public func replaceFile(_ from: String, to: String) throws -> Bool {
        try rename(from, to: to)
        return false
    }

    /// As the real file system answers, through `status` and `read` (for file systems of tests).
    public func holds(_ bytes: [UInt8], at path: String, under root: String) -> Bool {
        var folder = root
        for part in path.split(separator: "/", omittingEmptySubsequences: false).dropLast() {
            folder += "/" + part
            guard status(folder)?.kind == .directory else { return false }
        }
        let full = root + "/" + path
        guard let found = status(full), found.kind == .file, found.size < 0 || found.size == bytes.count else { return false }
        return (try? read(full)) == bytes
    }

    /// Kind, size and modification time in one look (one system call on the real file system).
    public func status(_ path: String) -> FileStatus? {
        guard let kind = kind(of: path) else { return nil }
        return FileStatus(kind: kind, size: fileSize(path) ?? -1, modified: modificationTime(path) ?? -1)
    }

    public func statuses(in directory: String, names: [String]) -> [FileStatus?] {
        guard kind(of: directory) == .directory else { return names.map { _ in nil } }
        return names.map { status(directory + "/" + $0) }
    }
}

extension FileSystem {
    public func statuses(of table: PathTable, at indices: [Int], under root: String) -> [FileStatus?] {
        statuses(of: indices.lazy.map { table[$0] }, under: root)
    }

    /// The status of each path (relative to `root`), in order, looked up folder by folder
    /// (`statuses(in:names:)`: each folder opened once, never through a link) across cores.
    /// Paths whose folders come in runs (a listing, a build's page order) make few pieces; a
    /// run is cut every 2,048 names so that one big folder still spreads across cores.
    public func statuses<Paths: Sequence<String>>(of paths: Paths, under root: String) -> [FileStatus?] {
        var pieces: [(folder: String, names: [String])] = []
        for path in paths {
            let slash = path.lastIndex(of: "/")
            let folder = slash.map { String(path[..<$0]) } ?? ""
            let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
            if let last = pieces.last, last.folder == folder, last.names.count < 2048 {
                pieces[pieces.count - 1].names.append(name)
            } else {
                pieces.append((folder, [name]))
            }
        }
        let all = pieces
        let looked = parallelMap(all.count, itemsPerWorker: 1) { p in
            statuses(in: all[p].folder.isEmpty ? root : root + "/" + all[p].folder, names: all[p].names)
        }
        return Array(looked.joined())
    }
}

public enum FileKind: Sendable { case file, directory, symlink }

public struct DirectoryEntry: Sendable, Equatable {
    public var name: String
    public var kind: FileKind
}

public enum FileSystemError: Error, Sendable, CustomStringConvertible, Equatable {
    case exists(String)
    case io(String, String)

    public var description: String {
        switch self {
        case .exists(let p): return "\(p) already exists"
        case .io(let p, let m): return "\(p): \(m)"
        }
    }
}

/// The real file system, through POSIX calls.
public struct LocalFileSystem: FileSystem {
    public init() {}

    static func errnoMessage() -> String { String(cString: strerror(errno)) }

    public func read(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw FileSystemError.io(path, Self.errnoMessage()) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw FileSystemError.io(path, Self.errnoMessage()) }
        // Read exactly the size fstat reports (no spare capacity: a workspace holds 100,000
        // of these at once), then keep reading in case the file grew meanwhile.
        var result = [UInt8](repeating: 0, count: Int(st.st_size))
        var total = 0
        while total < result.count {
            let n = result.withUnsafeMutableBytes { buf in Glibc.read(fd, buf.baseAddress! + total, buf.count - total) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileSystemError.io(path, Self.errnoMessage())
            }
            if n == 0 { break }
            total += n
        }
        if total < result.count { result.removeSubrange(total...) }
        // Grown since fstat? Probe one byte on the stack; only then read on in chunks.
        var probe: UInt8 = 0
        while total == result.count {
            let n = Glibc.read(fd, &probe, 1)
            if n < 0 {
                if errno == EINTR { continue }
                throw FileSystemError.io(path, Self.errnoMessage())
            }
            if n == 0 { break }
            result.append(probe)
            total += 1
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let m = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
                if m < 0 {
                    if errno == EINTR { continue }
                    throw FileSystemError.io(path, Self.errnoMessage())
                }
                if m == 0 { break }
                result.append(contentsOf: chunk[0..<m])
                total += m
            }
        }
        return result
    }

    public func entries(in directory: String) throws -> [DirectoryEntry] {
        guard let dir = opendir(directory) else { throw FileSystemError.io(directory, Self.errnoMessage()) }
        defer { closedir(dir) }
        var out: [DirectoryEntry] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            let kind: FileKind
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_DIR): kind = .directory
            case Int32(DT_LNK): kind = .symlink
            case Int32(DT_REG): kind = .file
            default:
                guard let k = self.kind(of: directory + "/" + name) else { continue }
                kind = k
            }
            out.append(DirectoryEntry(name: name, kind: kind))
        }
        return out.sorted { Text.codePointLess($0.name, $1.name) }
    }

    public func kind(of path: String) -> FileKind? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        switch st.st_mode & S_IFMT {
        case S_IFDIR: return .directory
        case S_IFLNK: return .symlink
        default: return .file
        }
    }

    public func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }

    func temporaryPath(for path: String) -> String {
        // Split at the last "/" by hand: NSString's path methods copy through UTF-16, and an
        // import makes 100,000 of these.
        let slash = path.utf8.lastIndex(of: UInt8(ascii: "/"))
        let dir = slash.map { String(path[..<$0]) } ?? ""
        let name = slash.map { String(path[path.utf8.index(after: $0)...]) } ?? path
        return (dir.isEmpty ? (slash == nil ? "." : "") : dir) + "/.\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
    }

    public func writeNew(_ bytes: [UInt8], to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileSystemError.io(path, Self.errnoMessage()) }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, bytes.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                let message = Self.errnoMessage()
                close(fd)
                unlink(path)
                throw FileSystemError.io(path, message)
            }
            written += n
        }
        guard close(fd) == 0 else { throw FileSystemError.io(path, Self.errnoMessage()) }
    }

    public func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        let tmp = temporaryPath(for: path)
        try writeNew(bytes, to: tmp)
        guard Glibc.rename(tmp, path) == 0 else {
            let message = Self.errnoMessage()
            unlink(tmp)
            throw FileSystemError.io(path, message)
        }
    }

    /// `renameat2`, looked up at run time (Swift's Glibc module does not declare it).
    typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>?, Int32, UnsafePointer<CChar>?, UInt32) -> Int32
    static let renameat2: RenameAt2? = {
        guard let symbol = dlsym(nil, "renameat2") else { return nil }
        return unsafeBitCast(symbol, to: RenameAt2.self)
    }()

    public func createExclusively(_ bytes: [UInt8], at path: String) throws {
        let tmp = temporaryPath(for: path)
        try writeNew(bytes, to: tmp)
        // A rename that refuses to replace (RENAME_NOREPLACE): two operations on the folder
        // where link and unlink take three (an import creates 100,000 files in one folder).
        if let rename = Self.renameat2 {
            if rename(AT_FDCWD, tmp, AT_FDCWD, path, 1) == 0 { return }
            let code = errno
            if code != EINVAL && code != ENOSYS {  // else: the file system cannot; link below
                unlink(tmp)
                if code == EEXIST { throw FileSystemError.exists(path) }
                throw FileSystemError.io(path, String(cString: strerror(code)))
            }
        }
        defer { unlink(tmp) }
        guard link(tmp, path) == 0 else {
            if errno == EEXIST { throw FileSystemError.exists(path) }
            throw FileSystemError.io(path, Self.errnoMessage())
        }
    }

    public func createDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw FileSystemError.io(path, "cannot create folder")
        }
    }

    public func remove(_ path: String) throws {
        if unlink(path) != 0 {
            if errno == ENOENT { return }
            if errno == EISDIR || errno == EPERM {
                if rmdir(path) == 0 { return }
            }
            throw FileSystemError.io(path, Self.errnoMessage())
        }
    }

    public func rename(_ from: String, to: String) throws {
        guard Glibc.rename(from, to) == 0 else { throw FileSystemError.io(to, Self.errnoMessage()) }
    }

    /// A file already at `to` is swapped with `from` (`RENAME_EXCHANGE`) and left there for
    /// the caller to unlink: readers see the old file or the new, as with a rename. A rename over
    /// an existing file makes ext4 start writing the new file's data out at once, under the
    /// folder's lock (`auto_da_alloc`, its guard for programs that replace files without
    /// `fsync`): after a segment's description changed at 100,000 contacts, 40,000 pages are
    /// replaced, and that took 4.3 s of the build (`perf`). Output pages need no such guard:
    /// they are made from the content, and `build --force` makes one cut short by a power
    /// loss again. Where nothing is at `to`, or the file system cannot swap, this is a plain
    /// rename.
    public func replaceFile(_ from: String, to: String) throws -> Bool {
        var st = stat()
        // A folder at `to` is never swapped out (a rename onto it fails, as it should).
        guard lstat(to, &st) == 0, (st.st_mode & S_IFMT) != S_IFDIR, let swap = Self.renameat2,
              swap(AT_FDCWD, from, AT_FDCWD, to, 2 /* RENAME_EXCHANGE */) == 0 else {
            try rename(from, to: to)
            return false
        }
        if lstat(from, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
            // A folder came to `to` since the look: put it back, and fail as a rename onto it fails.
            _ = swap(AT_FDCWD, from, AT_FDCWD, to, 2)
            throw FileSystemError.io(to, String(cString: strerror(EISDIR)))
        }
        return true  // the replaced file (or link), now at the staged name
    }

    public func fileSize(_ path: String) -> Int? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Int(st.st_size)
    }

    public func modificationTime(_ path: String) -> Int64? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
    }

    public func status(_ path: String) -> FileStatus? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        return Self.status(st)
    }

    /// The folder is opened once (never through a symbolic link) and each name looked up in it:
    /// the path up to the folder is walked once, not once a name (an incremental build looks
    /// at every page it keeps, 784,000 at L).
    public func statuses(in directory: String, names: [String]) -> [FileStatus?] {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return names.map { _ in nil } }
        defer { close(fd) }
        return names.map { name in
            guard !name.isEmpty, !name.utf8.contains(0x2F) else { return nil }
            return Self.status(of: name, in: fd)
        }
    }

    /// As the generic look, on the table's bytes: no `String` a path, a folder or a name (an
    /// incremental build looks at the 784,692 pages of L so).
    public func statuses(of table: PathTable, at indices: [Int], under root: String) -> [FileStatus?] {
        // Runs of paths in one folder, cut every 2,048 names (see `statuses(of:under:)`).
        var pieces: [(folder: Range<Int>, from: Int, to: Int)] = []
        table.bytes.withUnsafeBufferPointer { all in
            for (n, i) in indices.enumerated() {
                let folder = table.folderRange(i)
                if let last = pieces.last, last.to - last.from < 2048, last.folder.count == folder.count,
                   folder.isEmpty || memcmp(all.baseAddress! + last.folder.lowerBound, all.baseAddress! + folder.lowerBound, folder.count) == 0 {
                    pieces[pieces.count - 1].to = n + 1
                } else {
                    pieces.append((folder, n, n + 1))
                }
            }
        }
        let all = pieces
        let looked = parallelMap(all.count, itemsPerWorker: 1) { p -> [FileStatus?] in
            let piece = all[p]
            let folder = piece.folder.isEmpty ? root : root + "/" + String(decoding: table.bytes[piece.folder], as: UTF8.self)
            let fd = open(folder, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard fd >= 0 else { return Array(repeating: nil, count: piece.to - piece.from) }
            defer { close(fd) }
            var name: [CChar] = []
            return table.bytes.withUnsafeBufferPointer { bytes in
                (piece.from..<piece.to).map { n -> FileStatus? in
                    let r = table.range(indices[n])
                    // The name: after the last slash.
                    var start = r.upperBound
                    while start > r.lowerBound, bytes[start - 1] != 0x2F { start -= 1 }
                    guard start < r.upperBound else { return nil }
                    name.removeAll(keepingCapacity: true)
                    for b in bytes[start..<r.upperBound] {
                        if b == 0 || b == 0x2F { return nil }
                        name.append(CChar(bitPattern: b))
                    }
                    name.append(0)
                    return Self.status(of: name, in: fd)
                }
            }
        }
        return Array(looked.joined())
    }

    public func holds(_ bytes: [UInt8], at path: String, under root: String) -> Bool {
        // Most files a build asks about are not there, or not of this size: one look decides.
        var st = stat()
        guard lstat(root + "/" + path, &st) == 0, st.st_mode & S_IFMT == S_IFREG, Int(st.st_size) == bytes.count else { return false }
        // Then the file is opened folder by folder from `root`, none of them through a link.
        var fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        for (n, part) in parts.enumerated() {
            guard !part.isEmpty, part != ".", part != ".." else { return false }
            let last = n == parts.count - 1
            let next = openat(fd, String(part), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (last ? O_NONBLOCK : O_DIRECTORY))
            guard next >= 0 else { return false }
            close(fd)
            fd = next
        }
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG, Int(st.st_size) == bytes.count else { return false }
        // Compared a chunk at a time: a sheet at L is tens of megabytes.
        let chunk = 1 << 16
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunk, alignment: 16)
        defer { buffer.deallocate() }
        return bytes.withUnsafeBytes { mine in
            var done = 0
            while true {
                let n = Glibc.read(fd, buffer, chunk)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                if n == 0 { return done == mine.count }
                guard done + n <= mine.count, memcmp(mine.baseAddress! + done, buffer, n) == 0 else { return false }
                done += n
            }
        }
    }

    /// The status of a plain name in the open folder `fd`, never through a link.
    private static func status(of name: UnsafePointer<CChar>, in fd: Int32) -> FileStatus? {
        var st = stat()
        guard fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
        return status(st)
    }

    static func status(_ st: stat) -> FileStatus {
        let kind: FileKind
        switch st.st_mode & S_IFMT {
        case S_IFDIR: kind = .directory
        case S_IFLNK: kind = .symlink
        default: kind = .file
        }
        return FileStatus(kind: kind, size: Int(st.st_size), modified: Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec),
                          changed: Int64(st.st_ctim.tv_sec) * 1_000_000_000 + Int64(st.st_ctim.tv_nsec), inode: UInt64(st.st_ino))
    }
}
