import Foundation
import Testing
@testable import SegmarkKit

let asOf = Day("2026-12-01")!

func match(_ filter: String, _ value: FieldValue, _ type: FieldType) -> Bool? {
    switch FilterParser().parse(filter, type: type, location: SourceLocation(path: "x", line: 1, column: 1)) {
    case .success(let f): return f.matches(value, asOf: asOf)
    case .failure: return nil
    }
}

struct FilterCase: CustomTestStringConvertible, Sendable {
    let filter: String
    let value: FieldValue
    let type: FieldType
    let expected: Bool
    var testDescription: String { "\(filter) vs \(value) (\(type.name)) = \(expected)" }
    init(_ filter: String, _ value: FieldValue, _ type: FieldType, _ expected: Bool) {
        self.filter = filter; self.value = value; self.type = type; self.expected = expected
    }
}

@Suite("BC filter expressions")
struct FilterTests {
    static let cases: [FilterCase] = [
        // equality, case rules
        .init("NO", .text("no"), .code, true),
        .init("NO", .text("NO"), .code, true),
        .init("Oslo", .text("oslo"), .text, false),
        .init("@Oslo", .text("oslo"), .text, true),
        .init("company", .text("Company"), .fixed, true),
        // OR, AND, not equal
        .init("GB|NO", .text("NO"), .code, true),
        .init("GB | NO", .text("NO"), .code, true),
        .init("GB|DE", .text("NO"), .code, false),
        .init("<>NO", .text("SE"), .code, true),
        .init("<>NO", .text("no"), .code, false),
        .init("<>NO&<>SE", .text("SE"), .code, false),
        .init("<>NO&<>SE", .text("DK"), .code, true),
        // ranges and comparisons on text (code points)
        .init("A..C", .text("B"), .code, true),
        .init("A..C", .text("D"), .code, false),
        .init("..C", .text("A"), .code, true),
        .init("C..", .text("Z"), .code, true),
        .init("0100..4999", .text("0150"), .text, true),
        .init("0100..4999", .text("5003"), .text, false),
        .init(">=M", .text("m"), .code, true),
        .init("<b", .text("a"), .text, true),
        // wildcards
        .init("CT1*", .text("CT100"), .code, true),
        .init("CT1?0", .text("CT150"), .code, true),
        .init("CT1?0", .text("CT1500"), .code, false),
        .init("*son", .text("Hanson"), .text, true),
        .init("*Son", .text("Hanson"), .text, false),
        .init("@*SON", .text("Hanson"), .text, true),
        .init("@o*", .text("Oslo"), .text, true),
        .init("*@example.com", .text("a@example.com"), .text, true),
        // empty and missing
        .init("''", .missing, .text, true),
        .init("''", .text("x"), .text, false),
        .init("<>''", .missing, .text, false),
        .init("<>''", .text("x"), .text, true),
        .init("<>A", .missing, .code, true),
        .init("A", .missing, .code, false),
        .init("A..Z", .missing, .code, false),
        .init("*", .missing, .code, false),
        // quoted literals
        .init("'A|B'", .text("A|B"), .text, true),
        .init("'A|B'", .text("A"), .text, false),
        .init("'O''Brien'", .text("O'Brien"), .text, true),
        .init("'*'", .text("*"), .text, true),
        .init("'*'", .text("x"), .text, false),
        .init("'a..b'", .text("a..b"), .text, true),
        // numbers
        .init(">=50", .number(50), .number, true),
        .init(">=50", .number(49.5), .number, false),
        .init("10..20", .number(9), .number, false),
        .init("8", .number(8.0), .number, true),
        .init("<>0", .number(0), .number, false),
        // dates and relative dates
        .init("2026-01-01..2026-12-31", .date(Day("2026-06-01")!), .date, true),
        .init("-1Y..t", .date(Day("2025-12-01")!), .date, true),
        .init("-1Y..t", .date(Day("2025-11-30")!), .date, false),
        .init("t", .date(asOf), .date, true),
        .init("today", .date(asOf), .date, true),
        .init("<-1M", .date(Day("2026-10-31")!), .date, true),
        .init("<-1M", .date(Day("2026-11-01")!), .date, false),
        .init("-2W..", .date(Day("2026-11-17")!), .date, true),
        .init("+1Q", .date(Day("2027-03-01")!), .date, true),
        .init("-1D", .date(Day("2026-11-30")!), .date, true),
        // booleans
        .init("true", .bool(true), .bool, true),
        .init("YES", .bool(true), .bool, true),
        .init("no", .bool(false), .bool, true),
        .init("false", .bool(true), .bool, false),
        // custom fields: number when both are numbers, date when both are dates, else text
        .init(">=50", .text("100"), .custom, true),
        .init(">=50", .text("9"), .custom, false),
        .init(">2026-01-01", .text("2026-02-01"), .custom, true),
        .init("abc", .text("abc"), .custom, true),
        .init("ABC", .text("abc"), .custom, false),
    ]

