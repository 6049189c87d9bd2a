/// What the last successful build leaves for the next one, in `Output/.segmark-state` (not a
/// report; ignored by git): fingerprints of its inputs (to stop early when nothing changed)
/// and, per page, the signature of what it was made from with the size and modification time
/// the file had (to keep a page whose inputs did not change without rendering it again).
/// Whoever edits `Output/` by hand changes a file's size or time, and that page is rendered again.
struct BuildState: Sendable {
    var inputs: String?
    var stat: String?
    var pages: [String: Page] = [:]

    struct Page: Sendable, Equatable {
        var signature: UInt64
        var size: Int
        var modified: Int64
    }

    init() {}

    init(_ bytes: [UInt8]) {
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            if line.hasPrefix("inputs ") { inputs = String(line.dropFirst(7)) }
            else if line.hasPrefix("stat ") { stat = String(line.dropFirst(5)) }
            else if line.hasPrefix("page ") {
                let parts = line.dropFirst(5).split(separator: " ", maxSplits: 3)
                guard parts.count == 4, let signature = UInt64(parts[0], radix: 16), let size = Int(parts[1]),
                      let modified = Int64(parts[2]) else { continue }
                pages[String(parts[3])] = Page(signature: signature, size: size, modified: modified)
            }
        }
    }

    var bytes: [UInt8] {
        var text = ""
        if let inputs { text += "inputs \(inputs)\n" }
        if let stat { text += "stat \(stat)\n" }
        for path in pages.keys.sorted(by: Text.codePointLess) {
            let p = pages[path]!
            text += "page \(String(p.signature, radix: 16)) \(p.size) \(p.modified) \(path)\n"
        }
        return Array(text.utf8)
    }
}
