/// Parses BC filter syntax into a `Filter` bound to a field type.
/// Errors carry the column of the offending character and say what was expected.
public struct FilterParser: Sendable {
    public struct ParseError: Error, Sendable, Equatable {
        public var message: String
        /// 0-based offset (in characters) into the filter text.
        public var offset: Int
    }

    public init() {}

    /// - Parameters:
    ///   - fixedValues: for `.fixed` fields, the allowed values (checked on plain terms).
    public func parse(_ source: String, type: FieldType, fixedValues: [String]? = nil,
                      location: SourceLocation) -> Result<Filter, ParseError> {
        let chars = Array(source)
        if chars.allSatisfy({ $0 == " " || $0 == "\t" }) {
            return .failure(ParseError(message: "empty filter; write a value, or '' for an empty value", offset: 0))
        }
        if let bang = chars.firstIndex(of: "!"), bang + 1 < chars.count, chars[bang + 1] == "=" {
            return .failure(ParseError(message: "'!=' is not BC filter syntax; write '<>' for 'not equal', e.g. <>\(String(chars[(bang + 2)...]).trimmingCharacters(in: .whitespaces))", offset: bang))
        }
        do {
            var alternatives: [[FilterTerm]] = []
            for alternative in try split(chars, range: 0..<chars.count, on: "|") {
                var terms: [FilterTerm] = []
                for termRange in try split(chars, range: alternative, on: "&") {
                    terms.append(try parseTerm(chars, termRange, type: type, fixedValues: fixedValues))
                }
                alternatives.append(terms)
            }
            return .success(Filter(source: source, location: location, type: type, alternatives: alternatives))
        } catch let error as ParseError {
            return .failure(error)
        } catch {
            return .failure(ParseError(message: "invalid filter", offset: 0))
        }
    }

    /// Splits on an unquoted separator; an empty part is an error.
    func split(_ chars: [Character], range: Range<Int>, on separator: Character) throws -> [Range<Int>] {
        var parts: [Range<Int>] = []
        var start = range.lowerBound
        var i = range.lowerBound
        var quoted = false
        while i < range.upperBound {
            let c = chars[i]
            if c == "'" { quoted.toggle() }
            else if c == separator && !quoted {
                parts.append(start..<i)
                start = i + 1
            }
            i += 1
        }
        if quoted {
            throw ParseError(message: "unterminated quoted text; expected a closing '", offset: firstUnclosedQuote(chars, range))
        }
        parts.append(start..<range.upperBound)
        for (n, part) in parts.enumerated() where isBlank(chars, part) {
            if n == 0 {
                throw ParseError(message: "expected a value before '\(separator)'", offset: part.upperBound)
            }
            throw ParseError(message: "expected a value after '\(separator)'", offset: part.lowerBound - 1)
        }
        return parts
    }

    func firstUnclosedQuote(_ chars: [Character], _ range: Range<Int>) -> Int {
        var open: Int? = nil
        for i in range where chars[i] == "'" {
            open = open == nil ? i : nil
        }
        return open ?? range.lowerBound
    }

    func isBlank(_ chars: [Character], _ range: Range<Int>) -> Bool {
        chars[range].allSatisfy { $0 == " " || $0 == "\t" }
    }

    func skipBlanks(_ chars: [Character], _ i: inout Int, _ end: Int) {
        while i < end, chars[i] == " " || chars[i] == "\t" { i += 1 }
    }

    func parseTerm(_ chars: [Character], _ range: Range<Int>, type: FieldType, fixedValues: [String]?) throws -> FilterTerm {
        var i = range.lowerBound
        let end = range.upperBound
        var caseInsensitive = false
        skipBlanks(chars, &i, end)
        if i < end, chars[i] == "@" { caseInsensitive = true; i += 1; skipBlanks(chars, &i, end) }
        var operation: FilterTerm.Operation? = nil
        var opText = ""
        if i < end {
            let next: Character? = i + 1 < end ? chars[i + 1] : nil
            switch (chars[i], next) {
            case ("<", ">"): operation = .notEqual; opText = "<>"; i += 2
            case ("<", "="): operation = .lessOrEqual; opText = "<="; i += 2
            case (">", "="): operation = .greaterOrEqual; opText = ">="; i += 2
            case ("<", _): operation = .less; opText = "<"; i += 1
            case (">", _): operation = .greater; opText = ">"; i += 1
            case ("=", _): operation = .equal; opText = "="; i += 1
            default: break
            }
        }
        skipBlanks(chars, &i, end)
        if operation != nil, i < end, chars[i] == "@" { caseInsensitive = true; i += 1; skipBlanks(chars, &i, end) }
        // A range?
        if let dots = findRange(chars, i..<end) {
            if operation != nil {
                throw ParseError(message: "a range cannot follow '\(opText)'", offset: dots)
            }
            let low = try parseValue(chars, i..<dots, type: type, allowEmpty: true)
            let high = try parseValue(chars, (dots + 2)..<end, type: type, allowEmpty: true)
            if low == nil && high == nil {
                throw ParseError(message: "expected a value before or after '..'", offset: dots)
            }
            if let second = findRange(chars, (dots + 2)..<end) {
                throw ParseError(message: "a range has only one '..'", offset: second)
            }
            return FilterTerm(operation: .range(low: low?.value, high: high?.value), value: nil, caseInsensitive: caseInsensitive)
        }
        guard let parsed = try parseValue(chars, i..<end, type: type, allowEmpty: false) else {
            if let _ = operation {
                throw ParseError(message: "expected a value after '\(opText)'", offset: max(range.lowerBound, i - 1))
            }
            throw ParseError(message: "expected a value", offset: i)
        }
        if parsed.isEmptyMarker {
            switch operation ?? .equal {
            case .equal: return FilterTerm(operation: .empty, value: nil, caseInsensitive: false)
            case .notEqual: return FilterTerm(operation: .notEmpty, value: nil, caseInsensitive: false)
            default: break
            }
        }
        if let fixedValues, operation == nil || { if case .equal = operation! { return true }; if case .notEqual = operation! { return true }; return false }(),
           !parsed.value.hasWildcards, !parsed.isEmptyMarker,
           !fixedValues.contains(where: { $0.lowercased() == parsed.value.text.lowercased() }) {
            throw ParseError(message: "'\(parsed.value.text)' is not a valid value here; expected \(Self.orList(fixedValues))",
                             offset: parsed.offset)
        }
        return FilterTerm(operation: operation ?? .equal, value: parsed.value, caseInsensitive: caseInsensitive)
    }

