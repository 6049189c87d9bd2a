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

    /// The last build's pages, and for each the record when its file is as that build left it.
    private let last: PathTable
    private let intact: [Intact?]
    /// Each page of this build in build order: its signature, and its record when it was kept.
    private var signatures: [UInt64] = []
    private var keptPages: [BuildState.Page?] = []
    private(set) var rendered = 0
    /// How many pages the last build recorded.
    var lastCount: Int { last.count }

    /// Nothing is kept (`build --force`, or no earlier build).
    init() {
        last = PathTable()
        intact = []
    }

    /// - Parameters:
    ///   - recorded: the hash the output record lists for each of the paths (only files it
    ///     lists with a hash, at plain relative paths, can be kept).
    init(previous: BuildState, recorded: (PathTable) -> [UInt64?], directory: String, fileSystem: FileSystem) {
        // The record lists pages in build order, so a folder's pages come in runs: each folder
        // is opened once for a run of its pages.
        let paths = previous.paths
        let hashes = recorded(paths)
        let looked = paths.indices.filter { hashes[$0] != nil }
        let statuses = fileSystem.statuses(of: paths, at: looked, under: directory)
        var intact = [Intact?](repeating: nil, count: paths.count)
        for (i, status) in zip(looked, statuses) {
            guard let page = previous.pages[i], let status, status.kind == .file, status.size == page.size, status.modified == page.modified else { continue }
            intact[i] = Intact(page: page, hash: hashes[i]!)
        }
        last = paths
        self.intact = intact
        signatures.reserveCapacity(paths.count)
        keptPages.reserveCapacity(paths.count)
    }

    /// The record of the page at `path` when, made from inputs with this signature, it is on
    /// disk as made from the same inputs (the renderer then does not render it).
    var keep: @Sendable (String, UInt64) -> Intact? {
        let last = self.last, intact = self.intact
        return { path, signature in
            guard let i = last.index(of: path), let page = intact[i], page.page.signature == signature else { return nil }
            return page
        }
    }

    /// The places of the last build's pages that a run of pages of this build can keep as they
    /// are: the page at `first` and those after it, when each is on disk as made from inputs
    /// with the signature given for it (in order), and `isPath(path, k)` says the k-th page's
    /// path is the one there. A batch's 50 files or 5,000 e-mail drafts are kept so without a
    /// path made for each.
    var keepRun: @Sendable (String, [UInt64], (UnsafeBufferPointer<UInt8>, Int) -> Bool) -> Range<Int>? {
        let last = self.last, intact = self.intact
        return { first, signatures, isPath in
            guard let start = last.index(of: first), start + signatures.count <= last.count else { return nil }
            for k in signatures.indices {
                guard let page = intact[start + k], page.page.signature == signatures[k] else { return nil }
            }
            for k in signatures.indices where !last.withPath(start + k, { isPath($0, k) }) { return nil }
            return start..<(start + signatures.count)
        }
    }

    /// The hash on record for the page at a path when its file is as the last build left it
    /// (for any thread: the table is never changed).
    var intactHashes: @Sendable (String) -> UInt64? {
        let last = self.last, intact = self.intact
        return { path in last.index(of: path).flatMap { intact[$0]?.hash } }
    }

    /// A page rendered (and handed to the writer).
    mutating func rendered(signature: UInt64) {
        rendered += 1
        signatures.append(signature)
        keptPages.append(nil)
    }

    /// A page kept (`keep` gave its record).
    mutating func kept(signature: UInt64, record: Intact) {
        signatures.append(signature)
        keptPages.append(record.page)
    }

    /// A run of pages kept (`keepRun` gave their places): `each` is told each one's path and
    /// the hash on record, in order.
    mutating func kept(run: Range<Int>, _ each: (UnsafeBufferPointer<UInt8>, UInt64) throws -> Void) rethrows {
        for i in run {
            let record = intact[i]!
            signatures.append(record.page.signature)
            keptPages.append(record.page)
            try last.withPath(i) { try each($0, record.hash) }
        }
    }

    /// The records of this build's pages once they are in place, for the state: `paths` are
    /// this build's pages in build order (the writer's list, told in the same order as here).
    /// A kept page keeps its record; a rendered one is looked at for its size and modification
    /// time. Pages without a signature (the overview, which is always rendered) have none.
    func records(of paths: PathTable, in directory: String, fileSystem: FileSystem) -> [BuildState.Page?] {
        precondition(paths.count == signatures.count)
        return paths.indices.map { i in
            guard signatures[i] != 0 else { return nil }
            if let kept = keptPages[i] { return kept }
            guard let status = fileSystem.status(directory + "/" + paths[i]), status.kind == .file else { return nil }
            return BuildState.Page(signature: signatures[i], size: status.size, modified: status.modified)
        }
    }
}
