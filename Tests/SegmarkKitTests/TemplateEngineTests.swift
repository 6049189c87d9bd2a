import Testing
@testable import SegmarkKit

/// The template engine against the rules of the Mustache specification, each case written
/// here from the rule it checks (interpolation, sections, inverted sections, comments,
/// partials, delimiters, standalone lines), plus the content-type pragma and the errors.
@Suite("Template engine")
struct TemplateEngineTests {
    func render(_ source: String, _ data: TemplateValue = [:], partials: [String: String] = [:],
                type: TemplateContentType = .html) throws -> String {
        var set = TemplateSet(contentType: type)
        try set.add("main", source: source)
        for (name, text) in partials.sorted(by: { $0.key < $1.key }) { try set.add(name, source: text) }
        #expect(set.resolvePartials().isEmpty)
        return String(decoding: try set.render("main", data)!, as: UTF8.self)
    }

    func failure(_ source: String, partials: [String: String] = [:]) -> String {
        var set = TemplateSet(contentType: .html)
        do {
            try set.add("main", source: source)
            for (name, text) in partials { try set.add(name, source: text) }
        } catch {
            return "\(error.line):\(error.column): \(error.message)"
        }
        if let (_, e) = set.resolvePartials().first { return "\(e.line):\(e.column): \(e.message)" }
        return "no error"
    }

    // MARK: interpolation

    @Test func interpolationEscapesTheFiveHTMLCharacters() throws {
        #expect(try render("{{x}}", ["x": "& < > \" ' æ"]) == "&amp; &lt; &gt; &quot; &#39; æ")
        #expect(try render("{{{x}}}|{{&x}}", ["x": "<b>"]) == "<b>|<b>")
    }

    @Test func escapingWorksOnBytesSoACombiningMarkCannotHideAQuote() throws {
        // `"` followed by U+0301 is one Character in Swift; as bytes it is still a quote.
        #expect(try render("<a title=\"{{x}}\">", ["x": "\"\u{301} onmouseover=alert(1)"]) == "<a title=\"&quot;\u{301} onmouseover=alert(1)\">")
        #expect(try render("{{x}}", ["x": "<\u{338}"]) == "&lt;\u{338}")
    }

    /// Escaping looks at eight bytes at a time until one of the five may be among them: each
    /// of the five at every place in texts of up to 40 bytes (and beside a two-byte letter)
    /// is escaped, and nothing else changes.
    @Test func eachOfTheFiveIsEscapedAtEveryPlaceInALongText() throws {
        func expected(_ s: String) -> String {
            var out = ""
            for ch in s.unicodeScalars {
                switch ch {
                case "&": out += "&amp;"
                case "<": out += "&lt;"
                case ">": out += "&gt;"
                case "\"": out += "&quot;"
                case "'": out += "&#39;"
                default: out.unicodeScalars.append(ch)
                }
            }
            return out
        }
        var texts: [String] = []
        for length in 0...40 {
            let plain = String(repeating: "a", count: length)
            texts.append(plain)
            for special in ["&", "<", ">", "\"", "'", "ø"] {
                for at in 0...length {
                    var chars = Array(plain)
                    chars.insert(Character(special), at: at)
                    texts.append(String(chars))
                }
            }
        }
        texts += ["!#%;=?@[`{", "aaaaaaa&aaaaaaa<aaaaaaa>", "&&&&&&&&&&&&&&&&&", "é\"ø'<>&é"]
        for text in texts {
            #expect(try render("{{x}}", ["x": .text(text)]) == expected(text), "\(text)")
            #expect(try render("{{{x}}}", ["x": .text(text)]) == text)
        }
        #expect(HTMLEscaping.text(String(repeating: "x<", count: 5000)) == String(repeating: "x&lt;", count: 5000))
    }

    /// Rows of one list need not be alike: a name is found in each row wherever the row has
    /// it, whatever order the rows before it had their fields in.
    @Test func rowsWithFieldsInAnotherOrderReadTheirOwnFields() throws {
        let data: TemplateValue = ["name": "outer", "rows": [
            ["id": "1", "name": "a"], ["name": "b", "id": "2"], ["x": "y", "id": "3"], ["name": "d", "other": "o", "id": "4"], ["id": "5", "name": "e"],
        ]]
        #expect(try render("{{#rows}}{{id}}={{name}};{{/rows}}", data) == "1=a;2=b;3=outer;4=d;5=e;")
    }

