/// Stage 3: evaluates every segment's steps (R30–R38) in dependency order (R34), each once,
/// with group results cached across segments so a step costs about a few set operations.
public struct SegmentEvaluator: Sendable {
    public let model: Model
    public let asOf: Day

    public init(model: Model, asOf: Day) {
        self.model = model
        self.asOf = asOf
    }

    /// What one step did, kept for `explain`.
    public struct StepTrace: Sendable {
        /// Contacts satisfying every group (among all contacts for add, among the members' scope otherwise).
        public var matched: ContactSet
        public var afterExpand: ContactSet?
        public var afterRelated: ContactSet?
        public var dropped: ContactSet
        /// For entire_companies: the widened match X.
        public var widened: ContactSet?
        public var membersAfter: ContactSet
    }

    public func evaluate() -> Evaluation {
        let entries = InteractionEntryBuilder().entries(model)
        let facts = ContactFacts(model: model, entries: entries)
        let matcher = GroupMatcher(model: model, facts: facts, entries: entries, asOf: asOf)
        let graph = SegmentGraph(model: model)
        let cyclic = graph.cyclic
        var results = [SegmentResult?](repeating: nil, count: model.segments.count)
        let cache = GroupCache()
        for si in graph.order where !cyclic.contains(si) {
            if graph.dependencies[si].contains(where: { cyclic.contains($0) || results[$0] == nil }) { continue }
            results[si] = run(si, matcher: matcher, graph: graph, results: results, cache: cache, trace: nil)
        }
        return Evaluation(asOf: asOf, entries: entries, facts: facts, results: results)
    }

    /// Re-runs one segment with a trace of every step (for explain).
    public func trace(_ si: Int, in evaluation: Evaluation) -> (SegmentResult, [StepTrace]) {
        let matcher = GroupMatcher(model: model, facts: evaluation.facts, entries: evaluation.entries, asOf: asOf)
        let graph = SegmentGraph(model: model)
        var traces: [StepTrace] = []
        let result = run(si, matcher: matcher, graph: graph, results: evaluation.results, cache: GroupCache(), trace: &traces)
        return (result, traces)
    }

    final class GroupCache: @unchecked Sendable {
        var sets: [String: ContactSet] = [:]
    }

    func key(_ group: FilterGroup) -> String {
        var k = group.kind.rawValue
        for (field, filter) in group.conditions {
            k += "\u{1}" + field + "\u{2}" + filter.source
        }
        return k
    }

    func segmentUnion(_ group: FilterGroup, graph: SegmentGraph, results: [SegmentResult?]) -> ContactSet {
        var set = ContactSet(capacity: model.contacts.count)
        guard let filter = group.conditions.first?.filter else { return set }
        for (sj, s) in model.segments.enumerated() where filter.matches(.text(s.id), asOf: asOf) {
            if let r = results[sj] { set.formUnion(r.members) }
        }
        return set
    }

    /// The contacts satisfying one group, over all contacts.
    func groupSet(_ group: FilterGroup, matcher: GroupMatcher, graph: SegmentGraph, results: [SegmentResult?], cache: GroupCache) -> ContactSet {
        let k = key(group)
        if let hit = cache.sets[k] { return hit }
        let set: ContactSet
        if group.kind == .segment {
            set = segmentUnion(group, graph: graph, results: results)
        } else {
            var s = ContactSet(capacity: model.contacts.count)
            for i in 0..<model.contacts.count where matcher.matches(group, i, segmentMembers: nil) { s.insert(i) }
            set = s
        }
        cache.sets[k] = set
        return set
    }

    func widen(_ set: ContactSet, _ facts: ContactFacts) -> ContactSet {
        var out = set
        set.forEach { i in
            for j in facts.sharing(i) { out.insert(j) }
        }
        return out
    }

    func run(_ si: Int, matcher: GroupMatcher, graph: SegmentGraph, results: [SegmentResult?], cache: GroupCache,
             trace: UnsafeMutablePointer<[StepTrace]>?) -> SegmentResult {
        let n = model.contacts.count
        let facts = matcher.facts
        var members = ContactSet(capacity: n)
        var addedBy: [Int: Int] = [:]
        var counts: [SegmentResult.StepCount] = []
        var dropped = ContactSet(capacity: n)
        var excluded = ContactSet(capacity: n)
        for (i, c) in model.contacts.enumerated() where c.excludeFromSegments { excluded.insert(i) }
        for (number, step) in model.segments[si].criteria.enumerated() {
            let before = members.count
            var matched = ContactSet.all(n)
            for group in step.groups {
                matched.formIntersection(groupSet(group, matcher: matcher, graph: graph, results: results, cache: cache))
            }
            var t = StepTrace(matched: matched, afterExpand: nil, afterRelated: nil, dropped: ContactSet(capacity: n),
                              widened: nil, membersAfter: members)
            var matchedCount = 0
            switch step.action {
            case .add:
                var m = matched
                if step.expandCompanies {
                    m = widen(m, facts)
                    t.afterExpand = m
                }
                if step.allowRelatedCompanies {
                    var related = m
                    m.forEach { i in
                        if model.contacts[i].type == .person, let cn = facts.companyNumber[i] { related.insert(cn) }
                    }
                    m = related
                    t.afterRelated = m
                }
                if !step.ignoreExclusion {
                    let d = m.intersection(excluded)
                    t.dropped = d
                    dropped.formUnion(d)
                    m.subtract(excluded)
                }
                members.formUnion(m)
                m.forEach { addedBy[$0] = number + 1 }
                matchedCount = m.count
            case .reduce, .refine:
                var x: ContactSet
                if step.entireCompanies {
                    let scope = widen(members, facts)
                    x = widen(scope.intersection(matched), facts)
                    t.widened = x
                } else {
                    x = matched.intersection(members)
                }
                if step.action == .reduce { members.subtract(x) } else { members.formIntersection(x) }
                matchedCount = x.intersection(t.membersAfter).count
            }
            t.membersAfter = members
            trace?.pointee.append(t)
            counts.append(.init(before: before, after: members.count, matched: matchedCount))
        }
        var finalAdded: [Int: Int] = [:]
        members.forEach { finalAdded[$0] = addedBy[$0] }
        return SegmentResult(members: members, addedBy: finalAdded, steps: counts, droppedByExclusion: dropped.subtracting(members))
    }
}
