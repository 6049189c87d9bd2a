import Foundation
import Testing
@testable import SegmarkKit

/// The byte-level quoted-printable encoder against the obvious one (split into lines, encode
/// each byte), on random texts of line breaks, CRs, spaces at line ends, `=`, non-ASCII and
/// long lines.
@Suite("Quoted-printable")
struct QuotedPrintableTests {
    static func reference(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        // CRLF becomes LF, then the text is split at LF (as bytes: "\r\n" is one Character to Swift).
        var unified: [UInt8] = []
        for b in text.utf8 {
            if b == 10, unified.last == 13 { unified.removeLast() }
            unified.append(b)
        }
        let lines = unified.split(separator: 10, omittingEmptySubsequences: false)
        for (n, line) in lines.enumerated() {
            var length = 0
            let bytes = Array(line)
            for (i, b) in bytes.enumerated() {
                let piece: [UInt8] = (b >= 33 && b <= 126 && b != UInt8(ascii: "=")) || (b == 0x20 && i != bytes.count - 1)
                    ? [b] : [UInt8(ascii: "="), hex[Int(b >> 4)], hex[Int(b & 15)]]
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

    @Test func agreesWithTheReference() {
        let rng = Random(seed: 2045)  // the same cases every run
        let alphabet: [String] = ["a", "Z", " ", "=", "\n", "\r", "\r\n", "\t", "æ", "Å", "😀", "~", "!", ".", "\u{0}"]
        #expect(QuotedPrintable.encode("") == "")
        #expect(QuotedPrintable.encode("Hei Åse =\r\nend ") == "Hei =C3=85se =3D\r\nend=20")
        for _ in 0..<3000 {
            let n = Int(rng.next() % 221)
            let text = (0..<n).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }.joined()
            #expect(QuotedPrintable.encode(text) == Self.reference(text), "\(text.debugDescription)")
        }
    }
}
