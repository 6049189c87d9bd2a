import Foundation
import Testing
@testable import SegmarkKit

/// Broken workspaces, each asserting its whole diagnostic lines (`PATH:LINE:COL: error: …`).
@Suite("Diagnostics")
struct DiagnosticsTests {
    func diagnostics(_ files: [(String, String)]) throws -> [String] {
        let ws = try TestWorkspace(Dictionary(uniqueKeysWithValues: files))
        defer { ws.remove() }
        return ws.diagnostics()
    }

    @Test func scalarsStayAsWritten() throws {
        let ws = try TestWorkspace(Dictionary(uniqueKeysWithValues: [
            contact("C1", "country: NO\npost_code: 0150\nphone: +47 22 00 00 00\nfields:\n  flag: yes", name: "12345"),
        ]))
        defer { ws.remove() }
        let check = ws.check()
        #expect(check.diagnostics.isEmpty)
        let c = check.model.contacts[0]
        #expect(c.values[.country] == "NO")
        #expect(c.values[.post_code] == "0150")
        #expect(c.values[.phone] == "+47 22 00 00 00")
        #expect(c.name == "12345")
        #expect(c.customField("flag") == "yes")
    }

    @Test func duplicateKey() throws {
        #expect(try diagnostics([("Content/contacts/C1.md", "---\nname: A\ncity: Oslo\nname: B\n---\n")]) == [
            "Content/contacts/C1.md:4:1: error: key 'name' is given twice (first at line 2); YAML would keep only one value",
        ])
    }

    @Test func unterminatedFrontMatter() throws {
        #expect(try diagnostics([("Content/contacts/C1.md", "---\nname: A\n")]) == [
            "Content/contacts/C1.md:1:1: error: front matter opened with '---' on line 1 is never closed; add a '---' line after it",
        ])
    }

    @Test func badYAML() throws {
        let d = try diagnostics([("Content/contacts/C1.md", "---\nname: [A\n---\n")])
        #expect(d.count == 1)
        #expect(d[0].hasPrefix("Content/contacts/C1.md:3:1: error: invalid YAML"))
    }

    @Test func fencesOnlyOnLines() throws {
        let ws = try TestWorkspace(["Content/contacts/C1.md": "\u{FEFF}---\r\nname: \"a --- b\"\r\n---\r\nBody\r\n\r\n---\r\n\r\nMore\r\n"])
        defer { ws.remove() }
        let check = ws.check()
        #expect(check.diagnostics.isEmpty)
        #expect(check.model.contacts[0].name == "a --- b")
        #expect(check.model.contacts[0].body == "Body\n\n---\n\nMore\n")
    }

    @Test func invalidIDAndDuplicateID() throws {
        #expect(try diagnostics([
            ("Content/contacts/a.md", "---\nid: CT1\nname: A\n---\n"),
            ("Content/contacts/b.md", "---\nid: ct1\nname: B\n---\n"),
            ("Content/contacts/c.md", "---\nid: ../x\nname: C\n---\n"),
        ]) == [
            "Content/contacts/b.md:2:5: error: duplicate contact id 'ct1': Content/contacts/a.md has the same id (ids are compared ignoring case)",
            "Content/contacts/c.md:2:5: error: invalid id '../x'; an id is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit",
        ])
    }

    @Test func contactRules() throws {
        #expect(try diagnostics([
            contact("CO1"),
            contact("P1", "company: CO2", type: "person"),
            contact("P2", "company: P1", type: "person"),
            contact("CO3", "company: CO1\njob_responsibilities: SALE"),
            contact("P3", "industry_groups: RET", type: "person"),
            ("Content/contacts/X.md", "---\ntype: robot\n---\n"),
        ]) == [
            "Content/contacts/CO3.md:4:1: error: a company cannot have a 'company'; only persons belong to a company, and a contact without 'type' is a company (add 'type: person')",
            "Content/contacts/CO3.md:5:1: error: job_responsibilities are for persons, not companies",
            "Content/contacts/P1.md:4:10: error: company 'CO2' is not an existing company contact",
            "Content/contacts/P2.md:4:10: error: company 'P1' is a person, not a company contact",
            "Content/contacts/P3.md:4:1: warning: industry_groups on a person is ignored; a person's industry_groups are read from its company",
            "Content/contacts/X.md:2:1: error: contact has no 'name'; it is required",
            "Content/contacts/X.md:2:7: error: 'type' must be company or person, found 'robot'",
        ])
    }

    @Test func unknownKeySuggestsCloseOne() throws {
        #expect(try diagnostics([contact("C1", "industy_groups: RET")]) == [
            "Content/contacts/C1.md:4:1: warning: unknown key 'industy_groups'; did you mean 'industry_groups'?",
        ])
    }

    @Test func criteriaProblems() throws {
        #expect(try diagnostics([
            contact("C1"),
            segment("S1", """
              - add:
                  contact: { countri: NO }
              - reduce:
                  mailing_group: X
              - add: { contact: { type: company } }
                reduce: { contact: { type: person } }
              - add:
                  contact: { created: "-1Y.." , post_code: "A..B..C" }
                entire_companies: true
              - refine:
                  interactions: { cost: abc }
              - add:
                  contact: { type: compny }
              - add:
                  segment: S2
            """),
        ]) == [
            "Content/segments/S1.md:5:18: error: unknown contact field 'countri'; did you mean 'country'?",
            "Content/segments/S1.md:7:7: error: unknown filter group 'mailing_group'; did you mean 'mailing_groups'?",
            "Content/segments/S1.md:9:5: error: step 3 has 2 actions; it needs exactly one of add, reduce or refine",
            "Content/segments/S1.md:11:53: error: invalid filter 'A..B..C': a range has only one '..'",
            "Content/segments/S1.md:12:5: error: 'entire_companies' applies to reduce and refine steps, not to add",
            "Content/segments/S1.md:14:29: error: invalid filter 'abc': expected a number, found 'abc'",
            "Content/segments/S1.md:16:24: error: invalid filter 'compny': 'compny' is not a valid value here; expected company or person",
            "Content/segments/S1.md:18:16: error: segment 'S2' does not exist",
        ])
    }

    /// A step key from BC's words ("Remove Contacts - Reduce") says which key does that, once:
    /// a step whose only key is unknown is not also "a step with no action".
    @Test func stepKeysInBCsWords() throws {
        #expect(try diagnostics([
            ("Content/contacts/C1.md", "---\nname: A\n---\n"),
            ("Content/segments/S1.md", """
            ---
            description: x
            criteria:
              - add: { contact: { type: company } }
              - remove: { contact: { country: NO } }
              - keep: { contact: { country: NO } }
              - ad: { contact: { country: NO } }
              - {}
              - add: { contact: { type: person } }
                colour: red
            ---
            """),
        ]) == [
            "Content/segments/S1.md:5:5: error: unknown step key 'remove'; to remove contacts, write reduce (BC's Remove Contacts - Reduce)",
            "Content/segments/S1.md:6:5: error: unknown step key 'keep'; to keep only the members that match, write refine (BC's Remove Contacts - Refine)",
            "Content/segments/S1.md:7:5: error: unknown step key 'ad'",
            "Content/segments/S1.md:8:5: error: step 5 has no action; it needs exactly one of add, reduce or refine",
            "Content/segments/S1.md:10:5: error: unknown step key 'colour'",
        ])
    }

    @Test func segmentCycle() throws {
        #expect(try diagnostics([
            segment("A", "  - add:\n      segment: B"),
            segment("B", "  - add:\n      segment: A"),
        ]) == [
            "Content/segments/A.md:5:7: error: segments form a cycle: A → B → A (none of them can be evaluated)",
        ])
    }

    @Test func manySegmentsReadingEachOtherAreReportedOnce() throws {
        // Each of 160 segments reads every segment: once reported for every cycle (cubic), now once.
        let files = (0..<160).map { i in segment(String(format: "S%03d", i), "  - add:\n      segment: \"S*\"") }
        let lines = try diagnostics(files)
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("Content/segments/S000.md:5:7: error: segments form a cycle: S000 → S000; 159 more segments read each other with them: S001, S002,") == true)
        #expect(lines.first?.hasSuffix("S020, … (none of them can be evaluated)") == true)
    }

    @Test func batchProblems() throws {
        #expect(try diagnostics([
            contact("C1"),
            ("Content/interaction-templates/T.md", "---\ngroup: G\n---\n"),
            ("Content/campaigns/CP.md", "---\ndescription: D\nstarting_date: 2026-05-01\nending_date: 2026-04-01\n---\n"),
            ("Content/interactions/B1.md", "---\ndate: 2026-13-01\ntemplate: T\ncost: -1\ncampaign: NOPE\ncontacts: [C1, C2, c1]\n---\n"),
        ]) == [
            "Content/campaigns/CP.md:4:14: error: ending_date 2026-04-01 is before starting_date 2026-05-01",
            "Content/interactions/B1.md:2:7: error: 'date' is not a real date: '2026-13-01' does not exist in the calendar",
            "Content/interactions/B1.md:4:7: error: 'cost' must not be negative, found -1",
            "Content/interactions/B1.md:5:11: error: campaign 'NOPE' does not exist",
            "Content/interactions/B1.md:6:16: error: contact 'C2' does not exist",
            "Content/interactions/B1.md:6:20: error: contact 'c1' is listed twice in this batch (first at line 6)",
        ])
    }

    @Test func unknownCodesWarnWhenTableExists() throws {
        #expect(try diagnostics([
            ("Content/codes.yml", "mailing_groups:\n  X-CARD: X-mas card\n"),
            contact("C1", "mailing_groups: [X-CARD, X-CRAD]\nindustry_groups: [ANY]"),
        ]) == [
            "Content/contacts/C1.md:4:26: warning: code 'X-CRAD' is not in the mailing_groups table of codes.yml; did you mean 'X-CARD'?",
        ])
    }

    @Test func hostileInputGetsDiagnostics() throws {
        let bomb = "---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nname: N\n---\n"
        let deep = "---\nname: " + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "\n---\n"
        let ws = try TestWorkspace([:])
        defer { ws.remove() }
        try bomb.write(toFile: ws.root + "/Content/bomb.md", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: ws.root + "/Content/contacts", withIntermediateDirectories: true)
        try bomb.write(toFile: ws.root + "/Content/contacts/bomb.md", atomically: true, encoding: .utf8)
        try deep.write(toFile: ws.root + "/Content/contacts/deep.md", atomically: true, encoding: .utf8)
        try Data([0x2D, 0x2D, 0x2D, 0x0A, 0x6E, 0x3A, 0xFF, 0x0A]).write(to: URL(fileURLWithPath: ws.root + "/Content/contacts/bad.md"))
        try Data([0x6E, 0x00]).write(to: URL(fileURLWithPath: ws.root + "/Content/contacts/nul.md"))
        #expect(ws.diagnostics() == [
            "Content/contacts/bad.md:2:3: error: file is not valid UTF-8 (byte 0xFF)",
            "Content/contacts/bomb.md:3:4: error: YAML aliases (*name) are not supported in content files; write the value out",
            "Content/contacts/deep.md:2:71: error: YAML nested deeper than 64 levels",
            "Content/contacts/nul.md:1:2: error: file contains a NUL byte; content files must be UTF-8 text",
        ])
    }
}
