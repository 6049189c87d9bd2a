/// Criteria in plain words, for segment sheets and `explain`.
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
        switch field {
        case "email": return "e-mail"
        case "address_2": return "address 2"
        default:
            if field.hasPrefix("fields.") { return "custom field " + field.dropFirst(7) }
            return field.replacingOccurrences(of: "_", with: " ")
        }
    }

    /// One group in words, e.g. `country is GB or NO and type is company`.
    public func describe(_ group: FilterGroup) -> String {
        switch group.kind {
        case .contact:
            return group.conditions.map { "\(fieldName($0.field)) is \(words($0.filter))" }.joined(separator: " and ")
        case .profile:
            return group.conditions.map { "the profile answer to \($0.field) is \(words($0.filter))" }.joined(separator: " and ")
        case .interactions:
            let parts = group.conditions.map { "\(fieldName($0.field)) is \(words($0.filter))" }
            return "they have an interaction" + (parts.isEmpty ? "" : " where " + parts.joined(separator: " and "))
        case .segment:
            return "they are a member of segment \(words(group.conditions[0].filter))"
        default:
            return "their \(groupName(group.kind)) is \(words(group.conditions[0].filter))"
        }
    }

    /// A filter in words: `NO|GB` → "NO or GB", `''` → "empty", `<>NO&<>SE` → "not NO and not SE",
    /// `-1Y..t` → "from -1Y to the as-of date (-1Y..t)": the filter as written follows in
    /// brackets where the words alone could mislead (ranges, relative dates, wildcards, `@`).
    public func words(_ filter: Filter) -> String {
        var bracket = false
        func value(_ v: FilterValue?) -> String {
            guard let v else { return "" }
            if v.hasWildcards || filter.type == .date && v.date.map({ if case .offset = $0 { return true } else { return false } }) == true { bracket = true }
            if filter.type == .date, case .offset(0, _)? = v.date { return "the as-of date" }
            return v.text
        }
        let isDate = filter.type == .date
        let alternatives = filter.alternatives.map { terms in
            terms.map { term -> String in
                if term.caseInsensitive { bracket = true }
                switch term.operation {
                case .equal: return value(term.value)
                case .notEqual: return "not " + value(term.value)
                case .less: return (isDate ? "before " : "less than ") + value(term.value)
                case .lessOrEqual: return (isDate ? "on or before " : "at most ") + value(term.value)
                case .greater: return (isDate ? "after " : "more than ") + value(term.value)
                case .greaterOrEqual: return (isDate ? "on or after " : "at least ") + value(term.value)
                case .range(let low, let high):
                    bracket = true
                    switch (low, high) {
                    case (let l?, let h?): return "from \(value(l)) to \(value(h))"
                    case (let l?, nil): return (isDate ? "on or after " : "at least ") + value(l)
                    case (nil, let h?): return (isDate ? "on or before " : "at most ") + value(h)
                    default: return "anything"
                    }
                case .empty: return "empty"
                case .notEmpty: return "not empty"
                }
            }.joined(separator: " and ")
        }
        if alternatives.count > Self.listed {
            // A manual list of ids: the first few, and how many (its file has them all).
            return "one of \(alternatives.count) values (" + alternatives.prefix(5).joined(separator: ", ") + ", …)"
        }
        let text = alternatives.joined(separator: " or ")
        return bracket ? "\(text) (\(filter.source))" : text
    }

    /// Filters with more alternatives than this are summed up in words: a manual list of
    /// 5,000 ids written out would fill a sheet and every line of `explain`.
    static let listed = 12

    /// `asWritten` (the filter as written, in the caller's words), or for a long list how many
    /// values it has.
    public func written(_ filter: Filter, _ asWritten: @autoclosure () -> String) -> String {
        filter.alternatives.count > Self.listed ? "the list of \(filter.alternatives.count) values" : asWritten()
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
            text += " where " + step.groups.map(describe).joined(separator: "; and where ")
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
