/// What the last successful build leaves for the next one, in `Output/.segmark-state` (not a
/// report; ignored by git): fingerprints of its inputs (to stop early when nothing changed)
/// and, per page, the signature of what it was made from with the size and modification time
/// the file had (to keep a page whose inputs did not change without rendering it again).
/// Whoever edits `Output/` by hand changes a file's size or time, and that page is rendered again.
struct BuildState: Sendable {
    var inputs: String?
    var stat: String?
    /// Each page once, in the order the file lists them (the build's page order), and its
    /// record (the last one, where a damaged file lists a path twice; nil: none, the page is
    /// not listed). Paths in one buffer, not a `String` each: at L the file lists 784,692 pages.
    private(set) var paths = PathTable()
    private(set) var pages: [Page?] = []

    struct Page: Sendable, Equatable {
        var signature: UInt64
        var size: Int
        var modified: Int64
    }

    /// A folder of the output (below its top), as the build left it: its inode and when its
    /// entries last changed. While both stay, no file was added to it, removed or replaced.
    struct Folder: Sendable, Equatable {
        var path: String
        var changed: Int64
        var inode: UInt64
    }
    /// Sorted by path, so that a folder comes before the folders inside it.
    var folders: [Folder] = []

    init() {}

    /// - Parameter pages: false to read the fingerprints only (they come first), not the pages.
    init(_ bytes: [UInt8], pages readPages: Bool = true) {
        guard readPages else {
            // The fingerprints are written before the pages: read up to the first page.
            var start = 0
            while start < bytes.count, !bytes[start...].starts(with: "page ".utf8) {
                let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
                let (key, rest) = RecordLines.field(bytes[start..<end])
                if let rest {
                    switch RecordLines.text(key) {
                    case "inputs": inputs = RecordLines.text(rest)
                    case "stat": stat = RecordLines.text(rest)
                    case "folder": readFolder(rest)
                    default: break
                    }
                }
                start = end + 1
            }
            return
        }
        paths = PathTable(capacity: bytes.count / 80)
        pages.reserveCapacity(bytes.count / 80)
        RecordLines.forEach(bytes) { line in
            let (key, rest) = RecordLines.field(line)
            guard let rest else { return }
            switch RecordLines.text(key) {
            case "inputs": inputs = RecordLines.text(rest)
            case "stat": stat = RecordLines.text(rest)
            case "folder": readFolder(rest)
            case "page":
                let (sig, r1) = RecordLines.field(rest)
                guard let r1 else { return }
                let (size, r2) = RecordLines.field(r1)
                guard let r2 else { return }
                let (modified, path) = RecordLines.field(r2)
                guard let path, !path.isEmpty, let signature = RecordLines.hex(sig), let size = RecordLines.integer(size),
                      let modified = RecordLines.integer(modified) else { return }
                let page = Page(signature: signature, size: Int(size), modified: modified)
                let (index, inserted) = paths.insert(path)
                if inserted { pages.append(page) } else { pages[index] = page }
            default: return
            }
        }
    }

    /// `CHANGED INODE PATH`; a line that does not read so, or names no plain relative path, is
    /// left out (its folder is then looked into).
    private mutating func readFolder(_ line: ArraySlice<UInt8>) {
        let (changed, r1) = RecordLines.field(line)
        guard let r1 else { return }
        let (inode, path) = RecordLines.field(r1)
        guard let path, OutputWriter.isSafeRelative(bytes: path), let changed = RecordLines.integer(changed),
              let inode = RecordLines.integer(inode) else { return }
        folders.append(Folder(path: RecordLines.text(path), changed: changed, inode: UInt64(bitPattern: inode)))
    }

    var bytes: [UInt8] {
        var text = ""
        if let inputs { text += "inputs \(inputs)\n" }
        if let stat { text += "stat \(stat)\n" }
        // Before the pages: a build that finds its inputs unchanged reads up to the first page.
        for f in folders { text += "folder \(f.changed) \(Int64(bitPattern: f.inode)) \(f.path)\n" }
        var out = Array(text.utf8)
        // A line is at most 60 bytes besides its path; room reserved and not used costs nothing
        // (a buffer this large is mapped page by page as it is written), room lacking a copy.
        out.reserveCapacity(out.count + paths.bytes.count + pages.count * 60)
        for (i, p) in pages.enumerated() {
            guard let p else { continue }
            out.append(contentsOf: "page ".utf8)
            RecordLines.appendHex(p.signature, to: &out)
            out.append(0x20)
            RecordLines.appendInteger(Int64(p.size), to: &out)
            out.append(0x20)
            RecordLines.appendInteger(p.modified, to: &out)
            out.append(0x20)
            paths.append(i, to: &out)
            out.append(0x0A)
        }
        return out
    }

    /// Replaces the pages with these, listed in this order (the order pages are built in is
    /// fixed, so the file needs no sorting): `pages[i]` is the record of `paths[i]`, if any.
    mutating func setPages(_ paths: PathTable, _ pages: [Page?]) {
        precondition(paths.count == pages.count)
        self.paths = paths
        self.pages = pages
    }
}
