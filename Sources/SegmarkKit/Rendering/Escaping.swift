/// Escaping for the Markdown reports: characters that would break a table cell or
/// start Markdown syntax are backslash-escaped, line breaks become spaces.
public enum MarkdownEscaping {
    /// A value in a Markdown table cell: `| * _ [ ] ` \\ < > # ~` backslash-escaped, line breaks
    /// (CRLF, LF, CR) made one space each. On UTF-8 bytes: an ASCII byte is never part of a longer
    /// character, so a special character followed by a combining mark is escaped too (GFM splits
    /// a row at every unescaped `|` byte, whatever follows it).
    public static func cell(_ s: String) -> String {
        let u = s.utf8
        let special = cellSpecial
        // Most cells (names, ids, dates) hold nothing to escape: returned as they are.
        if !u.contains(where: { $0 < 0x80 && special[Int($0)] }) { return s }
        var out: [UInt8] = []
        out.reserveCapacity(u.count + 8)
        var previousCR = false
        for b in u {
            if b == UInt8(ascii: "\n") && previousCR { previousCR = false; continue }  // CRLF: one space, written at the CR
            previousCR = b == UInt8(ascii: "\r")
            if b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") {
                out.append(UInt8(ascii: " "))
            } else {
                if b < 0x80 && special[Int(b)] { out.append(UInt8(ascii: "\\")) }
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// ASCII bytes `cell` escapes or replaces.
    static let cellSpecial: [Bool] = (0..<128).map { b in "|*_[]`\\<>#~\n\r".utf8.contains(UInt8(b)) }
}

extension MarkdownEscaping {
    /// ASCII bytes `inline` escapes.
    static let inlineSpecial: [Bool] = (0..<128).map { b in "\\`*_{}[]()<>#+-.!|~&=\"".utf8.contains(UInt8(b)) }

    /// A value merged into running Markdown (letter bodies): every ASCII punctuation
    /// character that can start Markdown syntax is backslash-escaped (links, images, HTML,
    /// emphasis, code, headings, lists, setext and thematic breaks, entities), line breaks and
    /// other control characters become spaces, so the value stays one run of plain text.
    public static func inline(_ s: String) -> String {
        // Most values (names, towns) hold nothing to escape: checked on bytes first.
        if s.utf8.allSatisfy({ b in b >= 0x80 || (b >= 0x20 && b < 0x7F && !inlineSpecial[Int(b)]) }) && !s.utf8.contains(0xC2) && !s.utf8.contains(0xE2) {
            return s
        }
        var out = String.UnicodeScalarView()
        for scalar in s.unicodeScalars {
            let v = scalar.value
            if v < 0x20 || (v >= 0x7F && v < 0xA0) || v == 0x2028 || v == 0x2029 {
                out.append(" ")
                continue
            }
            if v < 0x80, "\\`*_{}[]()<>#+-.!|~&=\"".unicodeScalars.contains(scalar) { out.append("\\") }
            out.append(scalar)
        }
        return String(out)
    }
}

/// HTML escaping of `& < > " '`, on UTF-8 bytes: a byte of these five is never part of a
/// multi-byte character, so a combining mark after `"` cannot hide it.
public enum HTMLEscaping {
    public static func append(_ s: String, to buffer: inout [UInt8]) {
        // The bytes where they are (a `var` copy to call `withUTF8` was a retain and a release
        // a value); a string that is not contiguous UTF-8 (bridged) is copied once.
        if s.utf8.withContiguousStorageIfAvailable({ escape($0, to: &buffer) }) == nil {
            var copy = s
            copy.withUTF8 { escape($0, to: &buffer) }
        }
    }

    private static func escape(_ u: UnsafeBufferPointer<UInt8>, to buffer: inout [UInt8]) {
        var start = 0
        for i in 0..<u.count {
            let replacement: StaticString
            switch u[i] {
            case UInt8(ascii: "&"): replacement = "&amp;"
            case UInt8(ascii: "<"): replacement = "&lt;"
            case UInt8(ascii: ">"): replacement = "&gt;"
            case UInt8(ascii: "\""): replacement = "&quot;"
            case UInt8(ascii: "'"): replacement = "&#39;"
            default: continue
            }
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: u[start..<i]))
            buffer.append(contentsOf: UnsafeBufferPointer(start: replacement.utf8Start, count: replacement.utf8CodeUnitCount))
            start = i + 1
        }
        buffer.append(contentsOf: UnsafeBufferPointer(rebasing: u[start..<u.count]))
    }

    /// Text the project writes itself (SVG labels).
    public static func text(_ s: String) -> String {
        var buffer: [UInt8] = []
        append(s, to: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
