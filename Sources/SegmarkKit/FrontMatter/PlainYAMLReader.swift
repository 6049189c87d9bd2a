/// A fast path for the plain YAML that content files use: block mappings and sequences,
/// plain, single- and double-quoted (without escapes) one-line scalars, and one-line flow
/// lists and maps of scalars. It yields exactly the `YAMLNode`s that `YAMLReader` (Yams) yields
/// — a property test compares the two on demo, generated and hostile files — and returns
/// `nil` for anything else (comments after values, multi-line scalars, anchors, tags, block
/// scalars, escapes, duplicate keys, empty values…), so that Yams reads those files and
/// reports their errors. About ten times faster than Yams on typical contacts.
public struct PlainYAMLReader: Sendable {
    public init() {}

    struct Line {
        var number: Int      // 1-based, within the YAML block
        var start: Int       // byte offset of the line's first byte
        var indent: Int      // leading spaces (bytes == columns)
        var content: Int     // byte offset of the first non-space byte
        var end: Int         // byte offset of the line end (exclusive)
        var ascii: Bool      // columns are byte offsets
    }

    struct Bail: Error {}

    /// - Returns: the root node, or `nil` when the text is outside the plain subset.
    public func read(_ yaml: [UInt8], path: String, lineOffset: Int) -> YAMLNode? {
        guard Self.onlyPlainCharacters(yaml) else { return nil }
        var lines: [Line] = []
        var start = 0
        var number = 1
        let count = yaml.count
        while start < count {
            var end = start
            var ascii = true
            while end < count && yaml[end] != 10 {
                if yaml[end] >= 0x80 { ascii = false }
                end += 1
            }
            var content = start
            while content < end && yaml[content] == 32 { content += 1 }
            if content < end {
                let first = yaml[content]
                if first == 9 { return nil }  // tabs in indentation
                if content - start > 4 * YAMLReader.maxDepth { return nil }  // YAMLReader's depth guard
                // Comment lines are skipped, as YAML does.
                if first != UInt8(ascii: "#") {
                    lines.append(Line(number: number, start: start, indent: content - start, content: content, end: end, ascii: ascii))
                }
            }
            start = end + 1
            number += 1
        }
        guard !lines.isEmpty, lines[0].indent == 0 else { return nil }
        var parser = Parser(bytes: yaml, lines: lines, path: path, lineOffset: lineOffset)
        do {
            let node = try parser.block(indent: 0, depth: 0)
            guard parser.index == lines.count else { return nil }
            return node
        } catch {
            return nil
        }
    }

