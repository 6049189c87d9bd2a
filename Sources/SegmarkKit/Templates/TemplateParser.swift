/// Parses Mustache source into a `CompiledTemplate` (interpolation, sections, inverted
/// sections, comments, partials, set delimiters, the content-type pragma), applying the
/// standalone-line rules: a line holding only a section, comment, partial, delimiter or
/// pragma tag and blanks is removed whole, and a standalone partial takes that line's
/// indentation. Errors say in words what is wrong and where.
struct TemplateParser {
    /// Sections nested deeper than this are refused (hostile templates must not exhaust the stack).
    static let maxDepth = 100

    private let bytes: [UInt8]
    private var lineStarts: [Int] = [0]

    /// Partials the template names, with where, for the library to check.
    private(set) var partialReferences: [(name: String, line: Int, column: Int)] = []
    /// Variable and section names (first part), with where, for `check`.
    private(set) var nameReferences: [(name: String, line: Int, column: Int)] = []

    init(_ source: String) {
        self.bytes = Array(source.utf8)
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") { lineStarts.append(i + 1) }
    }

    private enum TagKind: Equatable {
        case variable, unescaped, section, inverted, close, comment, partial, delimiters, pragma

        var canStandAlone: Bool { self != .variable && self != .unescaped }
    }

    private enum Token {
        case text(Range<Int>)
        case tag(TagKind, name: String, offset: Int)
    }

