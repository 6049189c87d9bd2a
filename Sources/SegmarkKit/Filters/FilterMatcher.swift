import Foundation

/// Holds values against a compiled filter: typed comparison, wildcards, `@`, the missing-value rule.
extension Filter {
    public func matches(_ value: FieldValue, asOf: Day) -> Bool {
        if !plain.isEmpty, plain.contains(value) { return true }
        for alternative in others {
            var all = true
            for term in alternative where !term.matches(value, type: type, asOf: asOf) {
                all = false
                break
            }
            if all { return true }
        }
        return false
    }

    /// At least one of the values matches (multi-valued groups).
    public func matchesAny(_ values: [String], asOf: Day) -> Bool {
        for v in values where matches(FieldValue(v), asOf: asOf) { return true }
        return false
    }
}

extension FilterTerm {
    func matches(_ value: FieldValue, type: FieldType, asOf: Day) -> Bool {
        switch operation {
        case .empty: return value.isMissing
        case .notEmpty: return !value.isMissing
        case .notEqual:
            if value.isMissing { return true }
            guard let v = self.value else { return false }
            return !Self.equal(value, v, type: type, ci: caseInsensitive, asOf: asOf)
        default:
            break
        }
        if value.isMissing { return false }
        switch operation {
        case .equal:
            guard let v = self.value else { return false }
            return Self.equal(value, v, type: type, ci: caseInsensitive, asOf: asOf)
        case .less:
            guard let v = self.value, let c = Self.compare(value, v, type: type, ci: caseInsensitive, asOf: asOf) else { return false }
            return c < 0
        case .lessOrEqual:
            guard let v = self.value, let c = Self.compare(value, v, type: type, ci: caseInsensitive, asOf: asOf) else { return false }
            return c <= 0
        case .greater:
            guard let v = self.value, let c = Self.compare(value, v, type: type, ci: caseInsensitive, asOf: asOf) else { return false }
            return c > 0
        case .greaterOrEqual:
            guard let v = self.value, let c = Self.compare(value, v, type: type, ci: caseInsensitive, asOf: asOf) else { return false }
            return c >= 0
        case .range(let low, let high):
            if let low {
                guard let c = Self.compare(value, low, type: type, ci: caseInsensitive, asOf: asOf), c >= 0 else { return false }
            }
            if let high {
                guard let c = Self.compare(value, high, type: type, ci: caseInsensitive, asOf: asOf), c <= 0 else { return false }
            }
            return true
        default:
            return false
        }
    }

    static func foldsCase(_ type: FieldType, _ ci: Bool) -> Bool {
        ci || type == .code || type == .fixed
    }

    static func equal(_ seen: FieldValue, _ filter: FilterValue, type: FieldType, ci: Bool, asOf: Day) -> Bool {
        switch (type, seen) {
        case (.number, .number(let n)):
            return filter.number.map { n == $0 } ?? false
        case (.date, .date(let d)):
            return filter.date.map { d == $0.resolve(asOf: asOf) } ?? false
        case (.bool, .bool(let b)):
            return filter.bool.map { b == $0 } ?? false
        case (.bool, .text(let s)):
            guard let b = FilterValue.parseBool(s) else { return false }
            return filter.bool.map { b == $0 } ?? false
        case (.custom, .text(let s)) where !filter.hasWildcards:
            if let fn = filter.number, let sn = Number.parse(s) { return sn == fn }
            if let fd = filter.date, let sd = Day(s) { return sd == fd.resolve(asOf: asOf) }
            fallthrough
        default:
            let text = seen.description
            let fold = foldsCase(type, ci)
            if filter.hasWildcards {
                return filter.wildcard?.matches(text, folded: fold) ?? Wildcard.matches(fold ? text.lowercased() : text, filter.pieces, folded: fold)
            }
            return fold ? text.lowercased() == filter.text.lowercased() : text == filter.text
        }
    }

    /// -1, 0, 1; nil when the two cannot be compared.
    static func compare(_ seen: FieldValue, _ filter: FilterValue, type: FieldType, ci: Bool, asOf: Day) -> Int? {
        func cmp<T: Comparable>(_ a: T, _ b: T) -> Int { a < b ? -1 : (a == b ? 0 : 1) }
        switch (type, seen) {
        case (.number, .number(let n)):
            return filter.number.map { cmp(n, $0) }
        case (.date, .date(let d)):
            return filter.date.map { cmp(d, $0.resolve(asOf: asOf)) }
        case (.bool, _):
            return nil
        case (.custom, .text(let s)):
            if let fn = filter.number, let sn = Number.parse(s) { return cmp(sn, fn) }
            if let fd = filter.date, let sd = Day(s) { return cmp(sd, fd.resolve(asOf: asOf)) }
            fallthrough
        default:
            let fold = foldsCase(type, ci)
            let a = fold ? seen.description.lowercased() : seen.description
            let b = fold ? filter.text.lowercased() : filter.text
            if a == b { return 0 }
            return Text.codePointLess(a, b) ? -1 : 1
        }
    }
}

