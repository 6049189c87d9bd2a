/// Escaping for the Markdown reports (R70): characters that would break a table cell or
/// start Markdown syntax are backslash-escaped, line breaks become spaces.
public enum MarkdownEscaping {
    public static func cell(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s {
            switch ch {
            case "|", "*", "_", "[", "]", "`", "\\", "<", ">", "#", "~":
                out.append("\\"); out.append(ch)
            case "\n", "\r\n", "\r":
                out.append(" ")
            default:
                out.append(ch)
            }
        }
        return out
    }
}

/// HTML escaping for text the project writes itself (SVG labels); template values are escaped by Mustache.
public enum HTMLEscaping {
    public static func text(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }
}
