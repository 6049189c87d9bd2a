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
    /// The five bytes escaped are all below 64: one bit each in this mask.
    private static let special: UInt64 = 1 << 0x26 | 1 << 0x3C | 1 << 0x3E | 1 << 0x22 | 1 << 0x27

    static func append(_ s: String, to buffer: inout PageBuffer) {
        // The bytes where they are (a `var` copy to call `withUTF8` was a retain and a release
        // a value); a string that is not contiguous UTF-8 (bridged) is copied once.
        if s.utf8.withContiguousStorageIfAvailable({ escape($0, to: &buffer) }) == nil {
            var copy = s
            copy.withUTF8 { escape($0, to: &buffer) }
        }
    }

    private static func escape(_ u: UnsafeBufferPointer<UInt8>, to buffer: inout PageBuffer) {
        var start = 0
        var i = 0
        // Eight bytes at a time while none of them is one of the five (most text has none).
        if let base = u.baseAddress {
            let raw = UnsafeRawPointer(base)
            while i + 8 <= u.count, !mayHoldSpecial(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) { i += 8 }
        }
        while i < u.count {
            let byte = u[i]
            i += 1
            guard byte < 64, special >> UInt64(byte) & 1 == 1 else { continue }
            let replacement: StaticString =
                switch byte {
                case UInt8(ascii: "&"): "&amp;"
                case UInt8(ascii: "<"): "&lt;"
                case UInt8(ascii: ">"): "&gt;"
                case UInt8(ascii: "\""): "&quot;"
                default: "&#39;"
                }
            buffer.append(UnsafeBufferPointer(rebasing: u[start..<(i - 1)]))
            buffer.append(UnsafeBufferPointer(start: replacement.utf8Start, count: replacement.utf8CodeUnitCount))
            start = i
        }
        buffer.append(UnsafeBufferPointer(rebasing: u[start..<u.count]))
    }

    /// Whether any byte of `word` may be one of the five: each is compared at once with every
    /// byte (a byte equal to it leaves a zero byte, which `(v - 0x01…) & ~v & 0x80…` finds).
    /// Never false when one is there; a true is checked byte by byte.
    @inline(__always)
    private static func mayHoldSpecial(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func zeroByte(_ v: UInt64) -> UInt64 { (v &- ones) & ~v & highs }
        return zeroByte(word ^ (ones &* 0x26)) | zeroByte(word ^ (ones &* 0x3C)) | zeroByte(word ^ (ones &* 0x3E))
            | zeroByte(word ^ (ones &* 0x22)) | zeroByte(word ^ (ones &* 0x27)) != 0
    }

    /// Text the project writes itself (SVG labels).
    public static func text(_ s: String) -> String {
        var buffer = PageBuffer(capacity: s.utf8.count + 16, limits: .unbounded)
        append(s, to: &buffer)
        return buffer.withBytes { String(decoding: $0, as: UTF8.self) }
    }
}