    /// A page far longer than its buffer's first size: the buffer grows and keeps every byte.
    @Test func aLongPageKeepsEveryByte() throws {
        let rows = TemplateValue.list((0..<20_000).map { ["id": .int($0), "name": .text("n&\($0)")] })
        let page = try render("{{#rows}}<{{id}} {{name}}>\n{{/rows}}", ["rows": rows])
        #expect(page == (0..<20_000).map { "<\($0) n&amp;\($0)>\n" }.joined())
    }

    /// A table row (text and one-word names only) renders in its flat form: a name the row
    /// lacks is found in the context around the list, items that are not objects read only
    /// that context, and an indented partial's rows are indented.
    @Test func tableRowsReadTheRowThenTheContextAround() throws {
        let data: TemplateValue = ["site": "S&P", "rows": [["id": "1", "name": "<a>"], ["id": "2", "site": "own"], "plain", 7]]
        #expect(try render("{{#rows}}[{{id}}|{{name}}|{{{name}}}|{{site}}]{{/rows}}", data)
                == "[1|&lt;a&gt;|<a>|S&amp;P][2|||own][|||S&amp;P][|||S&amp;P]")
        #expect(try render("  {{> row}}\n", data, partials: ["row": "{{#rows}}\n<{{id}}>\n{{/rows}}\n"])
                == "  <1>\n  <2>\n  <>\n  <>\n")
        #expect(try render("{{#rows}}{{id}}{{/rows}}", data, type: .text) == "12")
    }

    @Test func numbersBooleansAndMissingValues() throws {
        #expect(try render("{{n}} {{m}} {{t}} {{f}} [{{missing}}] [{{{missing}}}]", ["n": 42, "m": -7, "t": true, "f": false]) == "42 -7 true false [] []")
        #expect(try render("{{n}}", ["n": .int(Int.max)]) == "\(Int.max)")
        #expect(try render("{{ x }}|{{{ x }}}|{{& x }}", ["x": "a"]) == "a|a|a")
    }

    @Test func dottedNames() throws {
        let data: TemplateValue = ["a": ["b": ["c": "deep"]], "c": "top"]
        #expect(try render("{{a.b.c}}", data) == "deep")
        // The first part is looked up through the stack; the rest only inside what it found.
        #expect(try render("{{#a}}{{b.c}}{{/a}}", data) == "deep")
        #expect(try render("{{a.b.x}}|{{a.c}}", data) == "|")
        #expect(try render("{{#a.b}}{{c}}{{/a.b}}", data) == "deep")
    }

    @Test func implicitIterator() throws {
        #expect(try render("{{#list}}({{.}}){{/list}}", ["list": ["a", "<", 3]]) == "(a)(&lt;)(3)")
        #expect(try render("{{#list}}({{{.}}}){{/list}}", ["list": ["<"]]) == "(<)")
    }

    // MARK: sections

    @Test func sectionsOverBoolsListsObjectsAndEmptyValues() throws {
        #expect(try render("{{#t}}yes{{/t}}{{#f}}no{{/f}}", ["t": true, "f": false]) == "yes")
        #expect(try render("{{#list}}{{name}},{{/list}}", ["list": [["name": "a"], ["name": "b"]]]) == "a,b,")
        #expect(try render("{{#list}}x{{/list}}|{{#missing}}x{{/missing}}|{{#null}}x{{/null}}", ["list": [], "null": nil]) == "||")
        #expect(try render("{{#o}}{{k}}{{/o}}", ["o": ["k": "v"]]) == "v")
        // A text or number opens its section and becomes the current item.
        #expect(try render("{{#s}}[{{.}}]{{/s}}{{#n}}[{{.}}]{{/n}}", ["s": "", "n": 0]) == "[][0]")
    }

    @Test func sectionsSeeOuterNamesAndInnerNamesWin() throws {
        let data: TemplateValue = ["x": "outer", "y": "Y", "list": [["x": "inner"], [:]]]
        #expect(try render("{{#list}}{{x}}{{y}};{{/list}}", data) == "innerY;outerY;")
        #expect(try render("{{#a}}{{#b}}{{#c}}{{x}}{{/c}}{{/b}}{{/a}}", ["a": ["x": 1], "b": ["c": true]]) == "1")
    }

    @Test func invertedSections() throws {
        let data: TemplateValue = ["t": true, "f": false, "empty": [], "full": [1], "o": [:]]
        #expect(try render("{{^t}}1{{/t}}{{^f}}2{{/f}}{{^empty}}3{{/empty}}{{^full}}4{{/full}}{{^missing}}5{{/missing}}{{^o}}6{{/o}}", data) == "235")
    }

    // MARK: comments and standalone lines

    @Test func commentsRenderNothing() throws {
        #expect(try render("a{{! note }}b") == "ab")
        #expect(try render("a\n  {{! standalone }}\nb") == "a\nb")
        #expect(try render("a\n{{!\nmulti\nline\n}}\nb\n") == "a\nb\n")
        #expect(try render("a {{! inline }}\n") == "a \n")
    }

    @Test func standaloneTagLinesAreRemoved() throws {
        #expect(try render("begin\n  {{#t}}\n  row\n  {{/t}}\nend\n", ["t": true]) == "begin\n  row\nend\n")
        #expect(try render("begin\r\n{{#t}}\r\nrow\r\n{{/t}}\r\nend", ["t": true]) == "begin\r\nrow\r\nend")
        // At the very start and at the very end without a newline.
        #expect(try render("  {{#t}}\nx\n{{/t}}", ["t": true]) == "x\n")
        // Not standalone: other text on the line.
        #expect(try render(" {{#t}}x{{/t}} \n", ["t": true]) == " x \n")
        #expect(try render("{{#t}} a\n{{/t}}", ["t": true]) == " a\n")
        // A variable never stands alone.
        #expect(try render("  {{x}}\n", ["x": "v"]) == "  v\n")
    }

    @Test func listRowsKeepTheirLines() throws {
        let data: TemplateValue = ["rows": [["n": 1], ["n": 2]]]
        #expect(try render("<ul>\n{{#rows}}\n<li>{{n}}</li>\n{{/rows}}\n</ul>\n", data) == "<ul>\n<li>1</li>\n<li>2</li>\n</ul>\n")
    }

    // MARK: partials

    @Test func partialsRenderInTheCurrentContext() throws {
        #expect(try render("[{{>p}}]", ["x": "v"], partials: ["p": "{{x}}"]) == "[v]")
        #expect(try render("{{#list}}{{>p}}{{/list}}", ["list": [["x": 1], ["x": 2]]], partials: ["p": "{{x}};"]) == "1;2;")
    }

    @Test func standalonePartialsIndentEveryLine() throws {
        let partial = "|\n{{{content}}}\n|\n"
        #expect(try render("\\\n {{>p}}\n/\n", ["content": "<\n->"], partials: ["p": partial]) == "\\\n |\n <\n->\n |\n/\n")
        // List rows inside an indented partial are indented on every repetition.
        let rows = "{{#rows}}\n- {{.}}\n{{/rows}}\n"
        #expect(try render("list:\n  {{> rows}}\nend\n", ["rows": ["a", "b"]], partials: ["rows": rows]) == "list:\n  - a\n  - b\nend\n")
        // Empty lines of the partial get no trailing blanks.
        #expect(try render("  {{>p}}\n", partials: ["p": "a\n\nb\n"]) == "  a\n\n  b\n")
        // Inline partials are not indented.
        #expect(try render("  {{>p}} x\n", partials: ["p": "a\nb"]) == "  a\nb x\n")
        // Nested standalone partials add their indentations.
        #expect(try render(" {{>p}}\n", partials: ["p": "p\n {{>q}}\n", "q": "q1\nq2\n"]) == " p\n  q1\n  q2\n")
    }

    /// A partial may include itself over nested data (the recursion ends with the data), as
    /// deep as `maxPartialDepth`; one that never ends stops the page with an error naming it.
    @Test func recursivePartialsStopAtTheDepthLimit() throws {
        let tree: TemplateValue = ["name": "a", "kids": [["name": "b", "kids": [["name": "c", "kids": []]]]]]
        #expect(try render("{{>node}}", tree, partials: ["node": "{{name}}({{#kids}}{{>node}}{{/kids}})"]) == "a(b(c()))")
        // (`kid: false` at the end: a context without `kid` would find its parent's.)
        func nested(_ depth: Int) -> TemplateValue { depth == 0 ? ["kid": false] : ["kid": nested(depth - 1)] }
        let deepest = TemplateSet.maxPartialDepth
        #expect(try render("{{>p}}", nested(deepest - 1), partials: ["p": ".{{#kid}}{{>p}}{{/kid}}"]) == String(repeating: ".", count: deepest))
        for (main, partials) in [("{{>p}}", ["p": "{{x}}{{>p}}"]), ("{{>p}}", ["p": "{{>q}}", "q": "{{>p}}{{>p}}"]),
                                 ("{{>p}}", ["p": ".{{#kid}}{{>p}}{{/kid}}"])] {
            var set = TemplateSet(contentType: .html)
            try set.add("main", source: main)
            for (name, text) in partials.sorted(by: { $0.key < $1.key }) { try set.add(name, source: text) }
            #expect(set.resolvePartials().isEmpty)
            let data: TemplateValue = main == "{{>p}}" && partials["p"]!.contains("kid") ? nested(deepest) : ["x": "."]
            #expect(throws: TemplateSet.Overrun.self) { try set.render("main", data) }
            do {
                _ = try set.render("main", data)
            } catch {
                #expect(error.reason == .depth)
                #expect(error.message(page: "index.html") == "rendering index.html stopped: partials nested more than 64 deep, far deeper than any real page; "
                        + "does partial '\(error.partial ?? "?")' include itself?")
                #expect(["p", "q"].contains(error.partial ?? ""))
            }
        }
    }

    /// A template that runs away stops with an error instead of running for ever or filling
    /// the memory: a partial that includes itself twice (2^64 calls), one that includes
    /// itself inside a list, lists nested in themselves; the error names the partial that
    /// was being rendered. A real page's work (a list of 100,000 rows) is far below the limit.
    @Test func aRunawayTemplateStopsWithAnError() throws {
        let small = PageBuffer.Limits(work: 100_000, bytes: 1 << 20)
        func overrun(_ main: String, _ data: TemplateValue, partials: [String: String], limits: PageBuffer.Limits = small) throws -> TemplateSet.Overrun? {
            var set = TemplateSet(contentType: .html)
            set.limits = limits
            try set.add("main", source: main)
            for (name, text) in partials.sorted(by: { $0.key < $1.key }) { try set.add(name, source: text) }
            #expect(set.resolvePartials().isEmpty)
            do {
                _ = try set.render("main", data)
                return nil
            } catch {
                return error
            }
        }
        let ten: TemplateValue = ["items": .list((0..<10).map { _ in ["x": "y"] })]
        // A partial that includes itself goes deeper first: the depth runs out (2^64 calls
        // would have been next), inside a list too.
        #expect(try overrun("{{>p}}", [:], partials: ["p": "{{>p}}{{>p}}"])
                == TemplateSet.Overrun(template: "main", partial: "p", reason: .depth, limits: small))
        #expect(try overrun("{{>p}}", [:], partials: ["p": "<footer>{{>p}}{{>p}}</footer>"])
                == TemplateSet.Overrun(template: "main", partial: "p", reason: .depth, limits: small))
        #expect(try overrun("a{{>p}}", ten, partials: ["p": "{{#items}}{{x}}{{>p}}{{/items}}"])
                == TemplateSet.Overrun(template: "main", partial: "p", reason: .depth, limits: small))
        // Partial calls in a list, one deep: 30,000 rows and 120,000 calls; or lists in lists
        // around a partial: 1,000 calls of 10 KB each.
        let many: TemplateValue = ["items": .list((0..<30_000).map { _ in ["x": "y"] })]
        #expect(try overrun("{{#items}}{{>p}}{{>p}}{{>p}}{{>p}}{{/items}}", many, partials: ["p": "{{x}}"])
                == TemplateSet.Overrun(template: "main", partial: "p", reason: .work, limits: small))
        let kilobyte: TemplateValue = ["big": .text(String(repeating: "x", count: 1 << 10)), "items": .list((0..<10).map { _ in [:] })]
        let three = String(repeating: "{{#items}}", count: 3) + "{{>p}}" + String(repeating: "{{/items}}", count: 3)
        #expect(try overrun(three, kilobyte, partials: ["p": "{{#items}}{{big}}{{/items}}"])
                == TemplateSet.Overrun(template: "main", partial: "p", reason: .bytes, limits: small), "the bytes run out first")
        let nested = String(repeating: "{{#items}}", count: 12) + "{{x}}" + String(repeating: "{{/items}}", count: 12)
        #expect(try overrun(nested, ten, partials: [:]) == TemplateSet.Overrun(template: "main", partial: nil, reason: .work, limits: small))
        // At the limits, nothing stops: 100,000 rows; a page of exactly 1 MiB.
        let roomy = PageBuffer.Limits(work: 100_000, bytes: 1 << 30)
        let rows: TemplateValue = ["items": .list((0..<100_000).map { ["x": .text("\($0)")] })]
        #expect(try overrun("{{#items}}<tr><td>{{x}}</td></tr>\n{{/items}}", rows, partials: [:], limits: roomy) == nil)
        #expect(try overrun("{{#items}}<tr><td>{{x}}</td></tr>\n{{/items}}{{>p}}", rows, partials: ["p": ""], limits: roomy)
                == TemplateSet.Overrun(template: "main", partial: "p", reason: .work, limits: roomy), "one partial call more")
        let mebibyte: TemplateValue = ["big": .text(String(repeating: "x", count: 1 << 10)), "items": .list((0..<1_024).map { _ in [:] })]
        #expect(try overrun("{{#items}}{{big}}{{/items}}", mebibyte, partials: [:]) == nil)
        #expect(try overrun("{{#items}}{{big}}{{/items}}.", mebibyte, partials: [:])
                == TemplateSet.Overrun(template: "main", partial: nil, reason: .bytes, limits: small))
        // A real page's work is far below the page's limits.
        let sheet: TemplateValue = ["items": .list((0..<100_000).map { ["x": .text("\($0)"), "groups": .list([["g": "A"], ["g": "B"]])] })]
        #expect(try overrun("{{#items}}<tr><td>{{x}}</td><td>{{#groups}}{{g}} {{/groups}}</td></tr>\n{{/items}}", sheet, partials: [:],
                            limits: .page) == nil)
        #expect(TemplateSet.Overrun(template: "index", partial: "foot", reason: .work).message(page: "index.html")
                == "rendering index.html stopped: it took more than 20 million list rows and partial calls, far more than any real page; "
                + "does partial 'foot' include itself, or repeat a list inside itself?")
        #expect(TemplateSet.Overrun(template: "segment", partial: nil, reason: .bytes).message(page: "segments/S1.html")
                == "rendering segments/S1.html stopped: it grew past 256 MiB, far more than any real page; does a section repeat a list inside itself?")
        #expect(TemplateSet.Overrun(template: "segment", partial: nil, reason: .work, limits: small).message(page: "x.md")
                == "rendering x.md stopped: it took more than 100,000 list rows and partial calls, far more than any real page; does a section repeat a list inside itself?")
    }

    // MARK: delimiters

    @Test func setDelimiters() throws {
        #expect(try render("{{=<% %>=}}<% x %> {{x}} <%={{ }}=%>{{x}}", ["x": "v"]) == "v {{x}} v")
        #expect(try render("{{=| |=}}|#t||x||/t|", ["t": true, "x": 1]) == "1")
        // Standalone set-delimiter lines are removed; partials start with the default delimiters.
        #expect(try render("a\n{{=[ ]=}}\n[>p]\n", ["x": "v"], partials: ["p": "{{x}}"]) == "a\nv")
        #expect(try render("{{=<% %>=}}<%{x}%>", ["x": "<"]) == "<")
    }

    // MARK: content type

    @Test func textContentTypeDoesNotEscape() throws {
        #expect(try render("{{x}}", ["x": "<&>"], type: .text) == "<&>")
        #expect(try render("{{% CONTENT_TYPE: TEXT }}\n{{x}}", ["x": "<&>"]) == "<&>")
        #expect(try render("{{x}}{{% CONTENT_TYPE: HTML }}{{x}}", ["x": "<"], type: .text) == "<&lt;")
    }

    // MARK: errors

    @Test func errorsSayWhatAndWhere() {
        #expect(failure("a\n  {{#members}}\nx\n") == "2:3: section 'members' opened at 2:3 is never closed")
        #expect(failure("x {{/members}}") == "1:3: closing tag 'members' has no section to close")
        #expect(failure("{{#a}}\n{{#b}}{{/a}}") == "2:7: closing tag 'a' does not match section 'b' opened at 2:1")
        #expect(failure("æ{{> heda}}", partials: ["head": ""]) == "1:2: unknown partial 'heda'; did you mean 'head'?")
        #expect(failure("{{memberCount}") == "1:1: tag '{{' is never closed with '}}'")
        #expect(failure("{{{x}}") == "1:1: tag '{{' is never closed with '}}}'")
        #expect(failure("{{}}") == "1:1: a tag has no name")
        #expect(failure("{{a b}}") == "1:1: 'a b' is not a name (a name has no blanks inside)")
        #expect(failure("{{=<%>=}}") == "1:1: a set-delimiter tag is written {{=OPEN CLOSE=}}, e.g. {{=<% %>=}}")
        #expect(failure("{{<parent}}{{/parent}}") == "1:1: template inheritance ('{{<') is not supported")
        #expect(failure("{{% FOO }}") == "1:1: unknown pragma 'FOO'; only CONTENT_TYPE: TEXT or CONTENT_TYPE: HTML is supported")
    }

    @Test func deepNestingIsADiagnosticNotACrash() {
        let deep = String(repeating: "{{#a}}", count: 5000) + String(repeating: "{{/a}}", count: 5000)
        #expect(failure(deep) == "1:601: sections are nested more than 100 deep")
        let ok = String(repeating: "{{#a}}", count: 100) + "x" + String(repeating: "{{/a}}", count: 100)
        #expect(failure(ok) == "no error")
    }
}
