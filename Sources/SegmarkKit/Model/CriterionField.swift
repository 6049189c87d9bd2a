/// What one condition of a filter group reads, resolved from its name once when the segment
/// is read: every interpreter of the criteria (the set evaluator, the per-contact matcher that
/// `explain` uses, the SQL compiler) switches on this instead of looking names up per match.
public enum CriterionField: Hashable, Sendable {
    /// A field of the contact's own file (`city`, `country`, `created`, …).
    case contact(ContactField)
    /// A value Segmark works out (`company_name`, `last_interaction_date`, `last_attempt_date`).
    case computed(ComputedContactField)
    /// A custom field, `fields.NAME`.
    case custom(String)
    /// A field of an interaction entry.
    case interaction(InteractionField)
    /// A profile question (its answers).
    case profile(String)
    /// The codes of a list group (mailing groups, job responsibilities; industry groups and
    /// business relations read the company number's).
    case codes(FilterGroup.Kind)
    /// The members of the segments a `segment` filter names.
    case segment
    /// A name the decoder reported as unknown: it matches nothing.
    case unknown(String)

    public init(kind: FilterGroup.Kind, name: String) {
        switch kind {
        case .contact:
            if let f = ContactField(rawValue: name) {
                self = .contact(f)
            } else if let f = ComputedContactField(rawValue: name) {
                self = .computed(f)
            } else if name.hasPrefix("fields.") {
                self = .custom(String(name.dropFirst(7)))
            } else {
                self = .unknown(name)
            }
        case .interactions:
            self = InteractionField(rawValue: name).map { .interaction($0) } ?? .unknown(name)
        case .profile:
            self = .profile(name)
        case .mailingGroups, .jobResponsibilities, .industryGroups, .businessRelations:
            self = .codes(kind)
        case .segment:
            self = .segment
        }
    }
}