/// `*` and `?` matching over characters, in time linear in text + pattern: the pattern is
/// split at its stars; the first piece must match at the start, the last at the end, and
/// each piece between is found leftmost after the one before with a bit-parallel search
/// (shift-and, one bit per pattern character), so no character of the text is looked at
/// by more than one search. Patterns are at most `maxPatternLength` characters (the filter
/// parser refuses longer ones), which bounds the words per step.
enum Wildcard {
    static let maxPatternLength = 1024

    enum PatternChar: Equatable { case char(Character), one }

    /// `*` and `?` as wildcards, everything else literal (tests and the fuzz target).
    static func pieces(_ pattern: String) -> [FilterValue.Piece] {
        pattern.map { c -> FilterValue.Piece in c == "*" ? .anyRun : c == "?" ? .anyOne : .text(String(c)) }
    }

    /// The obvious dynamic-programming matcher (time text × pattern): the reference the fast one is tested against.
    static func referenceMatches(_ text: String, _ pieces: [FilterValue.Piece]) -> Bool {
        var pattern: [PatternChar?] = []  // nil = star
        for p in pieces {
            switch p {
            case .text(let s): pattern += s.map { .char($0) }
            case .anyOne: pattern.append(.one)
            case .anyRun: pattern.append(nil)
            }
        }
        let t = Array(text)
        var row = [Bool](repeating: false, count: t.count + 1)
        row[0] = true
        for p in pattern {
            var next = [Bool](repeating: false, count: t.count + 1)
            if p == nil { next[0] = row[0] }
            for j in 1...max(1, t.count) where j <= t.count {
                switch p {
                case nil: next[j] = row[j] || next[j - 1]
                case .one?: next[j] = row[j - 1]
                case .char(let c)?: next[j] = row[j - 1] && t[j - 1] == c
                }
            }
            row = next
        }
        return row[t.count]
    }

    static func matches(_ text: String, _ pieces: [FilterValue.Piece], folded: Bool) -> Bool {
        var segments: [[PatternChar]] = [[]]
        for p in pieces {
            switch p {
            case .text(let s): segments[segments.count - 1].append(contentsOf: (folded ? s.lowercased() : s).map { .char($0) })
            case .anyOne: segments[segments.count - 1].append(.one)
            case .anyRun: segments.append([])
            }
        }
        let t = Array(text)
        func matchesAt(_ segment: [PatternChar], _ start: Int) -> Bool {
            for (k, p) in segment.enumerated() {
                if case .char(let c) = p, t[start + k] != c { return false }
            }
            return true
        }
        if segments.count == 1 { return t.count == segments[0].count && matchesAt(segments[0], 0) }
        let first = segments[0], last = segments[segments.count - 1]
        guard t.count >= first.count + last.count, matchesAt(first, 0), matchesAt(last, t.count - last.count) else { return false }
        var position = first.count
        let limit = t.count - last.count
        for segment in segments[1..<(segments.count - 1)] where !segment.isEmpty {
            guard let end = leftmostEnd(of: segment, in: t, from: position, to: limit) else { return false }
            position = end
        }
        return true
    }

    /// The end of the leftmost occurrence of `segment` in `t[from..<to]` (shift-and).
    static func leftmostEnd(of segment: [PatternChar], in t: [Character], from: Int, to: Int) -> Int? {
        let m = segment.count
        guard to - from >= m else { return nil }
        let words = (m + 63) / 64
        var wildcard = [UInt64](repeating: 0, count: words)
        var masks: [Character: [UInt64]] = [:]
        for (k, p) in segment.enumerated() {
            switch p {
            case .one: wildcard[k / 64] |= 1 << UInt64(k % 64)
            case .char(let c): masks[c, default: [UInt64](repeating: 0, count: words)][k / 64] |= 1 << UInt64(k % 64)
            }
        }
        for key in Array(masks.keys) { for w in 0..<words { masks[key]![w] |= wildcard[w] } }
        let topWord = (m - 1) / 64, topBit = UInt64(1) << UInt64((m - 1) % 64)
        var state = [UInt64](repeating: 0, count: words)
        for i in from..<to {
            let mask = masks[t[i]] ?? wildcard
            var carry: UInt64 = 1
            for w in 0..<words {
                let next = state[w] >> 63
                state[w] = ((state[w] << 1) | carry) & mask[w]
                carry = next
            }
            if state[topWord] & topBit != 0 { return i + 1 }
        }
        return nil
    }
}
