import Foundation

/// Small text helpers shared by every stage.
public enum Text {
    /// Case folding used for codes and ids.
    @inline(__always)
    public static func fold(_ s: String) -> String {
        var ascii = true
        for b in s.utf8 where b >= 0x80 || (b >= 65 && b <= 90) {
            if b >= 0x80 { ascii = false; break }
        }
        if ascii {
            var hasUpper = false
            for b in s.utf8 where b >= 65 && b <= 90 { hasUpper = true; break }
            return hasUpper ? s.lowercased() : s
        }
        return s.lowercased()
    }

    /// Bytewise order on UTF-8, the same as Unicode code point order.
    @inline(__always)
    public static func codePointLess(_ a: String, _ b: String) -> Bool {
        // UTF-8 byte order is code point order; compared with memcmp (the generic
        // `lexicographicallyPrecedes` was 4% of a `check` at L, sorting and finding keys).
        var a = a, b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                let n = min(x.count, y.count)
                let c = n == 0 ? 0 : memcmp(x.baseAddress!, y.baseAddress!, n)
                return c != 0 ? c < 0 : x.count < y.count
            }
        }
    }

    /// Edit distance counting a swap of two neighbours as one edit, for "did you mean".
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }

    /// The closest candidate within a small edit distance, ties broken alphabetically.
    /// Asked for every unknown code of every contact against tables of thousands of codes, so
    /// each candidate costs no allocation: a length check first, then the distance in three
    /// rows, given up as soon as it cannot come within the best found so far.
    public static func suggestion(for word: String, among candidates: [String]) -> String? {
        guard word.count >= 4 else { return nil }
        let target = word.lowercased().unicodeScalars.map(\.value)
        var limit = max(1, min(3, word.count / 3))
        var best: (distance: Int, word: String)? = nil
        var other: [UInt32] = [], rows: [Int] = []
        for candidate in candidates {
            other.removeAll(keepingCapacity: true)
            if candidate.utf8.allSatisfy({ $0 < 0x80 }) {
                guard abs(candidate.utf8.count - target.count) <= limit else { continue }
                for b in candidate.utf8 { other.append(UInt32(b >= 0x41 && b <= 0x5A ? b + 0x20 : b)) }
            } else {
                other.append(contentsOf: candidate.lowercased().unicodeScalars.map(\.value))
                guard abs(other.count - target.count) <= limit else { continue }
            }
            let d = boundedDistance(target, other, limit: limit, rows: &rows)
            guard d <= limit else { continue }
            if best == nil || d < best!.distance || (d == best!.distance && codePointLess(candidate, best!.word)) {
                best = (d, candidate)
                limit = d
            }
        }
        return best?.word
    }

    /// `editDistance` of two lower-cased texts when it is at most `limit`, else `limit + 1`,
    /// in three rows of the table kept by the caller (one buffer, row after row).
    static func boundedDistance(_ a: [UInt32], _ b: [UInt32], limit: Int, rows: inout [Int]) -> Int {
        if a.isEmpty || b.isEmpty { return min(max(a.count, b.count), limit + 1) }
        let width = b.count + 1
        if rows.count < 3 * width { rows = [Int](repeating: 0, count: 3 * width) }
        return rows.withUnsafeMutableBufferPointer { d in
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    // Row i of the table is at ((i + 1) % 3) * width.
                    for j in 0..<width { d[width + j] = j }
                    var previousMin = 0
                    for i in 1...a.count {
                        let current = ((i + 1) % 3) * width, above = (i % 3) * width, twoAbove = ((i + 2) % 3) * width
                        d[current] = i
                        var rowMin = i
                        for j in 1..<width {
                            let cost = a[i - 1] == b[j - 1] ? 0 : 1
                            var v = min(d[above + j] + 1, d[current + j - 1] + 1, d[above + j - 1] + cost)
                            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { v = min(v, d[twoAbove + j - 2] + 1) }
                            d[current + j] = v
                            rowMin = min(rowMin, v)
                        }
                        // A later cell adds to a cell of this row, or to one of the row above plus a swap.
                        if rowMin > limit && previousMin > limit { return limit + 1 }
                        previousMin = rowMin
                    }
                    return min(d[((a.count + 1) % 3) * width + b.count], limit + 1)
                }
            }
        }
    }

    /// "did you mean" suffix, or empty.
    public static func didYouMean(_ word: String, _ candidates: [String]) -> String {
        if let s = suggestion(for: word, among: candidates) { return "; did you mean '\(s)'?" }
        return ""
    }

    /// Text for a terminal: control characters (C0, DEL, C1, the line and paragraph
    /// separators, and the bidirectional marks and overrides that make a terminal show text in
    /// another order than it is, as in "Trojan Source") written as `\x1b`, `\u{2028}`,
    /// `\u{202e}`; line breaks and tabs kept.
    public static func terminalSafe(_ text: String) -> String { escapingControls(text, keepLineBreaks: true) }

    /// A content value on one terminal line: every control character escaped, line breaks too.
    public static func line(_ text: String) -> String { escapingControls(text, keepLineBreaks: false) }

    /// `text` with control characters escaped; line breaks too unless `keepLineBreaks`.
    public static func escapingControls(_ text: String, keepLineBreaks: Bool) -> String {
        func isControl(_ v: UInt32) -> Bool {
            v < 0x20 || (v >= 0x7F && v < 0xA0) || v == 0x2028 || v == 0x2029
                || v == 0x061C || v == 0x200E || v == 0x200F || (v >= 0x202A && v <= 0x202E) || (v >= 0x2066 && v <= 0x2069)
        }
        let scalars = Array(text.unicodeScalars)
        func kept(_ i: Int) -> Bool {
            let s = scalars[i]
            guard keepLineBreaks else { return false }
            return s == "\n" || s == "\t" || (s == "\r" && i + 1 < scalars.count && scalars[i + 1] == "\n")
        }
        guard scalars.indices.contains(where: { isControl(scalars[$0].value) && !kept($0) }) else { return text }
        var out = String.UnicodeScalarView()
        for (i, scalar) in scalars.enumerated() {
            let v = scalar.value
            if !isControl(v) || kept(i) {
                out.append(scalar)
                continue
            }
            let escape: String
            switch scalar {
            case "\n": escape = "\\n"
            case "\r": escape = "\\r"
            case "\t": escape = "\\t"
            default: escape = v < 0x100 ? "\\x" + (v < 0x10 ? "0" : "") + String(v, radix: 16) : "\\u{" + String(v, radix: 16) + "}"
            }
            out.append(contentsOf: escape.unicodeScalars)
        }
        return String(out)
    }

    /// Whether `scalar` is a blank as Foundation's `CharacterSet.whitespaces` has it: a tab, a
    /// space separator (general category Zs), and the zero width space that CoreFoundation counts too.
    @inline(__always)
    public static func isBlank(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x80 { return v == 0x20 || v == 0x09 }
        return v == 0xA0 || v == 0x1680 || (v >= 0x2000 && v <= 0x200B) || v == 0x202F || v == 0x205F || v == 0x3000
    }

    /// Whether `s` holds nothing but blanks (or nothing).
    public static func isBlank(_ s: some StringProtocol) -> Bool {
        s.unicodeScalars.allSatisfy(isBlank)
    }

    /// `s` without leading and trailing blanks: the same as `trimmingCharacters(in: .whitespaces)`,
    /// without Foundation's copy through UTF-16 (an import trims every field of 100,000 rows).
    public static func trimmingBlanks(_ s: String) -> String { trimming(s, isBlank) }

    /// `s` without leading and trailing blanks and line ends: the same as
    /// `trimmingCharacters(in: .whitespacesAndNewlines)`, without the copy through UTF-16 (the
    /// Markdown body of each of 100,000 contact pages).
    public static func trimmingSpace(_ s: String) -> String {
        trimming(s) { isBlank($0) || (0x0A...0x0D).contains($0.value) || $0.value == 0x85 || $0.value == 0x2028 || $0.value == 0x2029 }
    }

    private static func trimming(_ s: String, _ drop: (Unicode.Scalar) -> Bool) -> String {
        let scalars = s.unicodeScalars
        guard let first = scalars.firstIndex(where: { !drop($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !drop($0) })!
        if first == scalars.startIndex && scalars.index(after: last) == scalars.endIndex { return s }
        return String(scalars[first...last])
    }

    public static let idPattern = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}"

    /// `[A-Za-z0-9][A-Za-z0-9._-]{0,63}`.
    public static func isValidID(_ s: String) -> Bool {
        let u = s.utf8
        guard !u.isEmpty, u.count <= 64 else { return false }
        var first = true
        for b in u {
            let alnum = (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122)
            if first {
                guard alnum else { return false }
                first = false
            } else {
                guard alnum || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: "-") else { return false }
            }
        }
        return true
    }
}

