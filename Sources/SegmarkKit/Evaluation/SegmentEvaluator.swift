import Dispatch

/// Stage 3: evaluates every segment's steps in dependency order, each once,
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
        /// Each filter group's contacts (over all contacts), in the step's order.
        public var groups: [ContactSet] = []
    }

    public func evaluate() -> Evaluation {
        evaluate(into: GroupCache())
    }

    /// Evaluates only the segments `targets` and those they read, directly or not: what
    /// `members`, `explain` and `log` need of one segment, without the work of every other.
    /// The other segments have no result.
    public func evaluate(only targets: [Int]) -> Evaluation {
        let graph = SegmentGraph(model: model)
        var needed = [Bool](repeating: false, count: model.segments.count)
        var pending = targets.filter { model.segments.indices.contains($0) }
        while let si = pending.popLast() {
            guard !needed[si] else { continue }
            needed[si] = true
            pending.append(contentsOf: graph.dependencies(of: si).filter { !needed[$0] })
        }
        return evaluate(into: GroupCache(), graph: graph, needed: needed)
    }

    /// Evaluates with the sets of `cache`; when `changed` is given, the cache holds the sets of
    /// an evaluation of the same segments over the same contacts in the same places, of which
    /// only those contacts changed (`serve` after a save): each set is tested again for them (and
    /// for the people of a changed company) instead of being made again.
    /// - Parameter previous: the evaluation the cache's sets were made for; its entries and
    ///   facts are brought up to date instead of being made again.
    /// - Parameter needed: the segments to evaluate (each with the segments it reads); nil for all.
    func evaluate(into cache: GroupCache, changed: [Int]? = nil, previous: Evaluation? = nil,
                  graph: SegmentGraph? = nil, needed: [Bool]? = nil) -> Evaluation {
        var entries: [InteractionEntry]
        var facts: ContactFacts
        if let changed, let previous, previous.facts.companyNumber.count == model.contacts.count,
           let patched = InteractionEntryBuilder().entries(patching: previous.entries, changed: changed,
                                                          entriesByContact: previous.facts.entriesByContact, model, asOf: asOf) {
            entries = patched
            facts = previous.facts.patched(changed: changed, model: model)
        } else {
            entries = InteractionEntryBuilder().entries(model, asOf: asOf)
            facts = ContactFacts(model: model, entries: entries)
        }
        let matcher = GroupMatcher(model: model, facts: facts, entries: entries, asOf: asOf)
        if let changed { patch(cache, changed: changed, matcher: matcher) }
        let graph = graph ?? SegmentGraph(model: model)
        let segments = needed.map { needed in model.segments.indices.filter { needed[$0] }.map { model.segments[$0] } } ?? model.segments
        buildIndexes(cache, matcher: matcher, segments: segments)
        buildGroupSets(cache, matcher: matcher, graph: graph, segments: segments)
        var results = [SegmentResult?](repeating: nil, count: model.segments.count)
        for si in graph.evaluable where needed?[si] ?? true {
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

    /// Group and condition results, and per-field indexes (value → contacts), shared by every
    /// segment of one evaluation: a filter is tested once per distinct value, not per contact.
    final class GroupCache: @unchecked Sendable {
        var sets: [String: ContactSet] = [:]
        var fieldIndex: [CriterionField: FieldIndex] = [:]
        var codeIndex: [FilterGroup.Kind: [String: [Int]]] = [:]
        /// Per folded profile question: answer → contacts.
        var profileIndex: [String: [String: [Int]]] = [:]
        var entryIndex: [InteractionField: [FieldValue: [Int]]] = [:]
        var entrySets: [String: ContactSet] = [:]
        var sharedValues: (list: [InteractionEntry.Values], ofEntry: [Int32])?
        /// Per condition (field and filter): whether each shared object meets it.
        var sharedMatches: [String: [Bool]] = [:]
        var excluded: ContactSet?
    }

    /// Brings the sets of an earlier evaluation up to date after contacts `changed` changed: a
    /// contact condition, list, profile or interaction group is tested again for them and for
    /// the people of a changed company (their industry groups, business relations and company
    /// name are the company's); a contact group is the intersection of its conditions again;
    /// `segment:` groups and the indexes are dropped (made again when needed). With no contact
    /// changed (segments edited), only the `segment:` groups go: a new condition is made then.
    func patch(_ cache: GroupCache, changed: [Int], matcher: GroupMatcher) {
        let n = model.contacts.count
        var affected: [Int] = []
        var seen = ContactSet(capacity: n)
        for i in changed where !seen.contains(i) {
            seen.insert(i)
            affected.append(i)
            guard matcher.facts.companyNumber[i] == i else { continue }
            for j in matcher.facts.companyMembers[i] where !seen.contains(j) {
                seen.insert(j)
                affected.append(j)
            }
        }
        // `segment:` groups hold other segments' members, which any change may change; the
        // segments themselves may be new (a segment edited), so every such set goes.
        let segmentKey = FilterGroup.Kind.segment.rawValue + "\u{1}"
        for key in cache.sets.keys where key.hasPrefix(segmentKey) { cache.sets[key] = nil }
        if affected.isEmpty { return }
        cache.fieldIndex = [:]
        cache.codeIndex = [:]
        cache.profileIndex = [:]
        cache.entryIndex = [:]
        cache.entrySets = [:]
        cache.sharedValues = nil
        cache.sharedMatches = [:]
        if var excluded = cache.excluded {
            for i in affected {
                if model.contacts[i].excludeFromSegments { excluded.insert(i) } else { excluded.remove(i) }
            }
            cache.excluded = excluded
        }
        func retest(_ key: String, _ holds: (Int) -> Bool) {
            guard var set = cache.sets[key] else { return }
            for i in affected {
                if holds(i) { set.insert(i) } else { set.remove(i) }
            }
            cache.sets[key] = set
        }
        let groups = model.segments.flatMap { $0.criteria.flatMap(\.groups) }
        var done = Set<String>()
        // Conditions first: a contact group is then the intersection of its patched conditions.
        for group in groups where group.kind == .contact {
            for ((name, filter), field) in zip(group.conditions, group.fields) {
                let key = conditionKey(name, filter)
                guard done.insert(key).inserted else { continue }
                let value = matcher.column(field)
                retest(key) { filter.matches(value($0), asOf: asOf) }
            }
        }
        for group in groups {
            let key = key(group)
            guard done.insert(key).inserted else { continue }
            switch group.kind {
            case .segment:
                continue
            case .contact:
                guard cache.sets[key] != nil else { continue }
                let conditions = group.conditions.compactMap { cache.sets[conditionKey($0.0, $0.1)] }
                guard conditions.count == group.conditions.count else {
                    cache.sets[key] = nil  // made again when a segment needs it
                    continue
                }
                var set = ContactSet.all(n)
                for condition in conditions { set.formIntersection(condition) }
                cache.sets[key] = set
            case .mailingGroups, .jobResponsibilities, .industryGroups, .businessRelations, .profile, .interactions:
                retest(key) { matcher.matches(group, $0, segmentMembers: nil) }
            }
        }
    }

    /// The indexes (value → contacts) of every contact field, code list and profile question one
    /// of `segments` filters on, made side by side on every core before the segments run (each is a
    /// pass over all contacts; the segments then read them).
    func buildIndexes(_ cache: GroupCache, matcher: GroupMatcher, segments: [Segment]) {
        var fields: [CriterionField] = [], kinds: [FilterGroup.Kind] = [], questions: [String] = []
        var seenFields = Set<CriterionField>(), seenKinds = Set<FilterGroup.Kind>(), seenQuestions = Set<String>()
        for segment in segments {
            // Only for sets not made yet (after a patch, every set a segment needs is there).
            for group in segment.criteria.flatMap(\.groups) where cache.sets[key(group)] == nil {
                switch group.kind {
                case .contact:
                    for ((name, filter), field) in zip(group.conditions, group.fields)
                    where cache.sets[conditionKey(name, filter)] == nil
                        && cache.fieldIndex[field] == nil && seenFields.insert(field).inserted {
                        fields.append(field)
                    }
                case .mailingGroups, .jobResponsibilities, .industryGroups, .businessRelations:
                    if cache.codeIndex[group.kind] == nil, seenKinds.insert(group.kind).inserted { kinds.append(group.kind) }
                case .profile:
                    for (question, _) in group.conditions {
                        let q = Text.fold(question)
                        if cache.profileIndex[q] == nil, seenQuestions.insert(q).inserted { questions.append(question) }
                    }
                case .interactions, .segment:
                    break
                }
            }
        }
        let jobs = fields.count + kinds.count + (questions.isEmpty ? 0 : 1)
        guard jobs > 1 else { return }
        // The fields' values first, every contact's record read once for all of them.
        let columns = fields.isEmpty ? [] : matcher.columns(fields)
        let jobFields = fields, jobKinds = kinds, jobQuestions = questions
        // Each job fills a cache of its own; the caches are merged after. The longest jobs
        // first (all questions in one pass, then the code lists), the fields' after: started
        // last, one long job would leave a core idle at the end.
        let questionJobs = jobQuestions.isEmpty ? 0 : 1
        let built = parallelMap(jobs, itemsPerWorker: 1) { j -> UncheckedBox<GroupCache> in
            let own = GroupCache()
            if j < questionJobs {
                own.profileIndex = profileIndexes(jobQuestions)
            } else if j < questionJobs + jobKinds.count {
                _ = codeIndex(jobKinds[j - questionJobs], matcher: matcher, cache: own)
            } else {
                let f = j - questionJobs - jobKinds.count
                own.fieldIndex[jobFields[f]] = FieldIndex(runs: columns.map { $0[f] })
            }
            return UncheckedBox(own)
        }
        DispatchQueue.global(qos: .utility).async { withExtendedLifetime(columns) {} }  // freed on another thread
        for box in built {
            cache.fieldIndex.merge(box.value.fieldIndex) { old, _ in old }
            cache.codeIndex.merge(box.value.codeIndex) { old, _ in old }
            cache.profileIndex.merge(box.value.profileIndex) { old, _ in old }
        }
    }

    /// The sets `segments` will combine, made side by side on every core before they run:
    /// each condition of a contact group once (a contact group is then the intersection of its
    /// conditions), and each list, profile and interaction group. Each job works in a cache of
    /// its own that shares the indexes; the sets are merged after.
    func buildGroupSets(_ cache: GroupCache, matcher: GroupMatcher, graph: SegmentGraph, segments: [Segment]) {
        // A job is a one-condition contact group, or a group of another kind.
        var jobs: [FilterGroup] = [], seen = Set<String>()
        for segment in segments {
            for group in segment.criteria.flatMap(\.groups) {
                switch group.kind {
                case .segment:
                    continue
                case .contact:
                    for condition in group.conditions {
                        let k = conditionKey(condition.field, condition.filter)
                        guard cache.sets[k] == nil, seen.insert(k).inserted else { continue }
                        jobs.append(FilterGroup(kind: .contact, conditions: [condition], location: group.location))
                    }
                default:
                    let k = key(group)
                    if cache.sets[k] == nil, seen.insert(k).inserted { jobs.append(group) }
                }
            }
        }
        guard jobs.count > 1 else { return }
        _ = excludedContacts(cache)
        if jobs.contains(where: { $0.kind == .interactions }) { _ = sharedValues(matcher.entries, cache) }
        let shared = UncheckedBox(cache)  // read only while the jobs run
        let all = jobs
        let built = parallelMap(all.count, itemsPerWorker: 1) { j -> UncheckedBox<GroupCache> in
            let own = GroupCache()
            let from = shared.value
            (own.fieldIndex, own.codeIndex, own.profileIndex) = (from.fieldIndex, from.codeIndex, from.profileIndex)
            (own.sharedValues, own.excluded) = (from.sharedValues, from.excluded)
            _ = groupSet(all[j], matcher: matcher, graph: graph, results: [], cache: own)
            return UncheckedBox(own)
        }
        for box in built {
            cache.sets.merge(box.value.sets) { old, _ in old }
            cache.sharedMatches.merge(box.value.sharedMatches) { old, _ in old }
            cache.entrySets.merge(box.value.entrySets) { old, _ in old }
        }
    }

    /// Contacts with `exclude_from_segments`, found once per evaluation.
    func excludedContacts(_ cache: GroupCache) -> ContactSet {
        if let known = cache.excluded { return known }
        var set = ContactSet(capacity: model.contacts.count)
        for i in model.contacts.indices where model.contacts[i].excludeFromSegments { set.insert(i) }
        cache.excluded = set
        return set
    }

    /// The distinct shared values of the entries (a batch's entries share one object) and each
    /// entry's place among them, found once per evaluation.
    func sharedValues(_ entries: [InteractionEntry], _ cache: GroupCache) -> (list: [InteractionEntry.Values], ofEntry: [Int32]) {
        if let known = cache.sharedValues { return known }
        var list: [InteractionEntry.Values] = []
        var ofEntry = [Int32](repeating: 0, count: entries.count)
        var place: [ObjectIdentifier: Int32] = [:]
        var last: InteractionEntry.Values?
        for (ei, e) in entries.enumerated() {
            if let last, e.shared === last {
                ofEntry[ei] = ofEntry[ei - 1]
                continue
            }
            let id = ObjectIdentifier(e.shared)
            if let known = place[id] {
                ofEntry[ei] = known
            } else {
                ofEntry[ei] = Int32(list.count)
                place[id] = Int32(list.count)
                list.append(e.shared)
            }
            last = e.shared
        }
        cache.sharedValues = (list, ofEntry)
        return (list, ofEntry)
    }

    /// Contacts with at least one interaction entry meeting every condition. A condition on a
    /// value entries share with their batch is tested once per shared object, not per entry;
    /// a salesperson condition (the entry's own value) through an index, value → entries.
    func interactionSet(_ group: FilterGroup, matcher: GroupMatcher, cache: GroupCache) -> ContactSet {
        let entries = matcher.entries
        let shared = sharedValues(entries, cache)
        var sharedOK = [Bool](repeating: true, count: shared.list.count)
        var entrySets: [ContactSet] = []
        for (field, filter) in group.criteria {
            guard case .interaction(let f) = field else { return ContactSet(capacity: model.contacts.count) }
            let key = f.rawValue + "\u{2}" + filter.source
            if f != .salesperson {
                let ok: [Bool]
                if let known = cache.sharedMatches[key] {
                    ok = known
                } else {
                    ok = shared.list.map { filter.matches($0.value(f), asOf: asOf) }
                    cache.sharedMatches[key] = ok
                }
                for k in sharedOK.indices where !ok[k] { sharedOK[k] = false }
                continue
            }
            if let hit = cache.entrySets[key] {
                entrySets.append(hit)
                continue
            }
            let index: [FieldValue: [Int]]
            if let known = cache.entryIndex[f] {
                index = known
            } else {
                var built: [FieldValue: [Int]] = [:]
                for (ei, e) in entries.enumerated() { built[e.value(f), default: []].append(ei) }
                cache.entryIndex[f] = built
                index = built
            }
            var set = ContactSet(capacity: entries.count)
            for (value, list) in index where filter.matches(value, asOf: asOf) { for ei in list { set.insert(ei) } }
            cache.entrySets[key] = set
            entrySets.append(set)
        }
        // The entries every condition on an entry's own value accepts, as one set.
        var allowed = entrySets.first
        for other in entrySets.dropFirst() { allowed?.formIntersection(other) }
        var contacts = ContactSet(capacity: model.contacts.count)
        entries.withUnsafeBufferPointer { all in
            sharedOK.withUnsafeBufferPointer { ok in
                shared.ofEntry.withUnsafeBufferPointer { ofEntry in
                    (allowed?.words ?? []).withUnsafeBufferPointer { allowed in
                        let any = entrySets.isEmpty
                        var found: [Int] = []
                        for ei in all.indices where ok[Int(ofEntry[ei])] && (any || allowed[ei >> 6] & (1 << UInt64(ei & 63)) != 0) {
                            found.append(all[ei].contact)
                        }
                        contacts.insert(contentsOf: found)
                    }
                }
            }
        }
        return contacts
    }

    func fieldIndex(_ field: CriterionField, matcher: GroupMatcher, cache: GroupCache) -> FieldIndex {
        if let hit = cache.fieldIndex[field] { return hit }
        let value = matcher.column(field)
        let index = FieldIndex(runs: [(0..<model.contacts.count).map(value)])
        cache.fieldIndex[field] = index
        return index
    }

    func profileIndex(_ question: String, cache: GroupCache) -> [String: [Int]] {
        let q = Text.fold(question)
        if let hit = cache.profileIndex[q] { return hit }
        var index: [String: [Int]] = [:]
        model.contacts.withUnsafeBufferPointer { contacts in
            for i in contacts.indices {
                for answer in contacts[i].answers(q) where index[answer]?.last != i { index[answer, default: []].append(i) }
            }
        }
        cache.profileIndex[q] = index
        return index
    }

    /// The indexes of several questions (by folded question) in one pass over the contacts:
    /// each contact's answers are reached once, not once per question.
    func profileIndexes(_ questions: [String]) -> [String: [String: [Int]]] {
        let wanted = Set(questions.map(Text.fold))
        var indexes: [String: [String: [Int]]] = [:]
        model.contacts.withUnsafeBufferPointer { contacts in
            for i in contacts.indices {
                var done: [String] = []
                for (question, answers) in contacts[i].profile {
                    let q = Text.fold(question)
                    // A contact's first entry for a question is the one read (as `answers(_:)` does).
                    guard wanted.contains(q), !done.contains(q) else { continue }
                    done.append(q)
                    for answer in answers where indexes[q, default: [:]][answer]?.last != i { indexes[q, default: [:]][answer, default: []].append(i) }
                }
            }
        }
        for q in wanted where indexes[q] == nil { indexes[q] = [:] }
        return indexes
    }

    func codeIndex(_ kind: FilterGroup.Kind, matcher: GroupMatcher, cache: GroupCache) -> [String: [Int]] {
        if let hit = cache.codeIndex[kind] { return hit }
        var index: [String: [Int]] = [:]
        for i in 0..<model.contacts.count {
            for code in matcher.codes(kind, i) { index[code, default: []].append(i) }
        }
        cache.codeIndex[kind] = index
        return index
    }

    /// Contacts whose value (or one of whose codes) the filter accepts, through an index.
    func indexedSet<K>(_ index: [K: [Int]], _ value: (K) -> FieldValue, _ filter: Filter) -> ContactSet {
        var set = ContactSet(capacity: model.contacts.count)
        for (key, contacts) in index where filter.matches(value(key), asOf: asOf) {
            for i in contacts { set.insert(i) }
        }
        return set
    }

    /// The cache key of one condition of a contact group (shared by every group that has it).
    func conditionKey(_ name: String, _ filter: Filter) -> String {
        "contact\u{1}" + name + "\u{2}" + filter.source
    }

    func key(_ group: FilterGroup) -> String {
        var k = group.kind.rawValue
        for (field, filter) in group.conditions {
            k += "\u{1}" + field + "\u{2}" + filter.source
        }
        return k
    }

    /// The members of every segment a `segment:` filter names (also used by `explain`).
    func segmentUnion(_ group: FilterGroup, graph: SegmentGraph, results: [SegmentResult?]) -> ContactSet {
        var set = ContactSet(capacity: model.contacts.count)
        guard let filter = group.conditions.first?.filter else { return set }
        for sj in graph.segments(matching: filter, in: model) {
            if let r = results[sj] { set.formUnion(r.members) }
        }
        return set
    }

    /// The contacts satisfying one group, over all contacts.
    func groupSet(_ group: FilterGroup, matcher: GroupMatcher, graph: SegmentGraph, results: [SegmentResult?], cache: GroupCache) -> ContactSet {
        let k = key(group)
        if let hit = cache.sets[k] { return hit }
        let set: ContactSet
        switch group.kind {
        case .segment:
            set = segmentUnion(group, graph: graph, results: results)
        case .contact:
            var s = ContactSet.all(model.contacts.count)
            for ((name, filter), field) in zip(group.conditions, group.fields) {
                let key = conditionKey(name, filter)
                let condition: ContactSet
                if let hit = cache.sets[key] {
                    condition = hit
                } else {
                    condition = fieldIndex(field, matcher: matcher, cache: cache).contacts(matching: filter, asOf: asOf)
                    cache.sets[key] = condition
                }
                s.formIntersection(condition)
            }
            set = s
        case .mailingGroups, .jobResponsibilities, .industryGroups, .businessRelations:
            set = indexedSet(codeIndex(group.kind, matcher: matcher, cache: cache), { FieldValue($0) }, group.conditions[0].filter)
        case .interactions:
            set = interactionSet(group, matcher: matcher, cache: cache)
        case .profile:
            // Each question's answers indexed once (answer → contacts): an answer is tested once.
            var s = ContactSet.all(model.contacts.count)
            for (question, filter) in group.conditions {
                s.formIntersection(indexedSet(profileIndex(question, cache: cache), { FieldValue($0) }, filter))
            }
            set = s
        }
        cache.sets[k] = set
        return set
    }

    /// The set plus every contact sharing a company number with a member: each company's
    /// people are added once, so the cost is linear however large a company is.
    func widen(_ set: ContactSet, _ facts: ContactFacts) -> ContactSet {
        var out = set
        var companies = ContactSet(capacity: model.contacts.count)
        facts.companyNumber.withUnsafeBufferPointer { number in companies.insert(mapping: set) { number[$0] } }
        facts.companyMembers.withLists { offsets, items in
            companies.forEach { company in
                for k in offsets[company]..<offsets[company + 1] { out.insert(items[k]) }
            }
        }
        return out
    }

    func run(_ si: Int, matcher: GroupMatcher, graph: SegmentGraph, results: [SegmentResult?], cache: GroupCache,
             trace: UnsafeMutablePointer<[StepTrace]>?) -> SegmentResult {
        let n = model.contacts.count
        let facts = matcher.facts
        var members = ContactSet(capacity: n)
        var addedBy = [Int32](repeating: 0, count: n)  // step number, 0 for none
        var counts: [SegmentResult.StepCount] = []
        var dropped = ContactSet(capacity: n)
        let excluded = excludedContacts(cache)
        for (number, step) in model.segments[si].criteria.enumerated() {
            let before = members.count
            var matched = ContactSet.all(n)
            var groupSets: [ContactSet] = []
            for group in step.groups {
                let set = groupSet(group, matcher: matcher, graph: graph, results: results, cache: cache)
                matched.formIntersection(set)
                if trace != nil { groupSets.append(set) }
            }
            var t = StepTrace(matched: matched, afterExpand: nil, afterRelated: nil, dropped: ContactSet(capacity: n),
                              widened: nil, membersAfter: members, groups: groupSets)
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
                    related.insert(mapping: m.intersection(facts.persons)) { facts.companyNumber[$0] }
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
                addedBy.withUnsafeMutableBufferPointer { added in m.forEach { added[$0] = Int32(number + 1) } }
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
        var finalAdded = StepNumbers()
        finalAdded.reserve(members.count)
        addedBy.withUnsafeBufferPointer { added in
            members.forEach { if added[$0] != 0 { finalAdded.append($0, step: Int(added[$0])) } }
        }
        return SegmentResult(members: members, addedBy: finalAdded, steps: counts, droppedByExclusion: dropped.subtracting(members))
    }
}
