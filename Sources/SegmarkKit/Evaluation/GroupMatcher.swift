/// Decides whether one contact satisfies one filter group, and says why (for explain).
public struct GroupMatcher: Sendable {
    public let model: Model
    public let facts: ContactFacts
    public let entries: [InteractionEntry]
    public let asOf: Day

    public init(model: Model, facts: ContactFacts, entries: [InteractionEntry], asOf: Day) {
        self.model = model
        self.facts = facts
        self.entries = entries
        self.asOf = asOf
    }

    /// The value of a `contact` field for contact `i`.
    public func contactValue(_ field: String, _ i: Int) -> FieldValue { column(CriterionField(kind: .contact, name: field))(i) }

    /// A `contact` field's value by contact, with the field's kind decided once (an index
    /// over 100,000 contacts asks it 100,000 times). Reads fields in place: copying a whole
    /// Contact per value dominated evaluation.
    public func column(_ field: CriterionField) -> (Int) -> FieldValue {
        let model = self.model, facts = self.facts
        switch field {
        case .contact(.created): return { i in model.contacts[i].created.map { .date($0) } ?? .missing }
        case .contact(.exclude_from_segments): return { i in .bool(model.contacts[i].excludeFromSegments) }
        case .contact(let f): return { i in FieldValue(model.contacts[i].values[f]) }
        case .computed(.company_name): return { i in FieldValue(facts.companyNumber[i].map { model.contacts[$0].name }) }
        case .computed(.last_interaction_date): return { i in facts.lastInteractionDate[i].map { .date($0) } ?? .missing }
        case .computed(.last_attempt_date): return { i in facts.lastAttemptDate[i].map { .date($0) } ?? .missing }
        case .custom(let name): return { i in FieldValue(model.contacts[i].customField(name)) }
        case .interaction, .profile, .codes, .segment, .unknown: return { _ in .missing }
        }
    }

    /// The values of `fields` for every contact, made reading each contact's record once for
    /// all of them (on every core, a run of contacts each): a record is a cache miss or two,
    /// once per contact instead of once per contact and field. Returned by run of contacts,
    /// then by field (`result[run][field]`), for the caller to join on every core. Fields not
    /// read from the contact's own record are read through `column`.
    func columns(_ fields: [CriterionField]) -> [[[FieldValue]]] {
        let n = model.contacts.count, run = 4096
        let own: [ContactField?] = fields.map { if case .contact(let f) = $0, f != .created, f != .exclude_from_segments { f } else { nil } }
        let others = UncheckedBox(fields.indices.map { own[$0] == nil ? column(fields[$0]) : nil })  // only read
        let model = self.model
        return parallelMap((n + run - 1) / run, itemsPerWorker: 1) { r -> UncheckedBox<[[FieldValue]]> in
            let lo = r * run, hi = min(n, lo + run)
            var out = [[FieldValue]](repeating: [], count: fields.count)
            for k in out.indices { out[k].reserveCapacity(hi - lo) }
            model.contacts.withUnsafeBufferPointer { contacts in
                for i in lo..<hi {
                    let values = contacts[i].values
                    for k in fields.indices {
                        if let f = own[k] { out[k].append(FieldValue(values[f])) } else { out[k].append(others.value[k]!(i)) }
                    }
                }
            }
            return UncheckedBox(out)
        }.map(\.value)
    }

    /// The codes a list group searches for contact `i` (the company number's for industry groups and business relations).
    public func codes(_ kind: FilterGroup.Kind, _ i: Int) -> [String] {
        switch kind {
        case .mailingGroups: return model.contacts[i].mailingGroups
        case .jobResponsibilities: return model.contacts[i].jobResponsibilities
        case .industryGroups: return facts.companyNumber[i].map { model.contacts[$0].industryGroups } ?? []
        case .businessRelations: return facts.companyNumber[i].map { model.contacts[$0].businessRelations } ?? []
        default: return []
        }
    }

    /// - Parameter segmentMembers: for `segment` groups, the union of the members of the segments the filter names.
    public func matches(_ group: FilterGroup, _ i: Int, segmentMembers: ContactSet?) -> Bool {
        switch group.kind {
        case .contact:
            for (field, filter) in group.criteria where !filter.matches(column(field)(i), asOf: asOf) { return false }
            return true
        case .profile:
            for (question, filter) in group.conditions where !filter.matchesAny(model.contacts[i].answers(question), asOf: asOf) { return false }
            return true
        case .mailingGroups, .jobResponsibilities, .industryGroups, .businessRelations:
            return group.conditions[0].filter.matchesAny(codes(group.kind, i), asOf: asOf)
        case .interactions:
            for ei in facts.entriesByContact[i] where entryMatches(group, entries[ei]) { return true }
            return false
        case .segment:
            return segmentMembers?.contains(i) ?? false
        }
    }

    /// Whether one interaction entry meets every condition of an `interactions` group.
    public func entryMatches(_ group: FilterGroup, _ e: InteractionEntry) -> Bool {
        for (field, filter) in group.criteria {
            guard case .interaction(let f) = field, filter.matches(e.value(f), asOf: asOf) else { return false }
        }
        return true
    }
}