    /// 1-based line and column (in characters) of a byte offset.
    func position(_ offset: Int) -> (line: Int, column: Int) {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        var column = 1
        var i = lineStarts[lo]
        while i < offset {
            if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        // Count the offset's own character start, not continuation bytes before it.
        return (lo + 1, column)
    }

    private func error(_ message: String, at offset: Int) -> TemplateSyntaxError {
        let (line, column) = position(offset)
        return TemplateSyntaxError(message: message, line: line, column: column)
    }

    mutating func parse(name: String) throws(TemplateSyntaxError) -> CompiledTemplate {
        let tokens = try tokenize()
        let flat = applyStandaloneRules(tokens)
        return CompiledTemplate(name: name, nodes: try buildTree(flat))
    }

    // MARK: tokens

    private func find(_ needle: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, bytes.count >= needle.count else { return nil }
        var i = start
        let last = bytes.count - needle.count
        let first = needle[0]
        while i <= last {
            if bytes[i] == first {
                var k = 1
                while k < needle.count && bytes[i + k] == needle[k] { k += 1 }
                if k == needle.count { return i }
            }
            i += 1
        }
        return nil
    }

    private func trimmed(_ range: Range<Int>) -> String {
        var lo = range.lowerBound, hi = range.upperBound
        while lo < hi && isBlank(bytes[lo]) { lo += 1 }
        while hi > lo && isBlank(bytes[hi - 1]) { hi -= 1 }
        return String(decoding: bytes[lo..<hi], as: UTF8.self)
    }

    /// A blank inside a tag: "\r\n" is one Character, equal to neither "\r" nor "\n".
    private static func isBlank(_ c: Character) -> Bool {
        c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\r\n"
    }

    private func isBlank(_ b: UInt8) -> Bool {
        b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r")
    }

    private func tokenize() throws(TemplateSyntaxError) -> [Token] {
        var open = Array("{{".utf8), close = Array("}}".utf8)
        var tokens: [Token] = []
        var pos = 0
        func addText(_ range: Range<Int>) {
            var start = range.lowerBound
            var i = start
            while i < range.upperBound {
                if bytes[i] == UInt8(ascii: "\n") {
                    tokens.append(.text(start..<(i + 1)))
                    start = i + 1
                }
                i += 1
            }
            if start < range.upperBound { tokens.append(.text(start..<range.upperBound)) }
        }
        func display(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
        while pos < bytes.count {
            guard let tagStart = find(open, from: pos) else {
                addText(pos..<bytes.count)
                break
            }
            addText(pos..<tagStart)
            var j = tagStart + open.count
            let sigil = j < bytes.count ? bytes[j] : 0
            let kind: TagKind
            var closing = close
            switch sigil {
            case UInt8(ascii: "!"): kind = .comment
            case UInt8(ascii: "#"): kind = .section
            case UInt8(ascii: "^"): kind = .inverted
            case UInt8(ascii: "/"): kind = .close
            case UInt8(ascii: ">"): kind = .partial
            case UInt8(ascii: "&"): kind = .unescaped
            case UInt8(ascii: "%"): kind = .pragma
            case UInt8(ascii: "{"): kind = .unescaped; closing = [UInt8(ascii: "}")] + close
            case UInt8(ascii: "="): kind = .delimiters; closing = [UInt8(ascii: "=")] + close
            case UInt8(ascii: "<"), UInt8(ascii: "$"):
                throw error("template inheritance ('\(display(open))\(Character(Unicode.Scalar(sigil)))') is not supported", at: tagStart)
            default: kind = .variable
            }
            if kind != .variable { j += 1 }
            guard let end = find(closing, from: j) else {
                throw error("tag '\(display(open))' is never closed with '\(display(closing))'", at: tagStart)
            }
            pos = end + closing.count
            let name = trimmed(j..<end)
            switch kind {
            case .comment:
                tokens.append(.tag(.comment, name: "", offset: tagStart))
            case .delimiters:
                let parts = name.split(whereSeparator: Self.isBlank)
                guard parts.count == 2, !parts.contains(where: { $0.contains("=") }) else {
                    throw error("a set-delimiter tag is written \(display(open))=OPEN CLOSE=\(display(close)), e.g. {{=<% %>=}}", at: tagStart)
                }
                open = Array(parts[0].utf8)
                close = Array(parts[1].utf8)
                tokens.append(.tag(.delimiters, name: "", offset: tagStart))
            case .pragma:
                let words = name.filter { $0 != " " && $0 != "\t" }.uppercased()
                guard words == "CONTENT_TYPE:TEXT" || words == "CONTENT_TYPE:HTML" else {
                    throw error("unknown pragma '\(name)'; only CONTENT_TYPE: TEXT or CONTENT_TYPE: HTML is supported", at: tagStart)
                }
                tokens.append(.tag(.pragma, name: words.hasSuffix("TEXT") ? "text" : "html", offset: tagStart))
            default:
                guard !name.isEmpty else { throw error("a tag has no name", at: tagStart) }
                if name.contains(where: Self.isBlank) {
                    throw error("'\(name)' is not a name (a name has no blanks inside)", at: tagStart)
                }
                tokens.append(.tag(kind, name: name, offset: tagStart))
            }
        }
        return tokens
    }

    // MARK: standalone lines

    private enum Flat {
        case text(Range<Int>)
        case lineStart
        case tag(TagKind, name: String, offset: Int, indentation: [UInt8], standalone: Bool)
    }

    private func isBlankText(_ range: Range<Int>) -> Bool {
        for i in range {
            let b = bytes[i]
            if b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") { continue }
            if b == UInt8(ascii: "\n") && i == range.upperBound - 1 { continue }
            if b == UInt8(ascii: "\r") && i == range.upperBound - 2 && bytes[i + 1] == UInt8(ascii: "\n") { continue }
            return false
        }
        return true
    }

    private func applyStandaloneRules(_ tokens: [Token]) -> [Flat] {
        var out: [Flat] = []
        out.reserveCapacity(tokens.count + tokens.count / 2)
        var lineStart = 0
        func flush(_ line: ArraySlice<Token>) {
            guard !line.isEmpty else { return }
            var tags: [Int] = []
            var blank = true
            for i in line.indices {
                switch line[i] {
                case .tag: tags.append(i)
                case .text(let r): if !isBlankText(r) { blank = false }
                }
            }
            if blank, tags.count == 1, case .tag(let kind, let name, let offset) = line[tags[0]], kind.canStandAlone {
                var indentation: [UInt8] = []
                for i in line.startIndex..<tags[0] { if case .text(let r) = line[i] { indentation += bytes[r] } }
                out.append(.tag(kind, name: name, offset: offset, indentation: indentation, standalone: true))
                return
            }
            // An empty line gets no indentation (no trailing blanks from an indented partial).
            if case .text(let r) = line[line.startIndex], bytes[r.lowerBound] == UInt8(ascii: "\n")
                || (bytes[r.lowerBound] == UInt8(ascii: "\r") && r.count == 2) {
            } else {
                out.append(.lineStart)
            }
            for token in line {
                switch token {
                case .text(let r): out.append(.text(r))
                case .tag(let kind, let name, let offset): out.append(.tag(kind, name: name, offset: offset, indentation: [], standalone: false))
                }
            }
        }
        for (i, token) in tokens.enumerated() {
            if case .text(let r) = token, bytes[r.upperBound - 1] == UInt8(ascii: "\n") {
                flush(tokens[lineStart...i])
                lineStart = i + 1
            }
        }
        flush(tokens[lineStart...])
        return out
    }

    // MARK: tree

    private mutating func buildTree(_ flat: [Flat]) throws(TemplateSyntaxError) -> [TemplateNode] {
        struct Frame {
            var name: String
            var inverted: Bool
            var offset: Int
            var nodes: [TemplateNode] = []
        }
        var stack = [Frame(name: "", inverted: false, offset: 0)]
        func append(_ node: TemplateNode) {
            if case .text(let more) = node, case .text(let previous)? = stack[stack.count - 1].nodes.last {
                stack[stack.count - 1].nodes[stack[stack.count - 1].nodes.count - 1] = .text(previous + more)
            } else {
                stack[stack.count - 1].nodes.append(node)
            }
        }
        for item in flat {
            switch item {
            case .text(let r): append(.text(Array(bytes[r])))
            case .lineStart: append(.lineStart)
            case .tag(let kind, let name, let offset, let indentation, let standalone):
                if kind == .variable || kind == .unescaped || kind == .section || kind == .inverted, name != "." {
                    let (line, column) = position(offset)
                    nameReferences.append((String(name.split(separator: ".", omittingEmptySubsequences: false).first ?? ""), line, column))
                }
                switch kind {
                case .variable: append(.variable(TemplateName(name), escaped: true))
                case .unescaped: append(.variable(TemplateName(name), escaped: false))
                case .comment, .delimiters: break
                case .pragma: append(.contentType(name == "text" ? .text : .html))
                case .partial:
                    let (line, column) = position(offset)
                    partialReferences.append((name, line, column))
                    append(.partial(name: name, slot: -1, indentation: standalone ? indentation : [], standalone: standalone))
                case .section, .inverted:
                    guard stack.count <= Self.maxDepth else {
                        throw error("sections are nested more than \(Self.maxDepth) deep", at: offset)
                    }
                    stack.append(Frame(name: name, inverted: kind == .inverted, offset: offset))
                case .close:
                    guard stack.count > 1 else { throw error("closing tag '\(name)' has no section to close", at: offset) }
                    let frame = stack.removeLast()
                    guard frame.name == name else {
                        let (line, column) = position(frame.offset)
                        throw error("closing tag '\(name)' does not match section '\(frame.name)' opened at \(line):\(column)", at: offset)
                    }
                    append(.section(TemplateName(frame.name), inverted: frame.inverted, body: frame.nodes, id: -1))
                }
            }
        }
        if stack.count > 1 {
            let frame = stack[stack.count - 1]
            let (line, column) = position(frame.offset)
            throw error("section '\(frame.name)' opened at \(line):\(column) is never closed", at: frame.offset)
        }
        return stack[0].nodes
    }
}
