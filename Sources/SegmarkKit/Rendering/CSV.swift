import Foundation

/// RFC 4180 CSV: CRLF line ends, fields quoted when needed, and cells that a spreadsheet would
/// run as a formula (`=`, `+`, `-`, `@`, tab, CR) neutralised with a leading apostrophe.
public enum CSV {
    public static func cell(_ value: String) -> String {
        if isPlain(value) { return value }
        var v = value
        if let first = v.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) {
            // A negative number stays a number.
            if !(first == "-" && Number.parse(v) != nil) { v = "'" + v }
        }
        return quoted(v)
    }

    /// RFC 4180 quoting alone (no formula guard: an export keeps values as written): quotes
    /// around a value with a comma, quote or line break inside, or blanks at an end. Checked
    /// on bytes: "\r\n" is one Character, equal to neither "\r" nor "\n".
    public static func quoted(_ v: String) -> String {
        v.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") })
            || v.hasPrefix(" ") || v.hasSuffix(" ")
            ? "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : v
    }

    /// True when a value needs neither quotes nor the formula guard (most values: checked on bytes).
    static func isPlain(_ value: String) -> Bool {
        let u = value.utf8
        guard let first = u.first else { return true }
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: " "):
            return false
        default: break
        }
        if u.last == UInt8(ascii: " ") { return false }
        for b in u where b == UInt8(ascii: ",") || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") { return false }
        return true
    }

    public static func encode(_ rows: [[String]]) -> String {
        var out = ""
        out.reserveCapacity(rows.count * 160)
        for row in rows {
            for (i, value) in row.enumerated() {
                if i > 0 { out += "," }
                out += cell(value)
            }
            out += "\r\n"
        }
        return out
    }

    /// RFC 4180 without the formula guard: for data files loaded by databases (SQL export),
    /// where every value must arrive exactly as written.
    public static func encodePlain(_ rows: [[String]]) -> String {
        var out = ""
        for row in rows {
            for (i, v) in row.enumerated() {
                if i > 0 { out += "," }
                let u = v.utf8
                let plain = u.first != 32 && u.last != 32 && !u.contains { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 }
                if !plain {
                    out += "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                } else {
                    out += v
                }
            }
            out += "\r\n"
        }
        return out
    }
}
