import Foundation
import Testing
@testable import SegmarkKit

/// Each option on a small hand-made workspace; expected members worked out by hand from the segment rules (README, "A segment").
///
/// Companies: CO1 (RET, CUST), CO2 (WHOLE, excluded), CO3 (no codes).
/// Persons: P11, P12 of CO1 (P12 excluded, X-CARD); P21 of CO2 (X-CARD); P31 of CO3 (SALE); P0 without company (X-CARD).
@Suite("Segment engine")
struct EngineTests {
    static let base: [(String, String)] = [
        contact("CO1", "industry_groups: RET\nbusiness_relations: CUST\ncountry: NO"),
        contact("CO2", "industry_groups: WHOLE\nexclude_from_segments: true\ncountry: SE"),
        contact("CO3", "country: NO"),
        contact("P11", "company: CO1\ncountry: NO", type: "person"),
        contact("P12", "company: CO1\nexclude_from_segments: true\nmailing_groups: X-CARD", type: "person"),
        contact("P21", "company: CO2\nmailing_groups: X-CARD", type: "person"),
        contact("P31", "company: CO3\njob_responsibilities: SALE", type: "person"),
        contact("P0", "mailing_groups: X-CARD\nindustry_groups: RET", type: "person"),
    ]

    func members(_ criteria: String) throws -> [String] {
        let ws = try TestWorkspace(Dictionary(uniqueKeysWithValues: Self.base + [segment("S", criteria)]))
        defer { ws.remove() }
        let errors = ws.check().diagnostics.filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(errors)")
        return ws.members("S")
    }

    @Test func personsInheritCompanyCodes() throws {
        // Persons match industry_groups through their company; P0 has no company and never matches.
        #expect(try members("  - add:\n      industry_groups: RET") == ["CO1", "P11"])
    }

    @Test func exclusionDropsAfterExpansion() throws {
        #expect(try members("  - add:\n      contact: { id: P11 }\n    expand_companies: true") == ["CO1", "P11"])
        #expect(try members("  - add:\n      contact: { id: P11 }\n    expand_companies: true\n    ignore_exclusion: true") == ["CO1", "P11", "P12"])
    }

    @Test func allowRelatedCompanies() throws {
        #expect(try members("  - add:\n      job_responsibilities: SALE\n    allow_related_companies: true") == ["CO3", "P31"])
        // CO2 is excluded: added as a related company, then dropped.
        #expect(try members("  - add:\n      mailing_groups: X-CARD\n    allow_related_companies: true") == ["CO1", "P0", "P21"])
    }

    @Test func reduceAndRefine() throws {
        let add = "  - add:\n      contact: { type: person }\n    ignore_exclusion: true\n"
        #expect(try members(add) == ["P0", "P11", "P12", "P21", "P31"])
        #expect(try members(add + "  - reduce:\n      mailing_groups: X-CARD") == ["P11", "P31"])
        #expect(try members(add + "  - refine:\n      mailing_groups: X-CARD") == ["P0", "P12", "P21"])
        // Laws: refine twice = refine once; reduce F and refine F split the members.
        #expect(try members(add + "  - refine:\n      mailing_groups: X-CARD\n  - refine:\n      mailing_groups: X-CARD") == ["P0", "P12", "P21"])
    }

    @Test func entireCompanies() throws {
        let add = "  - add:\n      contact: { id: P11|P31|P0 }\n"
        // X = P12 (X-CARD), widened to CO1, P11, P12 → reduce removes P11; P0 matches itself.
        #expect(try members(add + "  - reduce:\n      mailing_groups: X-CARD\n    entire_companies: true") == ["P31"])
        #expect(try members(add + "  - refine:\n      mailing_groups: X-CARD\n    entire_companies: true") == ["P0", "P11"])
        #expect(try members(add + "  - reduce:\n      mailing_groups: X-CARD") == ["P11", "P31"])
    }

    @Test func segmentsOfSegmentsAndEmptyCriteria() throws {
        let ws = try TestWorkspace(Dictionary(uniqueKeysWithValues: Self.base + [
            segment("A", "  - add:\n      contact: { country: NO }"),
            segment("B", "  - add:\n      segment: A\n  - reduce:\n      contact: { type: company }"),
            ("Content/segments/E.md", "---\ndescription: Empty\n---\n"),
            segment("ALL", "  - add: {}"),
        ]))
        defer { ws.remove() }
        #expect(ws.members("A") == ["CO1", "CO3", "P11"])
        #expect(ws.members("B") == ["P11"])
        #expect(ws.members("E") == [])
        #expect(ws.members("ALL") == ["CO1", "CO3", "P0", "P11", "P21", "P31"])
    }

    @Test func interactionsAndComputedFields() throws {
        let ws = try TestWorkspace(Dictionary(uniqueKeysWithValues: Self.base + [
            ("Content/interaction-templates/CALL.md", "---\ngroup: PHONE\nunit_cost: 2\ninitiated_by: us\n---\n"),
            ("Content/interactions/B1.md", "---\ndate: 2026-11-01\ntemplate: CALL\ncontacts: [P11]\nentries:\n  - contact: P31\n    attempt_failed: true\n---\n"),
            ("Content/interactions/B2.md", "---\ndate: 2026-06-01\ntemplate: CALL\ncanceled: true\ncontacts: [P21]\n---\n"),
            segment("I", "  - add:\n      interactions: { template: CALL, date: -1M..t }"),
            segment("L", "  - add:\n      contact: { last_interaction_date: \"<>''\" }"),
            segment("T", "  - add:\n      contact: { last_attempt_date: \"<>''\", company_name: \"Name CO*\" }"),
            segment("C", "  - add:\n      interactions: { canceled: true }"),
        ]))
        defer { ws.remove() }
        #expect(ws.members("I") == ["P11", "P31"])
        #expect(ws.members("L") == ["P11"])
        #expect(ws.members("T") == ["P11", "P31"])
        #expect(ws.members("C") == ["P21"])
    }

    @Test func stepCountsAndAddedBy() throws {
        let ws = try TestWorkspace(Dictionary(uniqueKeysWithValues: Self.base + [
            segment("S", "  - add:\n      contact: { type: company }\n  - add:\n      mailing_groups: X-CARD\n  - reduce:\n      contact: { country: SE }"),
        ]))
        defer { ws.remove() }
        let check = ws.check()
        let evaluation = SegmentEvaluator(model: check.model, asOf: asOf).evaluate()
        let r = evaluation.results[0]!
        #expect(r.steps.map { [$0.before, $0.after] } == [[0, 2], [2, 4], [4, 4]])
        let added = r.members.indices.map { "\(check.model.contacts[$0].id):\(r.addedBy[$0]!)" }
        #expect(added == ["CO1:1", "CO3:1", "P0:2", "P21:2"])
        #expect(r.droppedByExclusion.indices.map { check.model.contacts[$0].id } == ["CO2", "P12"])
    }
}
