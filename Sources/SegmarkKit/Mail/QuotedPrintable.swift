/// Quoted-printable (RFC 2045) for the parts of e-mail drafts: every line ends CRLF and is at
/// most 76 octets, `=` and every byte outside printable ASCII are written as `=XX`, so a
/// part's text can never contain the boundary (which holds `=_`). A line break in the text is
/// LF or CRLF; a CR elsewhere is encoded. Works on bytes, one pass, no allocation per byte
/// (a build writes a draft per e-mail entry: hundreds of thousands).
enum QuotedPrintable {
    static let hex = Array("0123456789ABCDEF".utf8)

    static func encode(_ text: String) -> String {
        var out: [UInt8] = []
        encode(text, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the encoded text to `out`.
    static func encode(_ text: String, into out: inout [UInt8]) {
        let bytes = Array(text.utf8)
        out.reserveCapacity(out.count + bytes.count + bytes.count / 8 + 16)
        var lineStart = 0
        while true {
            var end = lineStart
            while end < bytes.count && bytes[end] != 10 { end += 1 }
            // "\r\n" is a line break: its CR is not part of the line.
            let contentEnd = end < bytes.count && end > lineStart && bytes[end - 1] == 13 ? end - 1 : end
            var length = 0
            for i in lineStart..<contentEnd {
                let b = bytes[i]
                let plain = (b >= 33 && b <= 126 && b != UInt8(ascii: "=")) || (b == 0x20 && i != contentEnd - 1)
                let width = plain ? 1 : 3
                if length + width > 75 {
                    out.append(UInt8(ascii: "="))
                    out.append(13)
                    out.append(10)
                    length = 0
                }
                if plain {
                    out.append(b)
                } else {
                    out.append(UInt8(ascii: "="))
                    out.append(hex[Int(b >> 4)])
                    out.append(hex[Int(b & 15)])
                }
                length += width
            }
            guard end < bytes.count else { break }
            out.append(13)
            out.append(10)
            lineStart = end + 1
        }
    }
}
