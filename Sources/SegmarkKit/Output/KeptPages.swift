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
        // The record lists pages in build order, so a folder's pages come in runs; a run is
        // cut in pieces so that the 200,000 contact pages of L spread across cores.
        var pieces: [(folder: String, names: [String], records: [(path: String, page: BuildState.Page, hash: UInt64)])] = []
        for (path, page) in previous.records {
            guard let hash = recorded[path] else { continue }
            let slash = path.lastIndex(of: "/")
            let folder = slash.map { String(path[..<$0]) } ?? ""
            let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
            if let last = pieces.last, last.folder == folder, last.names.count < 2048 {
                pieces[pieces.count - 1].names.append(name)
                pieces[pieces.count - 1].records.append((path, page, hash))
            } else {
                pieces.append((folder, [name], [(path, page, hash)]))
            }
        }
        let all = pieces
        let found = parallelMap(all.count, itemsPerWorker: 1) { i -> [(String, Intact)] in
            let piece = all[i]
            let statuses = fileSystem.statuses(in: piece.folder.isEmpty ? directory : directory + "/" + piece.folder, names: piece.names)
            return zip(piece.records, statuses).compactMap { record, status in
                guard let status, status.kind == .file, status.size == record.page.size, status.modified == record.page.modified else { return nil }
                return (record.path, Intact(page: record.page, hash: record.hash))
            }
        }
        var out: [String: Intact] = Dictionary(minimumCapacity: previous.records.count)
        for list in found { for (path, page) in list { out[path] = page } }
        intact = out
    }

    /// Whether the page at `path`, made from inputs with this signature, is on disk as made
    /// from the same inputs (the renderer then does not render it).
    var keep: @Sendable (String, UInt64) -> Bool {
        let intact = self.intact
        return { path, signature in intact[path]?.page.signature == signature }
    }

    /// The hash on record for the page at `path` when its file is as the last build left it.
    func intactHash(_ path: String) -> UInt64? { intact[path]?.hash }

    /// A page rendered (and handed to the writer).
    mutating func rendered(_ path: String, signature: UInt64) {
        rendered += 1
        made.append((path, signature, nil))
    }

    /// A page kept: the hash the output record lists for it (for the writer's new record).
    mutating func kept(_ path: String, signature: UInt64) throws -> UInt64 {
        guard let page = intact[path] else { throw Confinement.Violation(message: "internal error: \(path) was kept but is not on record") }
        made.append((path, signature, page.page))
        return page.hash
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