    @Test(arguments: cases)
    func filterCase(_ c: FilterCase) {
        #expect(match(c.filter, c.value, c.type) == c.expected)
    }

    /// A long OR of plain values (a manual list of ids) is looked up in a set; it must accept
    /// exactly what holding the value against each alternative accepts: case rules per type
    /// and `@`, custom fields that compare as numbers or dates, missing values, and the
    /// alternatives that are not plain (wildcards, ranges, `<>`, `''`) beside them.
    @Test func aLongListAcceptsWhatEachOfItsValuesAccepts() {
        let location = SourceLocation(path: "x", line: 1, column: 1)
        let lists: [(String, FieldType)] = [
            ("C1|c2|C3|C4|C5|C6|C7|C8|Å9|CT*|10..12", .code),
            ("Oslo|@bergen|Tromsø|Ås|A|B|C|D|E|''|Bod?", .text),
            ("5|5.0|7|abc|ABC|2026-01-01|x|y|z|w|u|v|<>q&<>r", .custom),
            ("company|person|email|hard_copy|positive|neutral|negative|very_positive", .fixed),
        ]
        let values: [FieldValue] = [.missing, .text("c1"), .text("C2"), .text("å9"), .text("Å9"), .text("CT77"), .text("11"), .text("oslo"),
                                    .text("Oslo"), .text("BERGEN"), .text("Tromsø"), .text("ås"), .text("Bodø"), .text("5.00"), .text("05"),
                                    .text("abc"), .text("Abc"), .text("2026-1-1"), .text("2026-01-01"), .text("q"), .text("Q"), .text("s"),
                                    .text("Company"), .text("HARD_COPY"), .text("unknown"), .number(5), .number(7)]
        var accepted = 0
        for (source, type) in lists {
            guard case .success(let filter) = FilterParser().parse(source, type: type, location: location) else {
                Issue.record("\(source) does not parse"); continue
            }
            #expect(!filter.plain.isEmpty, "\(source): looked up")
            for value in values {
                let oneByOne = filter.alternatives.contains { $0.allSatisfy { $0.matches(value, type: type, asOf: asOf) } }
                #expect(filter.matches(value, asOf: asOf) == oneByOne, "\(source) vs \(value)")
                if oneByOne { accepted += 1 }
            }
        }
        #expect(accepted > 20)
    }

    /// The evaluator's field index looks the values of a filter of plain values up (exactly, or
    /// lower-cased for codes and `@`) instead of testing each distinct value: the contacts it
    /// finds are those the filter accepts one by one.
    @Test func theFieldIndexLooksPlainValuesUp() {
        let location = SourceLocation(path: "x", line: 1, column: 1)
        let column: [FieldValue] = [.text("NO"), .text("no"), .missing, .text("Oslo"), .text("oslo"), .text("OSLO"), .text("Å9"), .text("å9"),
                                    .text("CT000101"), .text("ct000101"), .text("NO"), .missing, .text("Tromsø"), .text("K"), .text("k")]
        let index = FieldIndex(runs: [Array(column.prefix(7)), Array(column.dropFirst(7))])
        let filters: [(String, FieldType)] = [
            ("NO", .code), ("no|SE", .code), ("å9", .code), ("CT000101|ct000102|X|Y|Z|W|V|U|T|S", .code), ("\u{212A}", .code),
            ("Oslo", .text), ("@oslo|Tromsø", .text), ("oslo|OSLO", .text), ("''", .text), ("NO|<>Oslo", .text), ("N*", .code),
        ]
        for (source, type) in filters {
            guard case .success(let filter) = FilterParser().parse(source, type: type, location: location) else {
                Issue.record("\(source) does not parse"); continue
            }
            let expected = column.indices.filter { filter.matches(column[$0], asOf: asOf) }
            #expect(index.contacts(matching: filter, asOf: asOf).indices == expected, "\(source)")
        }
    }

