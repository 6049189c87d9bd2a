/// `segmark explain SEGMENT CONTACT`: for every step, each group's verdict with the value
/// seen and the filter held against it, what the options did, and membership after the step.
public struct Explainer: Sendable {
    public let model: Model
    public let evaluation: Evaluation

    public init(model: Model, evaluation: Evaluation) {
        self.model = model
        self.evaluation = evaluation
    }

    public struct Explanation: Sendable, Encodable {
        public var segment: String
        public var contact: String
        public var contactName: String
        public var asOf: String
        public var steps: [StepExplanation]
        public var member: Bool
        public var addedByStep: Int?
        public var verdict: String
    }

    public struct StepExplanation: Sendable, Encodable {
        public var number: Int
        public var action: String
        public var description: String
        public var groups: [GroupExplanation]
        public var matched: Bool
        public var effects: [String]
        public var memberBefore: Bool
        public var memberAfter: Bool
        public var countBefore: Int
        public var countAfter: Int
    }

    public struct GroupExplanation: Sendable, Encodable {
        public var group: String
        public var held: Bool
        public var reasons: [String]
    }

    public func explain(segmentIndex si: Int, contactIndex ci: Int) -> Explanation {
        let segment = model.segments[si]
        let contact = model.contacts[ci]
        let evaluator = SegmentEvaluator(model: model, asOf: evaluation.asOf)
        let (result, traces) = evaluator.trace(si, in: evaluation)
        let matcher = GroupMatcher(model: model, facts: evaluation.facts, entries: evaluation.entries, asOf: evaluation.asOf)
        let describer = StepDescriber()
        var steps: [StepExplanation] = []
        var memberBefore = false
        for (n, step) in segment.criteria.enumerated() {
            let t = traces[n]
            var groups: [GroupExplanation] = []
            // Whether each group holds is the set evaluator's answer (explain cannot disagree
            // with the members); the reasons show the values behind it.
            for (k, group) in step.groups.enumerated() {
                groups.append(explain(group, ci, held: t.groups[k].contains(ci), matcher: matcher))
            }
            let matched = t.matched.contains(ci)
            let memberAfter = t.membersAfter.contains(ci)
            var effects: [String] = []
            let name = { (i: Int) in "\(self.model.contacts[i].id) (\(self.model.contacts[i].name))" }
            switch step.action {
            case .add:
                if matched { effects.append("matched every group of this step") }
                if let expanded = t.afterExpand, expanded.contains(ci), !matched {
                    let via = evaluation.facts.sharing(ci).first { t.matched.contains($0) }
                    let company = evaluation.facts.companyNumber[ci].map(name) ?? "?"
                    effects.append("added by expand_companies: company \(company)" + (via.map { " has the matching contact \(name($0))" } ?? ""))
                }
                if let related = t.afterRelated, related.contains(ci), !(t.afterExpand ?? t.matched).contains(ci) {
                    let persons = (t.afterExpand ?? t.matched).indices.filter { evaluation.facts.companyNumber[$0] == ci && $0 != ci }
                    effects.append("added by allow_related_companies as the company of \(persons.prefix(3).map(name).joined(separator: ", "))")
                }
                if t.dropped.contains(ci) {
                    effects.append("dropped: the contact has exclude_from_segments: true (ignore_exclusion is off)")
                }
                if !matched && !(t.afterRelated ?? t.afterExpand ?? t.matched).contains(ci) {
                    effects.append("not added by this step")
                }
                if memberAfter && !memberBefore { effects.append("joined the segment") }
                let addedHere = (t.afterRelated ?? t.afterExpand ?? t.matched).contains(ci) && !t.dropped.contains(ci)
                if memberBefore && addedHere {
                    effects.append("already a member; matched again, so it now counts as added by step \(n + 1)")
                }
            case .reduce, .refine:
                if !memberBefore {
                    effects.append("not a member before this step, so the step does not concern it (\(step.action.rawValue) never adds)")
                } else {
                    let inX = t.widened.map { $0.contains(ci) } ?? matched
                    if step.entireCompanies, let widened = t.widened, widened.contains(ci), !matched {
                        let via = evaluation.facts.sharing(ci).first { t.matched.contains($0) }
                        effects.append("entire_companies: counts as matched because \(via.map(name) ?? "a contact of its company") of the same company matched")
                    }
                    if step.action == .reduce {
                        effects.append(inX ? "removed from the segment" : "kept: it did not match")
                    } else {
                        effects.append(inX ? "kept: it matched" : "removed from the segment: it did not match")
                    }
                }
            }
            steps.append(StepExplanation(number: n + 1, action: step.action.rawValue, description: describer.describe(step),
                                         groups: groups, matched: matched, effects: effects,
                                         memberBefore: memberBefore, memberAfter: memberAfter,
                                         countBefore: result.steps[n].before, countAfter: result.steps[n].after))
            memberBefore = memberAfter
        }
        let member = result.members.contains(ci)
        let added = result.addedBy[ci]
        let verdict: String
        if member {
            verdict = "\(contact.id) is a member of \(segment.id) (added by step \(added ?? 0))"
        } else if result.droppedByExclusion.contains(ci) {
            verdict = "\(contact.id) is not a member of \(segment.id): it was dropped by exclusion (exclude_from_segments: true)"
        } else {
            verdict = "\(contact.id) is not a member of \(segment.id)"
        }
        return Explanation(segment: segment.id, contact: contact.id, contactName: contact.name, asOf: evaluation.asOf.description,
                           steps: steps, member: member, addedByStep: member ? added : nil, verdict: verdict)
    }

