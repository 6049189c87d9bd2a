import Foundation

/// RFC 4180 CSV: CRLF line ends, fields quoted when needed, and cells that a spreadsheet would
/// run as a formula (`=`, `+`, `-`, `@`, tab, CR) neutralised with a leading apostrophe.
public enum CSV {
    public static func cell(_ value: String) -> String {
        var v = value
        if let first = v.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) {
            // A negative number stays a number.
            if !(first == "-" && Number.parse(v) != nil) { v = "'" + v }
        }
        if v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || v.hasPrefix(" ") || v.hasSuffix(" ") {
            return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return v
    }

    public static func encode(_ rows: [[String]]) -> String {
        rows.map { $0.map(cell).joined(separator: ",") + "\r\n" }.joined()
    }
}
