/// What the fuzz targets run (`make fuzz`), also replayed on every saved crash fixture by the
/// tests. Each takes arbitrary bytes and must return without crashing or hanging; the
/// front-matter target also checks that the plain-YAML fast path agrees with Yams.
public enum FuzzEntry {
    /// A content file through the whole loader path: encoding checks, fences, YAML, decoding.
    public static func frontMatter(_ bytes: [UInt8]) {
        guard case .success(let document) = FrontMatterParser().parse(bytes, path: "fuzz.md") else { return }
        _ = ContactDecoder().decode(document, fileName: "fuzz.md")
        _ = SegmentDecoder().decode(document, fileName: "fuzz.md")
        _ = InteractionBatchDecoder().decode(document, fileName: "fuzz.md")
    }

    /// The fast path must equal Yams whenever it takes a block.
    public static func plainYAML(_ bytes: [UInt8]) {
        guard FrontMatterParser.encodingProblem(bytes[...]) == nil,
              let fast = PlainYAMLReader().read(bytes, path: "fuzz.md", lineOffset: 1) else { return }
        let slow = YAMLReader().read(String(decoding: bytes, as: UTF8.self), path: "fuzz.md", lineOffset: 1)
        guard case .success(let node?) = slow, node == fast else {
            fatalError("plain YAML fast path disagrees with Yams")
        }
    }

    /// A BC filter expression, typed by the first byte.
    public static func filter(_ bytes: [UInt8]) {
        guard let first = bytes.first else { return }
        let types: [FieldType] = [.code, .fixed, .text, .number, .date, .bool]
        let type = types[Int(first) % types.count]
        let source = String(decoding: bytes.dropFirst(), as: UTF8.self)
        let location = SourceLocation(path: "fuzz.md", line: 1, column: 1)
        if case .success(let filter) = FilterParser().parse(source, type: type, fixedValues: type == .fixed ? ["company", "person"] : nil,
                                                            location: location) {
            _ = filter.source
        }
    }

    /// The wildcard matcher against the simple reference: the bytes before the first NUL are
    /// the pattern (`*`, `?`, anything else literal), the rest the text.
    public static func glob(_ bytes: [UInt8]) {
        let split = bytes.firstIndex(of: 0) ?? bytes.endIndex
        let pattern = String(decoding: bytes[..<split], as: UTF8.self)
        let text = String(decoding: bytes[(split == bytes.endIndex ? split : split + 1)...], as: UTF8.self)
        let pieces = Wildcard.pieces(pattern)
        guard pattern.count <= Wildcard.maxPatternLength else { return }
        if Wildcard.matches(text, pieces, folded: false) != Wildcard.referenceMatches(text, pieces) {
            fatalError("wildcard matcher disagrees with the reference on \(pattern.debugDescription) / \(text.debugDescription)")
        }
    }

    public static let targets: [(name: String, run: @Sendable ([UInt8]) -> Void)] = [
        ("frontmatter", frontMatter), ("plainyaml", plainYAML), ("filter", filter), ("glob", glob),
    ]
}
