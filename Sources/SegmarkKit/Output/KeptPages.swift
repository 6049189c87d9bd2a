/// Between one build and the next: which pages of the last build are on disk as it left them
/// and may be kept, and the page records (`BuildState`) this build leaves for the next one.
///
/// Before rendering it looks at every page the last build recorded (one `fstatat` a page, each
/// folder opened once, across cores); a page is kept when its signature is the one on record
/// and its file still has the size and modification time on record (whoever edits `Output/`
/// by hand changes one of them, and the page is rendered again). While rendering, the build
/// tells it what became of each page, in build order.
struct KeptPages {
    /// A page on disk as the last build left it: its record, and the hash the output record lists.
    struct Intact: Sendable {
        var page: BuildState.Page
        var hash: UInt64
    }

    private let intact: [String: Intact]
    /// Each page in build order with its signature, and its record when it was kept.
    private var made: [(path: String, signature: UInt64, kept: BuildState.Page?)] = []
    private(set) var rendered = 0

    /// Nothing is kept (`build --force`, or no earlier build).
    init() { intact = [:] }

    /// - Parameters:
    ///   - recorded: path → hash of the files the output record lists (only those can be kept:
    ///     their paths are plain relative paths).
    init(previous: BuildState, recorded: [String: UInt64], directory: String, fileSystem: FileSystem) {
        // The record lists pages in build order, so a folder's pages come in runs: each folder
        // is opened once for a run of its pages.
        let records = previous.records.compactMap { path, page in recorded[path].map { (path: path, page: page, hash: $0) } }
        let statuses = fileSystem.statuses(of: records.map(\.path), under: directory)
        var out: [String: Intact] = Dictionary(minimumCapacity: records.count)
        for (record, status) in zip(records, statuses) {
            guard let status, status.kind == .file, status.size == record.page.size, status.modified == record.page.modified else { continue }
            out[record.path] = Intact(page: record.page, hash: record.hash)
        }
        intact = out
    }

    /// The record of the page at `path` when, made from inputs with this signature, it is on
    /// disk as made from the same inputs (the renderer then does not render it).
    var keep: @Sendable (String, UInt64) -> Intact? {
        let intact = self.intact
        return { path, signature in
            guard let page = intact[path], page.page.signature == signature else { return nil }
            return page
        }
    }

    /// The hash on record for the page at a path when its file is as the last build left it
    /// (for any thread: the table is never changed).
    var intactHashes: @Sendable (String) -> UInt64? {
        let intact = self.intact
        return { intact[$0]?.hash }
    }

    /// A page rendered (and handed to the writer).
    mutating func rendered(_ path: String, signature: UInt64) {
        rendered += 1
        made.append((path, signature, nil))
    }

    /// A page kept (`keep` gave its record).
    mutating func kept(_ path: String, signature: UInt64, record: Intact) {
        made.append((path, signature, record.page))
    }

    /// The records of this build's pages, in build order, once they are in place: a kept page
    /// keeps its record; a rendered one is looked at for its size and modification time.
    /// Pages without a signature (the overview, which is always rendered) have none.
    func records(in directory: String, fileSystem: FileSystem) -> [(path: String, page: BuildState.Page)] {
        var pages: [(path: String, page: BuildState.Page)] = []
        pages.reserveCapacity(made.count)
        for (path, signature, kept) in made where signature != 0 {
            if let kept {
                pages.append((path, kept))
                continue
            }
            guard let status = fileSystem.status(directory + "/" + path), status.kind == .file else { continue }
            pages.append((path, BuildState.Page(signature: signature, size: status.size, modified: status.modified)))
        }
        return pages
    }
}
