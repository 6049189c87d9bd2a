import Foundation
import Testing
@testable import SegmarkKit

/// The text helpers an import runs on every field, against what Foundation answers.
@Suite("Text helpers")
struct TextHelperTests {
    @Test func blanksAreWhatFoundationCallsWhitespace() {
        let pieces = ["", " ", "\t", "\u{A0}", "\u{3000}", "\u{2003}", "\n", "\r", "\u{2028}", "\u{2029}", "\u{0B}", "\u{0C}", "\u{85}", "\u{200B}", "\u{1680}", "\u{202F}", "\u{205F}", "\u{180E}", "\u{FEFF}", "a", "é", "e\u{301}", "0150", "\"", "🙂"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3_000 {
            let s = (0..<Int.random(in: 0...6, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            #expect(Text.trimmingBlanks(s) == s.trimmingCharacters(in: .whitespaces), "\(Array(s.unicodeScalars))")
            #expect(Text.isBlank(s) == s.trimmingCharacters(in: .whitespaces).isEmpty, "\(Array(s.unicodeScalars))")
            #expect(Text.trimmingSpace(s) == s.trimmingCharacters(in: .whitespacesAndNewlines), "\(Array(s.unicodeScalars))")
        }
    }

    @Test func aPlainValueIsQuotedAsAnEscapedOneWouldBe() {
        #expect(YAMLWriting.quote("Nordvik AS") == "\"Nordvik AS\"")
        #expect(YAMLWriting.quote("0150") == "\"0150\"")
        #expect(YAMLWriting.quote("") == "\"\"")
        #expect(YAMLWriting.quote("say \"hi\" \\ bye") == #""say \"hi\" \\ bye""#)
        #expect(YAMLWriting.quote("a\nb\tc\u{7F}\u{1B}") == #""a\nb\tc\x7f\x1b""#)
        #expect(YAMLWriting.quote("Ærlig Øl") == "\"Ærlig Øl\"")
    }

    /// "\r\n" is one Character in Swift, equal to neither "\r" nor "\n": a check over
    /// Characters let a value with a CRLF inside into a CSV unquoted (a row of its own).
    @Test func aLineBreakOfTwoCharactersIsSeenEverywhere() throws {
        #expect(CSV.cell("txt\r\nX") == "\"txt\r\nX\"")
        #expect(CSV.cell("a\rb") == "\"a\rb\"")
        #expect(CSV.encode([["C1", "Evil\r\nX,company"]]) == "C1,\"Evil\r\nX,company\"\r\n")
        #expect(ContactExporter.field("txt\r\nX") == "\"txt\r\nX\"")
        var set = TemplateSet(contentType: .html)
        #expect(throws: TemplateSyntaxError.self) { try set.add("t", source: "{{a\r\nb}}") }
        try set.add("d", source: "{{=<%\r\n%>=}}<%x%>")
        #expect(set.resolvePartials().isEmpty)
        #expect(try set.render("d", ["x": "1"]).map { String(decoding: $0, as: UTF8.self) } == "1")
    }

    @Test func aTerminalSeesControlsAndDirectionOverridesEscaped() {
        #expect(Text.terminalSafe("Evil \u{1B}[31mRED\r\nnext\tline\n") == "Evil \\x1b[31mRED\r\nnext\tline\n")
        #expect(Text.terminalSafe("invoice \u{202E}fdp.exe\u{202C} \u{2066}x\u{2069} \u{200F}") == "invoice \\u{202e}fdp.exe\\u{202c} \\u{2066}x\\u{2069} \\u{200f}")
        #expect(Text.line("a\r\nb\u{2028}") == "a\\r\\nb\\u{2028}")
        #expect(Text.terminalSafe("Ærlig عربي עברית 🙂") == "Ærlig عربي עברית 🙂")
    }

    /// "Did you mean" is asked for every unknown code against whole code tables: the bounded
    /// search must pick what the plain one (every distance in full) picks.
    @Test func theBoundedSuggestionPicksWhatTheFullSearchPicks() {
        func reference(_ word: String, _ candidates: [String]) -> String? {
            guard word.count >= 4 else { return nil }
            let limit = max(1, min(3, word.count / 3))
            var best: (distance: Int, word: String)? = nil
            for candidate in candidates {
                let d = Text.editDistance(word.lowercased(), candidate.lowercased())
                guard d <= limit else { continue }
                if best == nil || d < best!.distance || (d == best!.distance && Text.codePointLess(candidate, best!.word)) { best = (d, candidate) }
            }
            return best?.word
        }
        let rng = Random(seed: 77)
        let alphabet: [String] = ["a", "b", "c", "A", "B", "ø", "Ø", "İ", "e\u{301}", "-"]
        func word(_ n: Int) -> String { (0..<n).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }.joined() }
        var found = 0
        for _ in 0..<3_000 {
            let target = word(3 + Int(rng.next() % 8))
            // Near misses of the word as well as random words.
            let candidates = (0..<Int(rng.next() % 12)).map { k -> String in
                guard k % 2 == 0 else { return word(1 + Int(rng.next() % 11)) }
                var near = Array(target)
                for _ in 0..<(1 + Int(rng.next() % 3)) where !near.isEmpty { near[Int(rng.next() % UInt64(near.count))] = Character(word(1)) }
                if rng.next() % 3 == 0, near.count > 1 { near.swapAt(0, 1) }
                return String(near)
            }
            let picked = Text.suggestion(for: target, among: candidates)
            #expect(picked == reference(target, candidates), "\(target) among \(candidates)")
            if picked != nil { found += 1 }
        }
        #expect(found > 500)
        #expect(Text.suggestion(for: "industy_groups", among: ["industry_groups", "mailing_groups"]) == "industry_groups")
        #expect(Text.suggestion(for: "GROUQ00001", among: (0..<5000).map { String(format: "GROUP%05d", $0) }) == "GROUP00001")
    }

    /// The indexed search answers what the plain one answers, for the words asked before the
    /// list is indexed and after: near misses (a letter changed, dropped, added, two swapped,
    /// up to three edits), random words, words longer than those indexed, letters that
    /// lower-case to two, a list with a word twice.
    @Test func theIndexedSuggestionPicksWhatThePlainSearchPicks() {
        let rng = Random(seed: 91)
        let alphabet: [String] = ["a", "b", "c", "d", "A", "B", "ø", "Ø", "İ", "e\u{301}", "-", "1"]
        func word(_ n: Int) -> String { (0..<n).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }.joined() }
        func nearMiss(_ of: String) -> String {
            var near = Array(of)
            for _ in 0..<(1 + Int(rng.next() % 3)) where !near.isEmpty {
                let at = Int(rng.next() % UInt64(near.count))
                switch rng.next() % 4 {
                case 0: near[at] = Character(word(1))
                case 1: near.remove(at: at)
                case 2: near.insert(Character(word(1)), at: at)
                default: if at + 1 < near.count { near.swapAt(at, at + 1) }
                }
            }
            return String(near)
        }
        var found = 0
        for round in 0..<4 {
            var list = (0..<(200 + round * 150)).map { _ in word(2 + Int(rng.next() % (round == 3 ? 22 : 12))) }
            list.append(list[3])
            let suggester = Suggester(list)
            for k in 0..<200 {
                let asked = k % 3 == 0 ? word(3 + Int(rng.next() % 14)) : nearMiss(list[Int(rng.next() % UInt64(list.count))])
                let picked = suggester.suggestion(for: asked)
                #expect(picked == Text.suggestion(for: asked, among: list), "\(asked) (round \(round), word \(k))")
                #expect(suggester.suggestion(for: asked) == picked)
                if picked != nil { found += 1 }
            }
        }
        #expect(found > 300)
        // From several threads at once, each word answered as alone.
        let codes = (0..<3_000).map { String(format: "GRP%05d", $0 * 7) }
        let shared = Suggester(codes)
        let words = (0..<400).map { String(format: "GRQ%05d", $0 * 7) }
        let answers = parallelMap(words.count, itemsPerWorker: 8) { shared.suggestion(for: words[$0]) }
        #expect(answers == words.map { Text.suggestion(for: $0, among: codes) })
    }

    @Test func anEmailAddressLooksLikeOne() {
        for good in ["a@b.no", "ola.nordmann@firma.example.com", "æ@ø.no"] { #expect(ContactImporter.looksLikeEmail(good), "\(good)") }
        for bad in ["", "@b.no", "a@", "a@b", "a@.no", "a@b.", "a@b@c.no", "a b@c.no", "a@b.no,", "<a@b.no>", "a;b@c.no"] {
            #expect(!ContactImporter.looksLikeEmail(bad), "\(bad)")
        }
    }
}

/// A value in a Markdown table cell stays one cell of plain text, whatever it holds.
@Suite("Markdown table cells")
struct MarkdownCellTests {
    @Test func specialCharactersAreEscapedAndLineBreaksBecomeOneSpace() {
        #expect(MarkdownEscaping.cell("Nordvik AS") == "Nordvik AS")
        #expect(MarkdownEscaping.cell("Ærlig Øl 0150") == "Ærlig Øl 0150")
        #expect(MarkdownEscaping.cell("a|b*c_d[e]f`g\\h<i>j#k~l") == ##"a\|b\*c\_d\[e\]f\`g\\h\<i\>j\#k\~l"##)
        #expect(MarkdownEscaping.cell("one\r\ntwo\nthree\rfour\r\r\nfive") == "one two three four  five")
    }

    /// A combining mark after `|` does not make it something else: GFM splits a row at
    /// every unescaped `|` byte, so it is escaped like any other.
    @Test func aSpecialCharacterFollowedByACombiningMarkIsEscapedToo() {
        #expect(MarkdownEscaping.cell("x |\u{301} y") == "x \\|\u{301} y")
        #expect(MarkdownEscaping.cell("[\u{301}link](javascript:x)") == "\\[\u{301}link\\](javascript:x)")
    }
}

/// Header folding on bytes against the Character-based folding it replaced: the same lines.
@Suite("E-mail header lines")
struct MailHeaderLineTests {
    static func reference(_ name: String, _ value: String) -> String {
        var out = ""
        var current = name + ":"
        for word in value.split(separator: " ", omittingEmptySubsequences: false) {
            if current.utf8.count + 1 + word.utf8.count > 78, current.utf8.count > name.utf8.count + 1 {
                out += current + "\r\n"
                current = ""
            }
            current += " " + word
        }
        return out + current + "\r\n"
    }

    @Test func foldsAsBefore() {
        let words = ["", "a", "Nordvik", "=?utf-8?B?w4ZybGlnIMOYbCBvZyBCcsO4ZA==?=", String(repeating: "x", count: 70), String(repeating: "y", count: 90), "<ola@nordvik.no>"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let value = (0..<Int.random(in: 0...8, using: &generator)).map { _ in words.randomElement(using: &generator)! }.joined(separator: " ")
            for name in ["To", "Subject", "Content-Type"] {
                #expect(MailHeader.line(name, value) == Self.reference(name, value), "\(name): \(value)")
            }
        }
        #expect(MailHeader.line("X-Unsent", "1") == "X-Unsent: 1\r\n")
        #expect(MailHeader.clean(" \tHello\u{2028} World\r\n \u{A0}") == "Hello World")
    }

    /// The byte checks of header values say what the scalar-by-scalar ones said: `clean` as
    /// removing controls then trimming blanks, `=?` as Foundation's `contains`.
    @Test func cleaningAndEncodedWordStartsAsBefore() {
        // Tabs become spaces; controls (category Cc) and the line and paragraph separators go;
        // blanks at the ends go.
        func reference(_ value: String) -> String {
            var scalars = value.unicodeScalars.map { $0 == "\t" ? " " : $0 }
            scalars.removeAll { $0.properties.generalCategory == .control || $0 == "\u{2028}" || $0 == "\u{2029}" }
            return String(String.UnicodeScalarView(scalars)).trimmingCharacters(in: .whitespaces)
        }
        let pieces = ["", " ", "a", "Nordvik", "=", "?", "=?", "?=", "\t", "\r\n", "\u{7F}", "\u{85}", "\u{A0}", "Ø", "\u{2028}", "\u{3000}", "x y"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3_000 {
            let value = (0..<Int.random(in: 0...6, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            #expect(MailHeader.clean(value) == reference(value), "\(value.debugDescription)")
            #expect(MailHeader.hasEncodedWordStart(value) == value.contains("=?"), "\(value.debugDescription)")
        }
    }
}

@Suite("Code point order")
struct CodePointOrderTests {
    /// Compared with memcmp on UTF-8, strings order as their code points do: as the UTF-8
    /// views compare element by element, prefixes first.
    @Test func bytesOrderAsCodePointsDo() {
        var generator = SystemRandomNumberGenerator()
        let pieces = ["", "a", "b", "A", "ab", "æ", "\u{301}", "e\u{301}", "é", "😀", "\u{FFFF}", "0", " ", "z"]
        var texts = pieces
        for _ in 0..<300 { texts.append((0..<Int.random(in: 0...4, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()) }
        for a in texts.prefix(120) {
            for b in texts.suffix(120) {
                #expect(Text.codePointLess(a, b) == a.utf8.lexicographicallyPrecedes(b.utf8), "\(a.debugDescription) < \(b.debugDescription)")
            }
        }
    }

    /// JSON output writes an empty list or object as `[]` or `{}`, and leaves everything else,
    /// strings holding `[`, blank-looking escapes and all, as Foundation wrote it.
    @Test func emptyJSONContainersCloseOnTheirLine() throws {
        struct Item: Encodable { var codes: [String]; var fields: [String: String]; var note: String }
        let items = [Item(codes: [], fields: [:], note: "[\n\n]"), Item(codes: ["A"], fields: ["k": "{"], note: "")]
        let text = JSONOutput.encode(items)
        #expect(text == """
        [
          {
            "codes" : [],
            "fields" : {},
            "note" : "[\\n\\n]"
          },
          {
            "codes" : [
              "A"
            ],
            "fields" : {
              "k" : "{"
            },
            "note" : ""
          }
        ]

        """)
        #expect(JSONOutput.encode([Item]()) == "[]\n")
        let decoded = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [[String: Any]]
        #expect(decoded[0]["note"] as? String == "[\n\n]")
    }
}