    /// No control characters, and none of the characters libyaml reads as line breaks or
    /// refuses (NEL, LS, PS, C1 controls, a BOM inside, U+FFFE/FFFF): those go to Yams.
    static func onlyPlainCharacters(_ bytes: [UInt8]) -> Bool {
        var i = 0
        let n = bytes.count
        var brackets = 0
        while i < n {
            let b = bytes[i]
            if b == UInt8(ascii: "[") || b == UInt8(ascii: "{") {
                // YAMLReader refuses deep flow nesting before Yams sees it; leave such text to it.
                brackets += 1
                if brackets > YAMLReader.maxDepth { return false }
            } else if b < 0x20 {
                if b != 10 && b != 9 { return false }
            } else if b == 0x7F {
                return false
            } else if b == 0xC2 {
                if i + 1 < n && bytes[i + 1] < 0xA0 { return false }
            } else if b == 0xE2 {
                if i + 2 < n && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9) { return false }
            } else if b == 0xEF {
                if i + 2 < n && ((bytes[i + 1] == 0xBB && bytes[i + 2] == 0xBF) || (bytes[i + 1] == 0xBF && bytes[i + 2] >= 0xBE)) { return false }
            }
            i += 1
        }
        return true
    }

    struct Parser {
        let bytes: [UInt8]
        var lines: [Line]
        let path: String
        let lineOffset: Int
        var index = 0

        init(bytes: [UInt8], lines: [Line], path: String, lineOffset: Int) {
            self.bytes = bytes
            self.lines = lines
            self.path = path
            self.lineOffset = lineOffset
        }

        func location(_ line: Line, _ offset: Int) -> SourceLocation {
            // Columns count characters, as libyaml does.
            if line.ascii { return SourceLocation(path: path, line: line.number + lineOffset, column: offset - line.start + 1) }
            var column = 1
            var i = line.start
            while i < offset {
                if bytes[i] & 0xC0 != 0x80 { column += 1 }
                i += 1
            }
            return SourceLocation(path: path, line: line.number + lineOffset, column: column)
        }

        func isSequenceItem(_ line: Line) -> Bool {
            bytes[line.content] == UInt8(ascii: "-") && (line.content + 1 == line.end || bytes[line.content + 1] == 32)
        }

        mutating func block(indent: Int, depth: Int) throws -> YAMLNode {
            guard depth < YAMLReader.maxDepth, index < lines.count, lines[index].indent == indent else { throw Bail() }
            return isSequenceItem(lines[index]) ? try sequence(indent: indent, depth: depth) : try mapping(indent: indent, depth: depth)
        }

        static func isKeyByte(_ b: UInt8) -> Bool {
            (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x5F || b == 0x2D || b == 0x2E
        }

        /// The end of a `key:` at `offset` (the colon's offset), or nil when the text there is not a key.
        func keyEnd(at offset: Int, end: Int) -> Int? {
            var i = offset
            while i < end && Self.isKeyByte(bytes[i]) { i += 1 }
            guard i > offset, i < end, bytes[i] == UInt8(ascii: ":"), i + 1 == end || bytes[i + 1] == 32 else { return nil }
            // A key that YAML would read as something else than plain text.
            if bytes[offset] == UInt8(ascii: "-") || bytes[offset] == UInt8(ascii: ".") { return nil }
            return i
        }

        mutating func mapping(indent: Int, depth: Int) throws -> YAMLNode {
            let first = lines[index]
            let here = location(first, first.content)
            var pairs: [YAMLPair] = []
            var seen = Set<ArraySlice<UInt8>>()
            while index < lines.count, lines[index].indent == indent {
                let line = lines[index]
                if isSequenceItem(line) { break }
                guard let colon = keyEnd(at: line.content, end: line.end) else { throw Bail() }
                let keyBytes = bytes[line.content..<colon]
                guard seen.insert(keyBytes).inserted else { throw Bail() }
                let key = YAMLNode(.scalar(String(decoding: keyBytes, as: UTF8.self), plain: true), at: location(line, line.content))
                var v = colon + 1
                while v < line.end && bytes[v] == 32 { v += 1 }
                index += 1
                let value: YAMLNode
                if v < line.end {
                    value = try inlineValue(line, from: v)
                } else if index < lines.count, lines[index].indent > indent {
                    value = try block(indent: lines[index].indent, depth: depth + 1)
                } else if index < lines.count, lines[index].indent == indent, isSequenceItem(lines[index]) {
                    value = try sequence(indent: indent, depth: depth + 1)
                } else {
                    throw Bail()  // an empty value: left to Yams
                }
                pairs.append(YAMLPair(key: key, value: value))
            }
            return YAMLNode(.mapping(pairs), at: here)
        }

        mutating func sequence(indent: Int, depth: Int) throws -> YAMLNode {
            let first = lines[index]
            let here = location(first, first.content)
            var items: [YAMLNode] = []
            while index < lines.count, lines[index].indent == indent, isSequenceItem(lines[index]) {
                let line = lines[index]
                var v = line.content + 1
                while v < line.end && bytes[v] == 32 { v += 1 }
                guard v < line.end else { throw Bail() }  // "-" alone, item on the next lines
                if keyEnd(at: v, end: line.end) != nil {
                    // "- key: value": a mapping whose indentation is the key's column.
                    lines[index].indent = v - line.start
                    lines[index].content = v
                    items.append(try mapping(indent: v - line.start, depth: depth + 1))
                } else if isSequenceItem(Line(number: 0, start: 0, indent: 0, content: v, end: line.end, ascii: true)) {
                    throw Bail()
                } else {
                    index += 1
                    items.append(try inlineValue(line, from: v))
                }
            }
            return YAMLNode(.sequence(items), at: here)
        }

        /// A scalar, flow list or flow map that must end the line.
        func inlineValue(_ line: Line, from offset: Int) throws -> YAMLNode {
            let b = bytes[offset]
            if b == UInt8(ascii: "[") || b == UInt8(ascii: "{") {
                var i = offset + 1
                let close: UInt8 = b == UInt8(ascii: "[") ? UInt8(ascii: "]") : UInt8(ascii: "}")
                var items: [YAMLNode] = []
                var pairs: [YAMLPair] = []
                var seen = Set<String>()
                skipSpaces(&i, line.end)
                if i < line.end && bytes[i] == close {
                    i += 1
                } else {
                    while true {
                        if b == UInt8(ascii: "{") {
                            guard let colon = keyEnd(at: i, end: line.end) else { throw Bail() }
                            let keyText = String(decoding: bytes[i..<colon], as: UTF8.self)
                            guard seen.insert(keyText).inserted else { throw Bail() }
                            let key = YAMLNode(.scalar(keyText, plain: true), at: location(line, i))
                            i = colon + 1
                            skipSpaces(&i, line.end)
                            guard i < line.end else { throw Bail() }
                            pairs.append(YAMLPair(key: key, value: try scalar(line, &i, flow: true)))
                        } else {
                            items.append(try scalar(line, &i, flow: true))
                        }
                        skipSpaces(&i, line.end)
                        guard i < line.end else { throw Bail() }
                        if bytes[i] == close { i += 1; break }
                        guard bytes[i] == UInt8(ascii: ",") else { throw Bail() }
                        i += 1
                        skipSpaces(&i, line.end)
                        guard i < line.end, bytes[i] != close else { throw Bail() }  // trailing comma
                    }
                }
                skipSpaces(&i, line.end)
                guard i == line.end else { throw Bail() }
                let here = location(line, offset)
                return b == UInt8(ascii: "[") ? YAMLNode(.sequence(items), at: here) : YAMLNode(.mapping(pairs), at: here)
            }
            var i = offset
            let node = try scalar(line, &i, flow: false)
            skipSpaces(&i, line.end)
            guard i == line.end else { throw Bail() }
            return node
        }

        func skipSpaces(_ i: inout Int, _ end: Int) {
            while i < end && bytes[i] == 32 { i += 1 }
        }

        /// One scalar at `i`; advances `i` past it (and past trailing spaces of a plain one).
        func scalar(_ line: Line, _ i: inout Int, flow: Bool) throws -> YAMLNode {
            guard i < line.end else { throw Bail() }
            let start = i
            let here = location(line, start)
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                i += 1
                let textStart = i
                while i < line.end && bytes[i] != UInt8(ascii: "\"") {
                    if bytes[i] == UInt8(ascii: "\\") { throw Bail() }
                    i += 1
                }
                guard i < line.end else { throw Bail() }
                let text = String(decoding: bytes[textStart..<i], as: UTF8.self)
                i += 1
                return YAMLNode(.scalar(text, plain: false), at: here)
            }
            if b == UInt8(ascii: "'") {
                i += 1
                var text: [UInt8] = []
                while true {
                    guard i < line.end else { throw Bail() }
                    if bytes[i] == UInt8(ascii: "'") {
                        if i + 1 < line.end && bytes[i + 1] == UInt8(ascii: "'") { text.append(UInt8(ascii: "'")); i += 2; continue }
                        i += 1
                        break
                    }
                    text.append(bytes[i])
                    i += 1
                }
                return YAMLNode(.scalar(String(decoding: text, as: UTF8.self), plain: false), at: here)
            }
            // Plain: no indicator first, no ": ", " #", flow characters or tabs inside.
            switch b {
            case UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: ":"), UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"),
                 UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "#"), UInt8(ascii: "&"), UInt8(ascii: "*"), UInt8(ascii: "!"),
                 UInt8(ascii: "|"), UInt8(ascii: ">"), UInt8(ascii: "%"), UInt8(ascii: "@"), UInt8(ascii: "`"):
                throw Bail()
            default: break
            }
            var last = i  // end of the text without trailing spaces
            while i < line.end {
                let c = bytes[i]
                if c == 9 || c == 13 { throw Bail() }
                if c == UInt8(ascii: ":") {
                    if i + 1 == line.end || bytes[i + 1] == 32 { throw Bail() }
                    if flow { throw Bail() }
                }
                if c == UInt8(ascii: "#") && bytes[i - 1] == 32 { throw Bail() }
                if flow && (c == UInt8(ascii: ",") || c == UInt8(ascii: "]") || c == UInt8(ascii: "}")) { break }
                if flow && (c == UInt8(ascii: "[") || c == UInt8(ascii: "{")) { throw Bail() }
                i += 1
                if c != 32 { last = i }
            }
            let text = String(decoding: bytes[start..<last], as: UTF8.self)
            i = last
            return YAMLNode(.scalar(text, plain: true), at: here)
        }
    }
}
