/// Where a build keeps the rows of its long pages (a sheet's members, its labels) for the
/// next build (`RowSplice`): one small file per page in `.segmark-cache/rows` under the
/// workspace (beside the parse cache; not in Output/, which is published), named by a hash of
/// the output folder and the page's path.
///
/// Only a shortcut: a record is used only when the page on disk is as the last build left it
/// (its size and time on record, `KeptPages`) and its bytes hash to what the record says; any
/// doubt and the rows render. A cache folder that is a symbolic link is neither read nor written.
struct RowRecords: Sendable {
    let fileSystem: FileSystem
    let folder: String
    let output: String
    /// The hash the output record lists for a page whose file is as the last build left it.
    let intact: @Sendable (String) -> UInt64?
    /// Whether records of the last build may be read (not after `--force`).
    let reuse: Bool

    static let folderName = "rows"

    /// Nil when the cache folder cannot be made a real folder.
    init?(fileSystem: FileSystem, root: String, output: String, reuse: Bool, intact: @escaping @Sendable (String) -> UInt64?) {
        let cache = root + "/" + ParseCache.folderName, folder = cache + "/" + Self.folderName
        for path in [cache, folder] {
            switch fileSystem.kind(of: path) {
            case nil: guard (try? fileSystem.createDirectory(path)) != nil, fileSystem.kind(of: path) == .directory else { return nil }
            case .directory?: break
            default: return nil
            }
        }
        (self.fileSystem, self.folder, self.output, self.reuse, self.intact) = (fileSystem, folder, output, reuse, intact)
    }

    func file(_ path: String) -> String {
        var f = Fingerprint()
        f.add(output)
        f.add(path)
        return folder + "/" + f.hex
    }

    /// The last build's record of the page at `path` and the page's bytes, when both can be
    /// trusted: the page is as the last build left it (its size and time on record) and the
    /// output record lists the record's hash for it, so the bytes are the page recorded. A build writes a page's record before the page itself, so a record newer than
    /// its page was not written by a build (one committed in a pull request gets the time of
    /// the checkout) and is not used.
    func last(_ path: String) -> (record: RowSplice.Record, bytes: [UInt8])? {
        guard reuse, let hash = intact(path), let stamp = fileSystem.status(file(path)), stamp.kind == .file,
              let page = fileSystem.status(output + "/" + path), page.kind == .file, stamp.modified <= page.modified,
              let data = try? fileSystem.read(file(path)), let record = RowSplice.Record(data), record.file == hash,
              page.size == record.size, let bytes = try? fileSystem.read(output + "/" + path) else { return nil }
        return (record, bytes)
    }

    /// Keeps this build's record of a page (none: the old one goes). A page whose bytes are
    /// those on disk is not written again, and its record stays as it is (older than the page).
    func save(_ path: String, _ record: RowSplice.Record?) {
        if let record, record.file == intact(path), fileSystem.kind(of: file(path)) == .file { return }
        if let record {
            try? fileSystem.writeAtomically(record.bytes, to: file(path))
        } else if fileSystem.kind(of: file(path)) == .file {
            try? fileSystem.remove(file(path))
        }
    }
}
