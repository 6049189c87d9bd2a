/// Writes YAML scalars that read back exactly as written: text is always double-quoted, so
/// `NO`, `0150`, `yes` or `1e3` are never retyped.
public enum YAMLWriting {
    public static func quote(_ s: String) -> String {
        // Most values are printable ASCII with nothing to escape: quoted as they are.
        if s.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) {
            return "\"" + s + "\""
        }
        var out = "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                // C0, DEL and C1 controls are not printable YAML: written as escapes.
                if ch.value < 0x20 || (ch.value >= 0x7F && ch.value < 0xA0) {
                    out += "\\x" + String(ch.value, radix: 16).leftPadded(2)
                } else {
                    out.unicodeScalars.append(ch)
                }
            }
        }
        return out + "\""
    }
}

extension String {
    func leftPadded(_ n: Int) -> String { String(repeating: "0", count: max(0, n - count)) + self }
}
