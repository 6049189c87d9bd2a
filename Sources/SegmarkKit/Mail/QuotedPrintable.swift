import Foundation

/// Quoted-printable (RFC 2045) for the parts of e-mail drafts: every line ends CRLF and is at
/// most 76 octets, `=` and every byte outside printable ASCII are written as `=XX`, so a
/// part's text can never contain the boundary (which holds `=_`).
enum QuotedPrintable {
    static func encode(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        for (n, line) in lines.enumerated() {
            var length = 0
            let bytes = Array(line.utf8)
            for (i, b) in bytes.enumerated() {
                let last = i == bytes.count - 1
                var piece: [UInt8]
                if (b >= 33 && b <= 126 && b != UInt8(ascii: "=")) || (b == 0x20 && !last) {
                    piece = [b]
                } else {
                    piece = [UInt8(ascii: "="), hex[Int(b >> 4)], hex[Int(b & 15)]]
                }
                if length + piece.count > 75 {
                    out += Array("=\r\n".utf8)
                    length = 0
                }
                out += piece
                length += piece.count
            }
            if n < lines.count - 1 { out += [13, 10] }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