/// A number as written in content (`8`, `12.5`, `-3`), kept exact.
public enum Number {
    public static func parse(_ text: String) -> Decimal? {
        // Most text is no number: decided on the first byte, before any trimming.
        guard let f = text.utf8.first, f == 32 || f == 9 || (f >= 48 && f <= 57) || f == 43 || f == 45 || f == 46 else { return nil }
        let t = text.trimmingCharacters(in: .whitespaces)
        var u = Array(t.utf8)[...]
        guard !u.isEmpty else { return nil }
        if u.first == UInt8(ascii: "-") || u.first == UInt8(ascii: "+") { u = u.dropFirst() }
        var digits = 0, dots = 0
        for b in u {
            if b >= 48 && b <= 57 { digits += 1 } else if b == UInt8(ascii: ".") { dots += 1 } else { return nil }
        }
        guard digits > 0, dots <= 1, u.first != UInt8(ascii: "."), u.last != UInt8(ascii: ".") else { return nil }
        return Decimal(string: t.hasPrefix("+") ? String(t.dropFirst()) : t, locale: Locale(identifier: "en_US_POSIX"))
    }

    /// Plain decimal text: no grouping, no exponent, at most `scale` decimals (rounded half away from zero).
    public static func format(_ value: Decimal, scale: Int? = nil) -> String {
        if let scale, let fast = formatSmall(value, scale: scale) { return fast }
        return formatSlow(value, scale: scale)
    }

