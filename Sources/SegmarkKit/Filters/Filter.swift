import Foundation

/// A compiled filter expression in BC syntax: an OR of ANDs of terms, bound to a field type.
public struct Filter: Sendable {
    public var source: String
    public var location: SourceLocation
    public let type: FieldType
    /// OR over alternatives; each alternative is an AND over terms.
    public let alternatives: [[FilterTerm]]
    /// The alternatives that are one plain `=` on text (a manual list of 5,000 ids), as a set,
    /// so a value is looked up once instead of compared with each; `others` are the rest.
    let plain: PlainValues
    let others: [[FilterTerm]]

    public init(source: String, location: SourceLocation, type: FieldType, alternatives: [[FilterTerm]]) {
        self.source = source
        self.location = location
        self.type = type
        self.alternatives = alternatives
        var plain = PlainValues(), others: [[FilterTerm]] = []
        for alternative in alternatives where !(alternative.count == 1 && plain.add(alternative[0], type: type)) {
            others.append(alternative)
        }
        (self.plain, self.others) = (plain, others)
    }

    /// Values compared as text with `=`: exactly, or ignoring case (codes, fixed values, `@`).
    struct PlainValues: Sendable {
        /// The texts compared as written, and those compared ignoring case (lower-cased).
        private(set) var exact = Set<String>(), folded = Set<String>()
        var isEmpty: Bool { exact.isEmpty && folded.isEmpty }

        /// Takes the term when it is a plain `=` whose comparison is on the text alone.
        mutating func add(_ term: FilterTerm, type: FieldType) -> Bool {
            guard case .equal = term.operation, let value = term.value, !value.hasWildcards else { return false }
            switch type {
            case .code, .fixed, .text: break
            case .custom where value.number == nil && value.date == nil: break  // else compared as a number or date
            default: return false
            }
            if FilterTerm.foldsCase(type, term.caseInsensitive) { folded.insert(value.text.lowercased()) } else { exact.insert(value.text) }
            return true
        }

        /// As `FilterTerm.equal` compares a text value: a missing value equals nothing.
        func contains(_ value: FieldValue) -> Bool {
            if value.isMissing { return false }
            let text = value.description
            return exact.contains(text) || (!folded.isEmpty && folded.contains(text.lowercased()))
        }
    }
}

public struct FilterTerm: Sendable {
    public enum Operation: Sendable {
        case equal, notEqual, less, lessOrEqual, greater, greaterOrEqual
        case range(low: FilterValue?, high: FilterValue?)
        case empty, notEmpty
    }

    public var operation: Operation
    public var value: FilterValue?
    public var caseInsensitive: Bool

    public init(operation: Operation, value: FilterValue?, caseInsensitive: Bool) {
        self.operation = operation
        self.value = value
        self.caseInsensitive = caseInsensitive
    }
}

/// One value of a filter: literal text (quotes removed) with wildcards, and its typed readings.
public struct FilterValue: Sendable {
    public enum Piece: Sendable, Equatable { case text(String), anyRun, anyOne }

    public var pieces: [Piece]
    public var text: String
    public var hasWildcards: Bool
    public var number: Decimal?
    public var date: DateExpression?
    public var bool: Bool?
    /// The pattern compiled (nil without wildcards).
    let wildcard: WildcardPattern?

    public init(pieces: [Piece]) {
        var merged: [Piece] = []
        for p in pieces {
            if case .text(let s) = p, case .text(let prev)? = merged.last {
                merged[merged.count - 1] = .text(prev + s)
            } else {
                merged.append(p)
            }
        }
        self.pieces = merged
        self.text = merged.map { p -> String in
            switch p { case .text(let s): return s; case .anyRun: return "*"; case .anyOne: return "?" }
        }.joined()
        self.hasWildcards = merged.contains { !$0.isText }
        self.number = hasWildcards ? nil : Number.parse(text)
        self.date = hasWildcards ? nil : DateExpression(text)
        self.bool = hasWildcards ? nil : FilterValue.parseBool(text)
        self.wildcard = hasWildcards ? WildcardPattern(merged) : nil
    }

    public static func parseBool(_ s: String) -> Bool? {
        switch s.lowercased() {
        case "true", "yes": return true
        case "false", "no": return false
        default: return nil
        }
    }
}

extension FilterValue.Piece {
    var isText: Bool { if case .text = self { return true } else { return false } }
}

/// A date in a filter: an absolute date, `t`/`today`, or an offset from the as-of date.
public enum DateExpression: Sendable, Equatable {
    case absolute(Day)
    case offset(Int, Unit)

    public enum Unit: Character, Sendable { case day = "D", week = "W", month = "M", quarter = "Q", year = "Y" }

    public init?(_ text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let day = Day(t) { self = .absolute(day); return }
        let lower = t.lowercased()
        if lower == "t" || lower == "today" { self = .offset(0, .day); return }
        var scalars = Substring(t)
        var sign = 1
        if scalars.first == "+" { scalars = scalars.dropFirst() } else if scalars.first == "-" { sign = -1; scalars = scalars.dropFirst() }
        guard let unitChar = scalars.last?.uppercased().first, let unit = Unit(rawValue: unitChar) else { return nil }
        let digits = scalars.dropLast()
        guard !digits.isEmpty, digits.count <= 5, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(digits) else { return nil }
        self = .offset(sign * n, unit)
    }

    public func resolve(asOf: Day) -> Day {
        switch self {
        case .absolute(let d): return d
        case .offset(let n, let unit):
            switch unit {
            case .day: return asOf.adding(days: n)
            case .week: return asOf.adding(days: 7 * n)
            case .month: return asOf.adding(months: n)
            case .quarter: return asOf.adding(months: 3 * n)
            case .year: return asOf.adding(months: 12 * n)
            }
        }
    }
}
