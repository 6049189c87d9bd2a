/// `segmark cancel BATCH [--undo]`: sets or clears `canceled: true` in the batch file,
/// changing only that line (or adding it before the closing fence).
public struct BatchCanceler {
    public let model: Model
    public let fileSystem: FileSystem

    public init(model: Model, fileSystem: FileSystem = LocalFileSystem()) {
        self.model = model
        self.fileSystem = fileSystem
    }

    /// Returns the path changed, or nil when the batch was already in that state.
    public func apply(batch id: String, cancel: Bool) throws -> String? {
        guard let b = model.batch(id) else { throw BatchLogger.Refusal(message: "no interaction batch '\(id)'") }
        if b.canceled == cancel { return nil }
        let path = model.root + "/" + b.path
        let text = String(decoding: try fileSystem.read(path), as: UTF8.self)
        var lines = text.components(separatedBy: "\n")
        let value = cancel ? "true" : "false"
        if let loc = b.canceledLocation, loc.line - 1 < lines.count {
            let i = loc.line - 1
            let cr = lines[i].hasSuffix("\r") ? "\r" : ""
            let indent = String(lines[i].prefix { $0 == " " })
            lines[i] = indent + "canceled: " + value + cr
        } else {
            guard let close = lines.indices.dropFirst().first(where: { FrontMatterParser.isFence(lines[$0].utf8.filter { $0 != 13 }) }) else {
                throw BatchLogger.Refusal(message: "\(b.path) has no front matter to edit")
            }
            let cr = lines[close].hasSuffix("\r") ? "\r" : ""
            lines.insert("canceled: " + value + cr, at: close)
        }
        try fileSystem.writeAtomically(Array(lines.joined(separator: "\n").utf8), to: path)
        return b.path
    }
}
