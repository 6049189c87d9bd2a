import Foundation
import Testing
@testable import SegmarkKit

/// The criteria have several interpreters: the set evaluator (indexes and sets, all contacts at
/// once), the per-contact matcher (`explain`, the reference evaluator) and SQL (tested on real
/// engines by the SQL tests). Here the first two are held against each other group by group,
/// and `explain`'s verdicts against the members.
@Suite("Interpreters of the criteria agree")
struct InterpretersTests {
    @Test(arguments: [4, 7])
    func groupByGroup(seed: Int) throws {
        let dir = try TestWorkspace.generated(contacts: 300, segments: 20, entries: 2500, seed: seed)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let model = WorkspaceCheck(root: dir).model
        let asOf = model.settings.asOf!
        let evaluator = SegmentEvaluator(model: model, asOf: asOf)
        let evaluation = evaluator.evaluate()
        let matcher = GroupMatcher(model: model, facts: evaluation.facts, entries: evaluation.entries, asOf: asOf)
        var groupsCompared = 0
        for si in model.segments.indices where evaluation.results[si] != nil {
            let (_, traces) = evaluator.trace(si, in: evaluation)
            for (n, step) in model.segments[si].criteria.enumerated() {
                for (k, group) in step.groups.enumerated() {
                    // The segments a `segment:` group names, each id held against its filter here
                    // (the evaluator looks plain ids up and matches each filter once).
                    let union = group.kind == .segment ? model.segments.indices.reduce(into: ContactSet(capacity: model.contacts.count)) { set, sj in
                        if group.conditions[0].filter.matches(.text(model.segments[sj].id), asOf: asOf), let r = evaluation.results[sj] { set.formUnion(r.members) }
                    } : nil
                    let perContact = model.contacts.indices.filter { matcher.matches(group, $0, segmentMembers: union) }
                    #expect(traces[n].groups[k].indices == perContact, "\(model.segments[si].id) step \(n + 1) group \(k + 1)")
                    groupsCompared += 1
                }
            }
        }
        #expect(groupsCompared > 20)
    }

    @Test func explainAgreesWithTheMembers() throws {
        let dir = try TestWorkspace.generated(contacts: 120, segments: 10, entries: 800, seed: 9)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let model = WorkspaceCheck(root: dir).model
        let evaluation = SegmentEvaluator(model: model, asOf: model.settings.asOf!).evaluate()
        let explainer = Explainer(model: model, evaluation: evaluation)
        for si in model.segments.indices {
            guard let result = evaluation.results[si] else { continue }
            for ci in model.contacts.indices {
                let e = explainer.explain(segmentIndex: si, contactIndex: ci)
                #expect(e.member == result.members.contains(ci))
                #expect((e.steps.last?.memberAfter ?? false) == e.member)
                for s in e.steps where s.groups.allSatisfy(\.held) != s.matched {
                    Issue.record("\(model.segments[si].id) \(model.contacts[ci].id) step \(s.number): groups and match disagree")
                }
            }
        }
    }
}
