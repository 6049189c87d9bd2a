import Foundation
import Testing
@testable import SegmarkKit

/// The fast path must give exactly what Yams gives, or decline. Checked on every front-matter
/// block of the demo, of generated workspaces, and of hand-written tricky and hostile blocks.
@Suite("plain YAML fast path equals Yams")
struct PlainYAMLTests {
    /// The YAML between the fences, as FrontMatterParser hands it over.
    static func frontMatter(_ text: String) -> String? {
        guard text.hasPrefix("---\n") else { return nil }
        let rest = text.dropFirst(4)
        if rest.hasPrefix("---\n") { return "" }
        guard let end = rest.range(of: "\n---\n") ?? rest.range(of: "\n---", options: .anchored) else { return nil }
        return String(rest[..<end.lowerBound]) + "\n"
    }

    /// Returns whether the fast path took the block.
    @discardableResult
    static func compare(_ yaml: String, path: String = "x.md", sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Bool {
        guard let fast = PlainYAMLReader().read(Array(yaml.utf8), path: path, lineOffset: 1) else { return false }
        switch YAMLReader().read(yaml, path: path, lineOffset: 1) {
        case .success(let slow?):
            #expect(fast == slow, "fast path differs from Yams on:\n\(yaml)", sourceLocation: sourceLocation)
        case .success(nil):
            Issue.record("fast path read a block Yams finds empty:\n\(yaml)", sourceLocation: sourceLocation)
        case .failure(let d):
            Issue.record("fast path read a block Yams rejects (\(d)):\n\(yaml)", sourceLocation: sourceLocation)
        }
        return true
    }

    static func files(under root: String) -> [String] {
        let e = FileManager.default.enumerator(atPath: root)!
        return (e.allObjects as! [String]).filter { $0.hasSuffix(".md") }.sorted().map { root + "/" + $0 }
    }

    @Test func demoWorkspace() throws {
        var taken = 0, total = 0
        for file in Self.files(under: TestWorkspace.repositoryRoot + "/Content") {
            guard let yaml = Self.frontMatter(try String(contentsOfFile: file, encoding: .utf8)) else { continue }
            total += 1
            if Self.compare(yaml, path: file) { taken += 1 }
        }
        #expect(total > 80)
        // Most demo files are plain; the rest (comments, quoting with escapes, …) go to Yams.
        #expect(taken * 10 >= total * 7, "fast path took \(taken) of \(total)")
    }

    @Test(arguments: [1, 2]) func generatedWorkspace(seed: Int) throws {
        let dir = try TestWorkspace.generated(contacts: 600, segments: 30, entries: 3000, seed: seed)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var taken = 0, total = 0
        var contactsTaken = 0, contacts = 0
        for file in Self.files(under: dir + "/Content") {
            guard let yaml = Self.frontMatter(try String(contentsOfFile: file, encoding: .utf8)) else { continue }
            total += 1
            let took = Self.compare(yaml, path: file)
            if took { taken += 1 }
            if file.contains("/contacts/") { contacts += 1; if took { contactsTaken += 1 } }
        }
        #expect(total > 600)
        #expect(contactsTaken == contacts, "every generated contact is plain YAML; fast path took \(contactsTaken) of \(contacts)")
    }

    @Test(arguments: [
        "id: A\nname: Tor Bakke\n",
        "name: 'O''Brien'\ncity: \"Oslo\"\n",
        "country: NO\npost_code: 0150\nphone: +47 22 00 00 00\n",
        "tags: [A, B,C ,  D]\nempty: []\nmap: {}\n",
        "contact: { type: company, country: NO|GB }\n",
        "contact: {email: \"''\", country: DE|ON}\n",
        "criteria:\n  - add:\n      contact: {territory: '<>LND'}\n    expand_companies: true\n  - reduce:\n      segment: SM1\n",
        "criteria:\n- add:\n    mailing_groups: X\n",
        "profile:\n  hobbies: [WINE]\nfields:\n  score: 9\n",
        "name: Åse Nordmann\nlist: [Æ, Ø, Å]\nmap: {a: Ø, b: Å}\n",
        "name: a: b\n",
        "name: a # comment\n",
        "name: a#b\n",
        "# a comment\nname: a\n  # indented comment\n",
        "name: \"a\\\"b\"\n",
        "name: x\nname: y\n",
        "list: [a, a]\nmap: {a: 1, a: 2}\n",
        "name:\n",
        "name: &x a\nother: *x\n",
        "name: !!str 5\n",
        "name: |\n  text\n",
        "name: >\n  folded\n",
        "name: first\n  continued\n",
        "- a\n- b\n",
        "a:\n  - x\n  - y\nb: z\n",
        "a:\n    - x\n  b: y\n",
        "a: [x, [y]]\n",
        "a: [x,]\n",
        "a: {b: c, d}\n",
        "a: -5\nb: 1-2\n",
        "a: 'unterminated\n",
        "a: \"unterminated\n",
        "a: x\u{85}y\n",
        "a: x\u{2028}y\n",
        "a: x\u{1}y\n",
        "a: x\u{FEFF}y\n",
        "a: trailing   \nb: c\n",
        "a.b: 1\n_x: 2\n-x: 3\n",
        "a:\tb\n",
        "\ta: b\n",
        "a: b\n---\nc: d\n",
        "? a\n: b\n",
        "a: [b: c]\n",
        "a: {b: [c]}\n",
        "a: %x\n",
        "a: @x\n",
        "a: `x\n",
    ])
    func trickyBlocks(yaml: String) {
        Self.compare(yaml)
    }

    /// These are the shapes content files use: the fast path must take them, not decline.
    @Test(arguments: [
        "id: A\nname: Tor Bakke\n",
        "name: 'O''Brien'\ncity: \"Oslo\"\n",
        "country: NO\npost_code: 0150\nphone: +47 22 00 00 00\n",
        "tags: [A, B,C ,  D]\nempty: []\nmap: {}\n",
        "criteria:\n  - add:\n      contact: {territory: '<>LND'}\n    expand_companies: true\n  - reduce:\n      segment: SM1\n",
        "criteria:\n- add:\n    mailing_groups: X\n",
        "name: Åse Nordmann\nlist: [Æ, Ø, Å]\nmap: {a: Ø, b: Å}\n",
        "# a comment\nname: a#b\n  # indented comment\n",
    ])
    func plainBlocksTakeTheFastPath(yaml: String) {
        #expect(Self.compare(yaml))
    }

    @Test func deepNestingDeclinesWithoutRecursingForever() {
        var yaml = ""
        for depth in 0..<5000 { yaml += String(repeating: " ", count: depth) + "k\(depth):\n" }
        yaml += String(repeating: " ", count: 5000) + "v: 1\n"
        #expect(PlainYAMLReader().read(Array(yaml.utf8), path: "x.md", lineOffset: 1) == nil)
    }
}
