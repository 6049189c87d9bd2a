/// A wildcard value of a filter compiled once, when the filter is parsed: for an ASCII
/// pattern, its pieces between the stars as bytes (`?` as -1), as written and lower-cased,
/// with a shift-and table for each piece found in the middle. ASCII text (nearly every code,
/// name and e-mail address) is then matched on its bytes without allocating, by the same
/// rules as `Wildcard.matches` (the first piece at the start, the last at the end, each
/// middle piece leftmost after the one before); any other text goes through
/// `Wildcard.matches` on characters.
final class WildcardPattern: Sendable {
    let pieces: [FilterValue.Piece]
    /// As written, and lower-cased; nil when the pattern is not plain ASCII.
    private let exact: Form?, folded: Form?

    struct Form: Sendable {
        var segments: [[Int16]]
        /// For each middle segment (1..<count-1): 256 masks of `words` words each.
        var masks: [[UInt64]]
        var words: [Int]

        init?(_ pieces: [FilterValue.Piece], lower: Bool) {
            var segments: [[Int16]] = [[]]
            for p in pieces {
                switch p {
                case .text(let s):
                    // CR is left to the character matcher ("\r\n" is one character).
                    guard s.utf8.allSatisfy({ $0 < 0x80 && $0 != 0x0D }) else { return nil }
                    segments[segments.count - 1] += s.utf8.map { Int16(lower ? WildcardPattern.lower($0) : $0) }
                case .anyOne: segments[segments.count - 1].append(-1)
                case .anyRun: segments.append([])
                }
            }
            self.segments = segments
            masks = []
            words = []
            for (k, segment) in segments.enumerated() {
                guard k > 0, k < segments.count - 1, !segment.isEmpty else { masks.append([]); words.append(0); continue }
                let w = (segment.count + 63) / 64
                var table = [UInt64](repeating: 0, count: 256 * w)
                for (i, c) in segment.enumerated() {
                    let bit = UInt64(1) << UInt64(i % 64)
                    if c < 0 {
                        for b in 0..<256 { table[b * w + i / 64] |= bit }
                    } else {
                        table[Int(c) * w + i / 64] |= bit
                    }
                }
                masks.append(table)
                words.append(w)
            }
        }
    }

    init(_ pieces: [FilterValue.Piece]) {
        self.pieces = pieces
        exact = Form(pieces, lower: false)
        folded = Form(pieces, lower: true)
    }

    @inline(__always)
    static func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b + 0x20 : b }

    /// Whether `text` matches; `folded` compares ignoring case.
    func matches(_ text: String, folded fold: Bool) -> Bool {
        if let form = fold ? folded : exact {
            var text = text
            if let answer = text.withUTF8({ bytes -> Bool? in
                for b in bytes where b >= 0x80 || b == 0x0D { return nil }
                return Self.matches(bytes, form, fold: fold)
            }) {
                return answer
            }
        }
        return Wildcard.matches(fold ? text.lowercased() : text, pieces, folded: fold)
    }

    private static func matches(_ t: UnsafeBufferPointer<UInt8>, _ form: Form, fold: Bool) -> Bool {
        @inline(__always) func byte(_ i: Int) -> Int16 { Int16(fold ? lower(t[i]) : t[i]) }
        func matchesAt(_ segment: [Int16], _ start: Int) -> Bool {
            for (k, c) in segment.enumerated() where c >= 0 && byte(start + k) != c { return false }
            return true
        }
        let segments = form.segments
        if segments.count == 1 { return t.count == segments[0].count && matchesAt(segments[0], 0) }
        let first = segments[0], last = segments[segments.count - 1]
        guard t.count >= first.count + last.count, matchesAt(first, 0), matchesAt(last, t.count - last.count) else { return false }
        var position = first.count
        let limit = t.count - last.count
        for k in 1..<(segments.count - 1) where !segments[k].isEmpty {
            let m = segments[k].count, w = form.words[k]
            guard limit - position >= m else { return false }
            // Shift-and: bit i of the state says the segment's first i+1 characters end here.
            var found: Int?
            form.masks[k].withUnsafeBufferPointer { table in
                if w == 1 {  // the usual piece, under 65 characters: the state is one word
                    var state: UInt64 = 0
                    let top = UInt64(1) << UInt64(m - 1)
                    for i in position..<limit {
                        state = ((state << 1) | 1) & table[Int(byte(i))]
                        if state & top != 0 { found = i + 1; return }
                    }
                    return
                }
                var state = [UInt64](repeating: 0, count: w)
                let topWord = (m - 1) / 64, topBit = UInt64(1) << UInt64((m - 1) % 64)
                for i in position..<limit {
                    let row = Int(byte(i)) * w
                    var carry: UInt64 = 1
                    for x in 0..<w {
                        let next = state[x] >> 63
                        state[x] = ((state[x] << 1) | carry) & table[row + x]
                        carry = next
                    }
                    if state[topWord] & topBit != 0 { found = i + 1; return }
                }
            }
            guard let end = found else { return false }
            position = end
        }
        return true
    }
}
