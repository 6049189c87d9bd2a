/// A template parsed once into nodes the renderer walks: text as UTF-8 bytes, names split
/// into parts, sections with their bodies, partials resolved to a slot of their library.
public struct CompiledTemplate: Sendable {
    public let name: String
    var nodes: [TemplateNode]
}

/// How `{{name}}` writes a value: escaped for HTML, or as it is (the Markdown pages, which
/// escape table cells themselves).
public enum TemplateContentType: Sendable, Equatable {
    case html, text
}

/// A variable or section name: `.` (the current item), `a.b.c` (the first part looked up
/// through the context stack, the rest inside it).
struct TemplateName: Sendable, Equatable {
    let text: String
    let parts: [String]
    /// The first part ("" for `.`), and whether it is the only one: most names are one word,
    /// and the renderer looks those up without touching `parts`.
    let first: String
    let isSimple: Bool
    var isImplicit: Bool { parts.isEmpty }

    init(_ text: String) {
        self.text = text
        self.parts = text == "." ? [] : text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        first = parts.first ?? ""
        isSimple = parts.count == 1
    }
}

indirect enum TemplateNode: Sendable {
    case text([UInt8])
    /// Text kept in the set's byte arena (`TemplateSet.arena`), from `start`, `count` bytes:
    /// what `.text` becomes when the set is assembled. A plain pair of numbers, so the
    /// renderer copies no reference-counted bytes out of the node, row after row.
    case span(start: Int, count: Int)
    /// The start of a source line: an indented partial writes its indentation here.
    case lineStart
    case variable(TemplateName, escaped: Bool)
    /// `id` numbers the sections of a library (set when it is assembled; -1 before).
    case section(TemplateName, inverted: Bool, body: [TemplateNode], id: Int)
    /// `slot` is the partial's index in its library, set when the library is assembled. A
    /// standalone partial indents every line by the caller's indentation plus its own; an
    /// inline one is not indented.
    case partial(name: String, slot: Int, indentation: [UInt8], standalone: Bool)
    case contentType(TemplateContentType)
}

/// A template that cannot be parsed: what is wrong, in words, and where (1-based).
public struct TemplateSyntaxError: Error, Equatable, Sendable {
    public var message: String
    public var line: Int
    public var column: Int
}
