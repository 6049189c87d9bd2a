/// Criteria in plain words, for segment sheets and `explain` (§8 "the criteria in plain words").
public struct StepDescriber: Sendable {
    public init() {}

    public func groupName(_ kind: FilterGroup.Kind) -> String {
        switch kind {
        case .contact: return "contact"
        case .profile: return "profile"
        case .mailingGroups: return "mailing group"
        case .jobResponsibilities: return "job responsibility"
        case .interactions: return "interactions"
        case .industryGroups: return "industry group (of the company)"
        case .businessRelations: return "business relation (of the company)"
        case .segment: return "member of segment"
        }
    }

    public func fieldName(_ field: String) -> String {
        field.replacingOccurrences(of: "_", with: " ")
    }

    /// One group in words, e.g. `country is GB|NO and type is company`.
    public func describe(_ group: FilterGroup) -> String {
        switch group.kind {
        case .contact:
            return group.conditions.map { "\(fieldName($0.field)) is \($0.filter.source)" }.joined(separator: " and ")
        case .profile:
            return group.conditions.map { "profile answer to \($0.field) is \($0.filter.source)" }.joined(separator: " and ")
        case .interactions:
            let parts = group.conditions.map { "\(fieldName($0.field)) is \($0.filter.source)" }
            return "has an interaction with " + (parts.isEmpty ? "any values" : parts.joined(separator: " and "))
        case .segment:
            return "is a member of segment \(group.conditions[0].filter.source)"
        default:
            return "\(groupName(group.kind)) is \(group.conditions[0].filter.source)"
        }
    }

    public func describe(_ step: Step) -> String {
        let verb: String
        switch step.action {
        case .add: verb = "Add contacts"
        case .reduce: verb = "Remove members"
        case .refine: verb = "Keep only members"
        }
        var text = verb
        if step.groups.isEmpty {
            text += step.action == .add ? " (all contacts)" : " (every member)"
        } else {
            text += " where " + step.groups.map(describe).joined(separator: "; and ")
        }
        var options: [String] = []
        if step.expandCompanies { options.append("expand each match to its whole company") }
        if step.allowRelatedCompanies { options.append("add the companies of matched persons") }
        if step.ignoreExclusion { options.append("include contacts excluded from segments") }
        if step.entireCompanies { options.append("entire companies") }
        if !options.isEmpty { text += " (" + options.joined(separator: "; ") + ")" }
        return text
    }
}