    @Test func everyContactFieldHasItsOwnSlot() {
        #expect(ContactField.allCases.map(\.slot) == Array(ContactField.allCases.indices))
        var values = ContactValues()
        for f in ContactField.allCases { values[f] = f.rawValue }
        #expect(ContactField.allCases.allSatisfy { values[$0] == $0.rawValue })
    }

    @Test func monthOffsetsClampToMonthEnd() {
        #expect(Day("2026-03-31")!.adding(months: -1) == Day("2026-02-28")!)
        #expect(Day("2024-03-31")!.adding(months: -1) == Day("2024-02-29")!)
        #expect(Day("2024-02-29")!.adding(months: 12) == Day("2025-02-28")!)
        #expect(DateExpression("-1Y")!.resolve(asOf: Day("2024-02-29")!) == Day("2023-02-28")!)
        #expect(DateExpression("-1Q")!.resolve(asOf: Day("2026-05-31")!) == Day("2026-02-28")!)
        #expect(Day("2026-11-29")!.weekStart == Day("2026-11-23")!)
    }

    static let errors: [(String, FieldType, String, Int)] = [
        ("A..", .code, "", -1),
        ("..", .code, "expected a value before or after '..'", 0),
        ("A|", .code, "expected a value after '|'", 1),
        ("|A", .code, "expected a value before '|'", 0),
        ("A&&B", .code, "expected a value after '&'", 1),
        ("<>", .code, "expected a value after '<>'", 1),
        ("'abc", .text, "unterminated quoted text; expected a closing '", 0),
        ("abc", .number, "expected a number, found 'abc'", 0),
        ("x..2026-01-01", .date, "expected a date (YYYY-MM-DD, t, today or an offset such as -1Y), found 'x'", 0),
        ("maybe", .bool, "expected true, false, yes or no, found 'maybe'", 0),
        ("1*", .number, "wildcards ('*') apply to codes and text only, not to a number", 1),
        (" ", .code, "empty filter; write a value, or '' for an empty value", 0),
    ]

    @Test func parseErrorsSayWhatWasExpected() {
        for (filter, type, message, offset) in Self.errors {
            let result = FilterParser().parse(filter, type: type, location: SourceLocation(path: "x", line: 1, column: 1))
            switch result {
            case .success:
                #expect(message.isEmpty, "\(filter) should not parse")
            case .failure(let e):
                #expect(e.message == message, "\(filter)")
                #expect(e.offset == offset, "\(filter)")
            }
        }
    }

    @Test func fixedValuesAreChecked() {
        let r = FilterParser().parse("compny", type: .fixed, fixedValues: ["company", "person"], location: SourceLocation(path: "x", line: 1, column: 1))
        guard case .failure(let e) = r else { Issue.record("should fail"); return }
        #expect(e.message == "'compny' is not a valid value here; expected company or person")
    }
}