    static func orList(_ values: [String]) -> String {
        if values.count <= 1 { return values.joined() }
        return values.dropLast().joined(separator: ", ") + " or " + values.last!
    }

    /// Offset of an unquoted `..`, if any.
    func findRange(_ chars: [Character], _ range: Range<Int>) -> Int? {
        var quoted = false
        var i = range.lowerBound
        while i < range.upperBound {
            let c = chars[i]
            if c == "'" { quoted.toggle() }
            else if !quoted, c == ".", i + 1 < range.upperBound, chars[i + 1] == "." { return i }
            i += 1
        }
        return nil
    }

    struct ParsedValue {
        var value: FilterValue
        var offset: Int
        var isEmptyMarker: Bool
    }

    func parseValue(_ chars: [Character], _ range: Range<Int>, type: FieldType, allowEmpty: Bool) throws -> ParsedValue? {
        var lo = range.lowerBound, hi = range.upperBound
        while lo < hi, chars[lo] == " " || chars[lo] == "\t" { lo += 1 }
        while hi > lo, chars[hi - 1] == " " || chars[hi - 1] == "\t" { hi -= 1 }
        if lo == hi { return nil }
        var pieces: [FilterValue.Piece] = []
        var i = lo
        var onlyEmptyQuotes = true
        var literal = ""
        while i < hi {
            let c = chars[i]
            if c == "'" {
                // Quoted literal: '' inside is a quote.
                var j = i + 1
                var quotedText = ""
                while j < hi {
                    if chars[j] == "'" {
                        if j + 1 < hi, chars[j + 1] == "'" { quotedText.append("'"); j += 2; continue }
                        break
                    }
                    quotedText.append(chars[j])
                    j += 1
                }
                if !literal.isEmpty { pieces.append(.text(literal)); literal = "" }
                if !quotedText.isEmpty { onlyEmptyQuotes = false }
                pieces.append(.text(quotedText))
                i = j + 1
                continue
            }
            onlyEmptyQuotes = false
            switch c {
            case "*" where type != .number && type != .date && type != .bool:
                if !literal.isEmpty { pieces.append(.text(literal)); literal = "" }
                pieces.append(.anyRun)
            case "?" where type != .number && type != .date && type != .bool:
                if !literal.isEmpty { pieces.append(.text(literal)); literal = "" }
                pieces.append(.anyOne)
            case "*", "?":
                throw ParseError(message: "wildcards ('\(c)') apply to codes and text only, not to a \(type.name)", offset: i)
            case "<", ">", "=":
                throw ParseError(message: "unexpected '\(c)' inside a value; quote it ('\(c)') or put the operator first", offset: i)
            case "@":
                if type == .code || type == .text || type == .custom || type == .fixed {
                    literal.append(c)
                } else {
                    throw ParseError(message: "unexpected '@'; it may only start a term", offset: i)
                }
            default:
                literal.append(c)
            }
            i += 1
        }
        if !literal.isEmpty { pieces.append(.text(literal)) }
        let value = FilterValue(pieces: pieces)
        if value.hasWildcards, value.text.count > Wildcard.maxPatternLength {
            throw ParseError(message: "a pattern with wildcards may be at most \(Wildcard.maxPatternLength) characters long", offset: lo)
        }
        if onlyEmptyQuotes {
            return ParsedValue(value: value, offset: lo, isEmptyMarker: true)
        }
        switch type {
        case .number where value.number == nil:
            throw ParseError(message: "expected a number, found '\(value.text)'", offset: lo)
        case .date where value.date == nil:
            throw ParseError(message: "expected a date (YYYY-MM-DD, t, today or an offset such as -1Y), found '\(value.text)'", offset: lo)
        case .bool where value.bool == nil:
            throw ParseError(message: "expected true, false, yes or no, found '\(value.text)'", offset: lo)
        default:
            break
        }
        return ParsedValue(value: value, offset: lo, isEmptyMarker: false)
    }
}
