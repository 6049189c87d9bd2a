/// What the last successful build leaves for the next one, in `Output/.segmark-state` (not a
/// report; ignored by git): fingerprints of its inputs (to stop early when nothing changed)
/// and, per page, the signature of what it was made from with the size and modification time
/// the file had (to keep a page whose inputs did not change without rendering it again).
/// Whoever edits `Output/` by hand changes a file's size or time, and that page is rendered again.
struct BuildState: Sendable {
    var inputs: String?
    var stat: String?
    /// Per page path; `pageOrder` is the order the file lists them in (the build's page order).
    private(set) var pages: [String: Page] = [:]
    private(set) var pageOrder: [String] = []

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
                let name = RecordLines.text(path)
                if pages.updateValue(Page(signature: signature, size: Int(size), modified: modified), forKey: name) == nil {
                    pageOrder.append(name)
                }
            default: return
            }
        }
    }

    var bytes: [UInt8] {
        var text = ""
        if let inputs { text += "inputs \(inputs)\n" }
        if let stat { text += "stat \(stat)\n" }
        var out = Array(text.utf8)
        for path in pageOrder {
            let p = pages[path]!
            out.append(contentsOf: "page \(String(p.signature, radix: 16)) \(p.size) \(p.modified) ".utf8)
            out.append(contentsOf: path.utf8)
            out.append(0x0A)
        }
        return out
    }

    /// Replaces the pages with these, listed in this order (the order pages are built in is
    /// fixed, so the file needs no sorting).
    mutating func setPages(_ list: [(path: String, page: Page)]) {
        pages = Dictionary(minimumCapacity: list.count)
        pageOrder = []
        pageOrder.reserveCapacity(list.count)
        for (path, page) in list where pages.updateValue(page, forKey: path) == nil { pageOrder.append(path) }
    }
}