@Suite("Number formatting")
struct NumberFormatTests {
    @Test func theFastPathWritesWhatTheGeneralOneWrites() {
        let rng = Random(seed: 99)
        var values: [Decimal] = ["0", "8", "12.5", "-3.25", "0.005", "1234567.891", "-0.4", "100", "7.10", "99.995"].map { Decimal(string: $0)! }
        for _ in 0..<2000 {
            let digits = String(rng.next() % 10_000_000)
            let places = Int(rng.next() % 5)
            var text = digits
            if places > 0, places < digits.count { text.insert(".", at: text.index(text.endIndex, offsetBy: -places)) }
            if rng.next() % 4 == 0 { text = "-" + text }
            values.append(Decimal(string: text)!)
        }
        // Values made by arithmetic (sums keep their exponents; products grow them), beyond 64
        // bits, with positive exponents, and at the edges of the fast path.
        let tenth = Decimal(string: "0.1")!
        values += [tenth + Decimal(string: "0.2")!, Decimal(string: "40.00")! * 3, Decimal(string: "1.5")! * Decimal(string: "1.5")!,
                   Decimal(sign: .plus, exponent: 3, significand: 5), Decimal(sign: .minus, exponent: 2, significand: 7),
                   Decimal(string: "18446744073709551615")!, Decimal(string: "18446744073709551616")!,
                   Decimal(string: "123456789012345678901234567890")!, Decimal(string: "-0.000")!, Decimal(string: "0.0001")!,
                   Decimal(sign: .plus, exponent: 17, significand: 999), Decimal(string: "-99999.9999")!]
        values += (0..<200).map { _ in Decimal(Int(rng.next() % 1000)) * tenth * tenth + Decimal(Int(rng.next() % 10_000)) }
        for value in values {
            for scale in 0...3 {
                #expect(Number.format(value, scale: scale) == Number.formatSlow(value, scale: scale), "\(value) at scale \(scale)")
            }
        }
        #expect(Number.format(Decimal(string: "12.5")!, scale: 2) == "12.50")
        #expect(Number.format(Decimal(string: "2.345")!, scale: 2) == "2.35")
    }

    /// Pages write amounts through a memo: equal values (`1.5` and `1.50`) give one text, and
    /// past the 4,096 values it keeps, every value is still written as `format` writes it.
    @Test func rememberedTextsAreTheFormattedOnes() {
        let money = DecimalTexts(scale: 2), minutes = DecimalTexts(scale: 0)
        let values = (0..<5000).map { Decimal($0) / 8 } + ["1.5", "1.50", "-0.000", "99.995", "2.345"].map { Decimal(string: $0)! }
        for value in values + values.reversed() {
            #expect(money[value] == Number.format(value, scale: 2), "\(value)")
            #expect(minutes[value] == Number.format(value, scale: 0), "\(value)")
        }
        #expect(money[Decimal(string: "1.5")!] == "1.50" && money[Decimal(string: "1.50")!] == "1.50")
    }
}

@Suite("Wildcards")
struct WildcardTests {
    @Test func theLinearMatcherAgreesWithTheReference() {
        let rng = Random(seed: 4242)
        let alphabet: [Character] = ["a", "b", "å", "*", "?"]
        for _ in 0..<20_000 {
            let pattern = String((0..<Int(rng.next() % 9)).map { _ in alphabet[Int(rng.next() % 5)] })
            let text = String((0..<Int(rng.next() % 12)).map { _ in alphabet[Int(rng.next() % 3)] })
            let pieces = Wildcard.pieces(pattern)
            #expect(Wildcard.matches(text, pieces, folded: false) == Wildcard.referenceMatches(text, pieces), "\(pattern) / \(text)")
        }
    }

    /// A filter's pattern is compiled once; ASCII text is matched on its bytes. It answers what
    /// the reference answers, as written and ignoring case, for ASCII and for other text
    /// (which goes to the character matcher), pieces longer than a word of bits included.
    @Test func theCompiledPatternAgreesWithTheReference() {
        let rng = Random(seed: 4343)
        let alphabet: [Character] = ["a", "b", "A", "B", "*", "?", "*", "å", "\r", "\n"]
        for round in 0..<30_000 {
            let asciiOnly = round % 3 != 0
            let letters = asciiOnly ? 7 : alphabet.count
            let pattern = String((0..<Int(rng.next() % 10)).map { _ in alphabet[Int(rng.next() % UInt64(letters))] })
            let text = String((0..<Int(rng.next() % 14)).map { _ -> Character in
                let c = alphabet[Int(rng.next() % UInt64(letters))]
                return c == "*" || c == "?" ? "b" : c
            })
            let pieces = FilterValue(pieces: Wildcard.pieces(pattern)).pieces
            let compiled = WildcardPattern(pieces)
            for fold in [false, true] {
                let reference = Wildcard.referenceMatches(fold ? text.lowercased() : text, fold ? Wildcard.pieces(pattern.lowercased()) : pieces)
                #expect(compiled.matches(text, folded: fold) == reference, "\(pattern) / \(text) folded \(fold)")
            }
        }
        let long = String(repeating: "ab", count: 40)  // a middle piece of 80 characters: two words
        let pattern = WildcardPattern(Wildcard.pieces("x*" + long + "?*y"))
        #expect(pattern.matches("x" + "ab" + long + "Q" + "zzy", folded: false))
        #expect(!pattern.matches("x" + long + "y", folded: false))
        #expect(pattern.matches("X" + long.uppercased() + "QY", folded: true))
    }

