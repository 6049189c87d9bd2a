/// What the last successful build leaves for the next one, in `Output/.segmark-state` (not a
/// report; ignored by git): fingerprints of its inputs (to stop early when nothing changed)
/// and, per page, the signature of what it was made from with the size and modification time
/// the file had (to keep a page whose inputs did not change without rendering it again).
/// Whoever edits `Output/` by hand changes a file's size or time, and that page is rendered again.
struct BuildState: Sendable {
    var inputs: String?
    var stat: String?
    /// Per page, in the order the file lists them (the build's page order). Kept as a list, not
    /// a table by path: at L it has 784,692 entries, and a build looks each up once at most.
    /// A path listed twice (a damaged file) is listed twice; `KeptPages` takes the last record.
    private(set) var records: [(path: String, page: Page)] = []

    struct Page: Sendable, Equatable {
        var signature: UInt64
        var size: Int
        var modified: Int64
    }

    init() {}

    init(_ bytes: [UInt8]) {
        RecordLines.forEach(bytes) { line in
            let (key, rest) = RecordLines.field(line)
            guard let rest else { return }
            switch RecordLines.text(key) {
            case "inputs": inputs = RecordLines.text(rest)
            case "stat": stat = RecordLines.text(rest)
            case "page":
                let (sig, r1) = RecordLines.field(rest)
                guard let r1 else { return }
                let (size, r2) = RecordLines.field(r1)
                guard let r2 else { return }
                let (modified, path) = RecordLines.field(r2)
                guard let path, !path.isEmpty, let signature = RecordLines.hex(sig), let size = RecordLines.integer(size),
                      let modified = RecordLines.integer(modified) else { return }
                records.append((RecordLines.text(path), Page(signature: signature, size: Int(size), modified: modified)))
            default: return
            }
        }
    }

    var bytes: [UInt8] {
        var text = ""
        if let inputs { text += "inputs \(inputs)\n" }
        if let stat { text += "stat \(stat)\n" }
        var out = Array(text.utf8)
        out.reserveCapacity(out.count + records.count * 72)
        for (path, p) in records {
            out.append(contentsOf: "page ".utf8)
            RecordLines.appendHex(p.signature, to: &out)
            out.append(0x20)
            RecordLines.appendInteger(Int64(p.size), to: &out)
            out.append(0x20)
            RecordLines.appendInteger(p.modified, to: &out)
            out.append(0x20)
            out.append(contentsOf: path.utf8)
            out.append(0x0A)
        }
        return out
    }

    /// Replaces the pages with these, listed in this order (the order pages are built in is
    /// fixed, so the file needs no sorting).
    mutating func setPages(_ list: [(path: String, page: Page)]) { records = list }
}