    func list(_ values: [String]) -> String {
        values.isEmpty ? "none" : values.joined(separator: ", ")
    }

    func explain(_ group: FilterGroup, _ ci: Int, held: Bool, matcher: GroupMatcher) -> GroupExplanation {
        let describer = StepDescriber()
        var reasons: [String] = []
        let c = model.contacts[ci]
        let asOf = evaluation.asOf
        func verdict(_ ok: Bool) -> String { ok ? "matches" : "does not match" }
        switch group.kind {
        case .contact:
            for ((field, filter), resolved) in zip(group.conditions, group.fields) {
                let v = matcher.column(resolved)(ci)
                reasons.append("\(field) is '\(v)'; \(verdict(filter.matches(v, asOf: asOf))) \(describer.written(filter, "the filter \(filter.source)"))")
            }
        case .profile:
            for (question, filter) in group.conditions {
                let answers = c.answers(question)
                reasons.append("profile \(question) answers: \(list(answers)); \(verdict(filter.matchesAny(answers, asOf: asOf))) \(describer.written(filter, "filter '\(filter.source)'"))")
            }
        case .mailingGroups, .jobResponsibilities:
            let filter = group.conditions[0].filter
            let codes = matcher.codes(group.kind, ci)
            reasons.append("\(group.kind.rawValue): \(list(codes)); \(verdict(filter.matchesAny(codes, asOf: asOf))) \(describer.written(filter, "filter '\(filter.source)'"))")
        case .industryGroups, .businessRelations:
            let filter = group.conditions[0].filter
            let codes = matcher.codes(group.kind, ci)
            let source: String
            if let cn = evaluation.facts.companyNumber[ci] {
                source = cn == ci ? "its own" : "its company \(model.contacts[cn].id)'s"
            } else {
                source = "none: a person without a company has no"
            }
            reasons.append("\(group.kind.rawValue) (\(source) codes): \(list(codes)); \(verdict(filter.matchesAny(codes, asOf: asOf))) \(describer.written(filter, "filter '\(filter.source)'"))")
        case .interactions:
            let own = evaluation.facts.entriesByContact[ci]
            let matching = own.filter { matcher.entryMatches(group, evaluation.entries[$0]) }
            let filters = group.conditions.map { "\($0.field) " + describer.written($0.filter, "'\($0.filter.source)'") }.joined(separator: ", ")
            var text = "\(own.count) own interaction entr\(own.count == 1 ? "y" : "ies"); \(matching.count) match \(filters)"
            if let first = matching.first {
                let e = evaluation.entries[first]
                text += " (e.g. batch \(e.batchID) on \(e.date), template \(e.template))"
            }
            reasons.append(text)
        case .segment:
            let filter = group.conditions[0].filter
            let named = SegmentGraph.match(filter, in: model)
            let memberOf = named.filter { evaluation.results[$0]?.members.contains(ci) ?? false }.map { model.segments[$0].id }
            reasons.append("segments matching '\(filter.source)': \(list(named.map { model.segments[$0].id })); member of: \(list(memberOf))")
        }
        return GroupExplanation(group: describer.describe(group), held: held, reasons: reasons)
    }

    /// Plain text for a marketing user.
    public func text(_ e: Explanation) -> String {
        var out = "Why is \(e.contact) (\(Text.line(e.contactName))) \(e.member ? "in" : "not in") segment \(e.segment)? As of \(e.asOf).\n"
        if e.steps.isEmpty { out += "\nThe segment has no criteria, so it has no members.\n" }
        for s in e.steps {
            out += "\nStep \(s.number): \(Text.line(s.description))\n"
            out += "  members: \(s.countBefore) before, \(s.countAfter) after\n"
            for g in s.groups {
                out += "  [\(g.held ? "yes" : "no")] \(Text.line(g.group))\n"
                for r in g.reasons { out += "        \(Text.line(r))\n" }
            }
            if s.groups.isEmpty { out += "  [yes] no filter groups: every contact matches\n" }
            for effect in s.effects { out += "  → \(Text.line(effect))\n" }
            out += "  \(s.memberAfter ? "IN" : "OUT") after step \(s.number)\n"
        }
        out += "\nVerdict: \(Text.line(e.verdict))\n"
        return out
    }
}