    @Test func longPatternsAgainstLongNamesStayLinear() {
        // Quadratic matching took tens of seconds here; the bit-parallel search takes milliseconds.
        let name = String(repeating: "a", count: 400_000)
        let pattern = "*" + String(repeating: "a?", count: 500) + "b*"
        #expect(!Wildcard.matches(name, Wildcard.pieces(pattern), folded: false))
        #expect(Wildcard.matches(name + "b", Wildcard.pieces(pattern), folded: false))
        #expect(Wildcard.matches("xaby", Wildcard.pieces("x*b?"), folded: false))
    }

    @Test func patternsLongerThanTheLimitAreRefused() {
        let long = String(repeating: "a", count: 1100) + "*"
        let location = SourceLocation(path: "s.md", line: 1, column: 1)
        guard case .failure(let d) = FilterParser().parse(long, type: .text, fixedValues: nil, location: location) else {
            Issue.record("accepted")
            return
        }
        #expect(d.message == "a pattern with wildcards may be at most 1024 characters long")
    }
}

@Suite("Sums of entry values")
struct EntrySumTests {
    /// Summed by runs of shared values, a total is the same decimal as added entry by entry:
    /// equal, and written the same at every scale a page uses.
    @Test func aSumByRunsIsTheSumEntryByEntry() {
        let rng = Random(seed: 7)
        for _ in 0..<300 {
            let values = (0..<Int(rng.next() % 6 + 1)).map { _ -> InteractionEntry.Values in
                var text = String(rng.next() % 100_000)
                let places = Int(rng.next() % 4)
                if places > 0, places < text.count { text.insert(".", at: text.index(text.endIndex, offsetBy: -places)) }
                if rng.next() % 5 == 0 { text = "-" + text }
                return .init(batchID: "B", date: Day("2025-01-01")!, template: "T", group: "", segment: nil, campaign: nil, campaignTarget: false,
                             campaignResponse: false, description: nil, subject: nil, evaluation: nil, informationFlow: nil, initiatedBy: nil,
                             correspondenceType: nil, language: nil, cost: Decimal(string: text)!, duration: Decimal(Int(rng.next() % 90)),
                             attemptFailed: false, canceled: false)
            }
            var entries: [InteractionEntry] = []
            for _ in 0..<Int(rng.next() % 400) {
                entries.append(InteractionEntry(contact: 0, batch: 0, shared: values[Int(rng.next() % UInt64(values.count))], salesperson: nil))
                // Long runs, as a batch's listed contacts make them.
                for _ in 0..<Int(rng.next() % 50) { entries.append(entries[entries.count - 1]) }
            }
            let byEntry = entries.reduce(Decimal(0)) { $0 + $1.cost }
            let byRuns = InteractionEntry.sum(entries, \.cost)
            #expect(byRuns == byEntry)
            for scale in 0...2 { #expect(Number.format(byRuns, scale: scale) == Number.format(byEntry, scale: scale)) }
            #expect(byRuns.description == byEntry.description)
            let responders = Decimal(Int(rng.next() % 7 + 1))
            #expect(Number.format(byRuns / responders, scale: 2) == Number.format(byEntry / responders, scale: 2))
        }
    }
}