    /// `format` for values with at most `scale` decimals (costs, durations): their own text,
    /// padded, without rounding through NSDecimalNumber (the same text as the general path; tested).
    static func formatSmall(_ value: Decimal, scale: Int) -> String? {
        guard !value.isNaN else { return nil }
        let text = value.description
        let u = text.utf8
        guard let dot = u.firstIndex(of: UInt8(ascii: ".")) else {
            return scale == 0 ? text : text + "." + String(repeating: "0", count: scale)
        }
        let decimals = u.distance(from: dot, to: u.endIndex) - 1
        guard decimals <= scale, scale > 0 else { return nil }
        return text + String(repeating: "0", count: scale - decimals)
    }

    static func formatSlow(_ value: Decimal, scale: Int?) -> String {
        var v = value
        if let scale {
            var rounded = Decimal()
            NSDecimalRound(&rounded, &v, scale, .plain)
            v = rounded
            let s = NSDecimalNumber(decimal: v).stringValue
            if scale == 0 { return s }
            var parts = s.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            if parts.count == 1 { parts.append("") }
            parts[1] += String(repeating: "0", count: max(0, scale - parts[1].count))
            return parts[0] + "." + parts[1]
        }
        return NSDecimalNumber(decimal: v).stringValue
    }
}

/// `Number.format` remembered per distinct value, for any thread (`Decimal.description`, on
/// which it rests, takes microseconds). At most 4,096 values are kept.
final class DecimalTexts: @unchecked Sendable {
    private let lock = NSLock()
    private var texts: [Decimal: String] = [:]
    let scale: Int

    init(scale: Int) { self.scale = scale }

    subscript(value: Decimal) -> String {
        if let text = lock.withLock({ texts[value] }) { return text }
        let text = Number.format(value, scale: scale)
        lock.withLock { if texts.count < 4096 { texts[value] = text } }
        return text
    }
}

/// `Text.fold` remembered per distinct text: a campaign's 100,000 entries name a few segments,
/// and each name is folded once.
struct FoldMemo {
    private var folded: [String: String] = [:]

    mutating func callAsFunction(_ s: String) -> String {
        if let f = folded[s] { return f }
        let f = Text.fold(s)
        folded[s] = f
        return f
    }
}
