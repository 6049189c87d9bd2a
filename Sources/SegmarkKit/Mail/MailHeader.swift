import Foundation

/// Header values for e-mail drafts: content values lose every line-break and control
/// character (so they can never end a header or start another), non-ASCII text becomes RFC
/// 2047 encoded words, and long headers fold at whitespace so no line exceeds 78 octets.
enum MailHeader {
    /// The value with CR, LF, NUL, every other C0/C1 control, U+2028/U+2029 and U+0085
    /// removed (a tab becomes a space); runs of spaces are kept as written.
    static func clean(_ value: String) -> String {
        // Most values are printable ASCII with no blank at either end: nothing to remove.
        let u = value.utf8
        if let first = u.first, let last = u.last, first != 0x20, last != 0x20, isPlainASCII(value) { return value }
        var out = String.UnicodeScalarView()
        for scalar in value.unicodeScalars {
            let v = scalar.value
            if v == 0x09 { out.append(" "); continue }
            if v < 0x20 || (v >= 0x7F && v < 0xA0) || v == 0x2028 || v == 0x2029 { continue }
            out.append(scalar)
        }
        return Text.trimmingBlanks(String(out))
    }

    static func isPlainASCII(_ s: String) -> Bool { s.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F } }

    /// Whether the text holds `=?`, which a mail reader would take for the start of an encoded
    /// word (on bytes: Foundation's `contains` went through NSString for every draft's headers).
    static func hasEncodedWordStart(_ s: String) -> Bool {
        var equals = false
        for b in s.utf8 {
            if equals && b == 0x3F { return true }
            equals = b == 0x3D
        }
        return false
    }

    /// Unstructured text (Subject): as it is when printable ASCII, else encoded words.
    static func unstructured(_ value: String) -> String {
        let v = clean(value)
        if isPlainASCII(v) && !hasEncodedWordStart(v) { return v }
        return encodedWords(v)
    }

    /// A display name and address (`From`, `To`): the name as a quoted string when it is
    /// ASCII (a comma inside stays part of the name), else as encoded words; the address is
    /// validated by the caller.
    static func mailbox(name: String?, address: String) -> String {
        let n = clean(name ?? "")
        if n.isEmpty { return "<\(address)>" }
        if isPlainASCII(n) && !hasEncodedWordStart(n) {
            var quoted = "\""
            for ch in n { if ch == "\"" || ch == "\\" { quoted.append("\\") }; quoted.append(ch) }
            return quoted + "\" <\(address)>"
        }
        return encodedWords(n) + " <\(address)>"
    }

    /// RFC 2047 `=?utf-8?B?…?=` words of at most 75 characters, each holding whole characters,
    /// separated by a space (the header writer folds between them).
    static func encodedWords(_ text: String) -> String {
        var words: [String] = []
        var chunk: [UInt8] = []
        // 39 bytes of text → 52 base64 characters → a 64-character word, so a header name, the
        // word and a little more fit the 78-octet line.
        for ch in text {
            let bytes = Array(String(ch).utf8)
            if chunk.count + bytes.count > 39, !chunk.isEmpty {
                words.append("=?utf-8?B?" + Data(chunk).base64EncodedString() + "?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append("=?utf-8?B?" + Data(chunk).base64EncodedString() + "?=") }
        return words.joined(separator: " ")
    }

    /// `Name: value` folded at spaces to lines of at most 78 octets where it can, CRLF ended.
    /// On bytes: the values are printable ASCII by now (`clean`, then encoded words).
    static func line(_ name: String, _ value: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(name.utf8.count + value.utf8.count + 8)
        var lineStart = 0
        out.append(contentsOf: name.utf8)
        out.append(UInt8(ascii: ":"))
        let nameEnd = out.count
        let v = value.utf8
        var wordStart = v.startIndex
        while true {
            let wordEnd = v[wordStart...].firstIndex(of: UInt8(ascii: " ")) ?? v.endIndex
            let word = v[wordStart..<wordEnd]
            // As the folding has always been: a line no longer than "Name:" is not folded.
            let current = out.count - lineStart
            if current + 1 + word.count > 78, current > nameEnd {
                out.append(13)
                out.append(10)
                lineStart = out.count
            }
            out.append(UInt8(ascii: " "))
            out.append(contentsOf: word)
            guard wordEnd < v.endIndex else { break }
            wordStart = v.index(after: wordEnd)
        }
        out.append(13)
        out.append(10)
        return String(decoding: out, as: UTF8.self)
    }
}
