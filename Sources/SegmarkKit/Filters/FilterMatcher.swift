import Foundation

/// Holds values against a compiled filter (R40): typed comparison, wildcards, `@`, the missing-value rule.
extension Filter {
    public func matches(_ value: FieldValue, asOf: Day) -> Bool {
        for alternative in alternatives {
            var all = true
            for term in alternative where !term.matches(value, type: type, asOf: asOf) {
                all = false
                break
            }
            if all { return true }
        }
        return false
    }

    /// At least one of the values matches (multi-valued groups, §4.1).
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
                return Wildcard.matches(fold ? text.lowercased() : text, filter.pieces, folded: fold)
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

/// `*` and `?` matching over characters.
enum Wildcard {
    static func matches(_ text: String, _ pieces: [FilterValue.Piece], folded: Bool) -> Bool {
        var pattern: [PatternChar] = []
        for p in pieces {
            switch p {
            case .text(let s): pattern.append(contentsOf: (folded ? s.lowercased() : s).map { .char($0) })
            case .anyRun: pattern.append(.star)
            case .anyOne: pattern.append(.one)
            }
        }
        let t = Array(text)
        var ti = 0, pi = 0
        var starP = -1, starT = 0
        while ti < t.count {
            if pi < pattern.count {
                switch pattern[pi] {
                case .char(let c) where c == t[ti]:
                    ti += 1; pi += 1; continue
                case .one:
                    ti += 1; pi += 1; continue
                case .star:
                    starP = pi; starT = ti; pi += 1; continue
                default:
                    break
                }
            }
            if starP >= 0 {
                pi = starP + 1
                starT += 1
                ti = starT
            } else {
                return false
            }
        }
        while pi < pattern.count, case .star = pattern[pi] { pi += 1 }
        return pi == pattern.count
    }

    enum PatternChar { case char(Character), one, star }
}
