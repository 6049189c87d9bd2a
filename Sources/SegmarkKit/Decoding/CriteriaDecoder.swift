/// Decodes a segment's `criteria`: steps, filter groups and BC filter expressions.
public struct CriteriaDecoder: Sendable {
    public static let actionKeys = ["add", "reduce", "refine"]
    public static let optionKeys = ["expand_companies", "allow_related_companies", "ignore_exclusion", "entire_companies"]
    public static let groupKeys = FilterGroup.Kind.allCases.map(\.rawValue)
    public static var contactFieldNames: [String] {
        ContactField.allCases.map(\.rawValue) + ComputedContactField.allCases.map(\.rawValue)
    }

    public init() {}

    public func decode(_ node: YAMLNode?, path: String) -> ([Step], [Diagnostic]) {
        guard let node, !node.isNull else { return ([], []) }
        guard let items = node.sequence else {
            return ([], [.error("'criteria' must be a list of steps (each '- add:', '- reduce:' or '- refine:'), not \(node.kindName)", at: node.location)])
        }
        var steps: [Step] = []
        var diagnostics: [Diagnostic] = []
        // A step is named by its place in the list as written, whether or not the ones before it decoded.
        for (index, item) in items.enumerated() {
            if let step = decodeStep(item, path: path, number: index + 1, diagnostics: &diagnostics) {
                steps.append(step)
            }
        }
        return (steps, diagnostics)
    }

    /// The words of BC's segment actions ("Remove Contacts - Reduce", "Remove Contacts - Refine") and
    /// others a user may write for a step, with the key that does it.
    static let actionWords: [String: String] = [
        "remove": "to remove contacts, write reduce (BC's Remove Contacts - Reduce)",
        "delete": "to remove contacts, write reduce (BC's Remove Contacts - Reduce)",
        "exclude": "to remove contacts, write reduce (BC's Remove Contacts - Reduce)",
        "keep": "to keep only the members that match, write refine (BC's Remove Contacts - Refine)",
        "filter": "to keep only the members that match, write refine (BC's Remove Contacts - Refine)",
        "include": "to add contacts, write add (BC's Add Contacts)",
    ]

    func decodeStep(_ node: YAMLNode, path: String, number: Int, diagnostics: inout [Diagnostic]) -> Step? {
        guard let pairs = node.mapping else {
            diagnostics.append(.error("step \(number) must be a map with one of add, reduce or refine, not \(node.kindName)", at: node.location))
            return nil
        }
        let actions = pairs.filter { Self.actionKeys.contains($0.keyText) }
        var unknownKeys = 0
        for pair in pairs where !Self.actionKeys.contains(pair.keyText) && !Self.optionKeys.contains(pair.keyText) {
            let key = pair.keyText
            unknownKeys += 1
            if key == "allow_existing_contacts" {
                diagnostics.append(.error("'allow_existing_contacts' is not accepted: a segment is a set, so a contact is never listed twice", at: pair.key.location))
            } else if Self.groupKeys.contains(key) {
                diagnostics.append(.error("filter group '\(key)' must be inside add, reduce or refine", at: pair.key.location))
            } else if let action = Self.actionWords[Text.fold(key)] {
                diagnostics.append(.error("unknown step key '\(key)'; \(action)", at: pair.key.location))
            } else {
                diagnostics.append(.error("unknown step key '\(key)'" + Text.didYouMean(key, Self.actionKeys + Self.optionKeys), at: pair.key.location))
            }
        }
        guard actions.count == 1, let actionPair = actions.first, let action = Step.Action(rawValue: actionPair.keyText) else {
            // A step whose only key is unknown has been told so; "no action" would say it twice.
            if actions.isEmpty, unknownKeys > 0 { return nil }
            if actions.isEmpty {
                diagnostics.append(.error("step \(number) has no action; it needs exactly one of add, reduce or refine", at: node.location))
            } else {
                diagnostics.append(.error("step \(number) has \(actions.count) actions; it needs exactly one of add, reduce or refine", at: actions[1].key.location))
            }
            return nil
        }
        var step = Step(action: action, groups: [], location: actionPair.key.location)
        for pair in pairs where Self.optionKeys.contains(pair.keyText) {
            let key = pair.keyText
            guard let s = pair.value.scalar, let value = FilterValue.parseBool(s) else {
                diagnostics.append(.error("'\(key)' must be true or false", at: pair.value.location))
                continue
            }
            let allowed: [Step.Action] = key == "entire_companies" ? [.reduce, .refine] : [.add]
            guard allowed.contains(action) else {
                diagnostics.append(.error("'\(key)' applies to \(allowed.map(\.rawValue).joined(separator: " and ")) steps, not to \(action.rawValue)", at: pair.key.location))
                continue
            }
            switch key {
            case "expand_companies": step.expandCompanies = value
            case "allow_related_companies": step.allowRelatedCompanies = value
            case "ignore_exclusion": step.ignoreExclusion = value
            default: step.entireCompanies = value
            }
        }
        let groupsNode = actionPair.value
        if groupsNode.isNull { return step }
        guard let groupPairs = groupsNode.mapping else {
            diagnostics.append(.error("'\(action.rawValue)' must be a map of filter groups (contact, profile, mailing_groups, …), not \(groupsNode.kindName)", at: groupsNode.location))
            return nil
        }
        for pair in groupPairs {
            guard let kind = FilterGroup.Kind(rawValue: pair.keyText) else {
                diagnostics.append(.error("unknown filter group '\(pair.keyText)'" + Text.didYouMean(pair.keyText, Self.groupKeys), at: pair.key.location))
                continue
            }
            if let group = decodeGroup(kind, pair, diagnostics: &diagnostics) { step.groups.append(group) }
        }
        return step
    }

    func decodeGroup(_ kind: FilterGroup.Kind, _ pair: YAMLPair, diagnostics: inout [Diagnostic]) -> FilterGroup? {
        switch kind {
        case .contact, .profile, .interactions:
            guard let fields = pair.value.mapping else {
                if pair.value.isNull {
                    diagnostics.append(.error("'\(kind.rawValue)' needs a map of FIELD: FILTER", at: pair.value.location))
                } else {
                    diagnostics.append(.error("'\(kind.rawValue)' must be a map of FIELD: FILTER, not \(pair.value.kindName)", at: pair.value.location))
                }
                return nil
            }
            var conditions: [(String, Filter)] = []
            var previous: String?
            for field in fields {
                let name = field.keyText
                defer { previous = field.value.scalar }
                guard let (type, fixed) = fieldType(kind, name, previousValue: previous, at: field.key.location, diagnostics: &diagnostics) else { continue }
                if let filter = filter(field.value, type: type, fixed: fixed, diagnostics: &diagnostics) {
                    conditions.append((name, filter))
                }
            }
            return FilterGroup(kind: kind, conditions: conditions, location: pair.key.location)
        default:
            guard let filter = filter(pair.value, type: .code, fixed: nil, diagnostics: &diagnostics) else { return nil }
            return FilterGroup(kind: kind, conditions: [("", filter)], location: pair.key.location)
        }
    }

    func fieldType(_ kind: FilterGroup.Kind, _ name: String, previousValue: String? = nil, at location: SourceLocation,
                   diagnostics: inout [Diagnostic]) -> (FieldType, [String]?)? {
        switch kind {
        case .contact:
            if let f = ContactField(rawValue: name) { return (f.valueType, f.fixedValues) }
            if let f = ComputedContactField(rawValue: name) { return (f.valueType, nil) }
            if name.hasPrefix("fields."), name.count > 7 { return (.custom, nil) }
            let lists = ["industry_groups", "business_relations", "mailing_groups", "job_responsibilities", "profile"]
            if lists.contains(name) {
                diagnostics.append(.error("'\(name)' is not a contact field; filter it with its own group '\(name)' beside 'contact'", at: location))
            } else {
                var hint = Text.didYouMean(name, Self.contactFieldNames + ["fields.NAME"])
                // `{ country: NO,GB }`: inside braces a comma ends the value, so GB became a key.
                if hint.isEmpty, let previousValue, !name.isEmpty, name.allSatisfy({ $0.isUppercase || $0.isNumber || $0 == "-" || $0 == "_" }) {
                    hint = "; inside { } a comma ends a value, so '\(name)' was read as a field. For either value, write \(previousValue)|\(name)"
                }
                diagnostics.append(.error("unknown contact field '\(name)'" + hint, at: location))
            }
            return nil
        case .interactions:
            if let f = InteractionField(rawValue: name) { return (f.valueType, f.fixedValues) }
            diagnostics.append(.error("unknown interaction field '\(name)'" + Text.didYouMean(name, InteractionField.allCases.map(\.rawValue)), at: location))
            return nil
        default:
            return (.code, nil)
        }
    }

    /// A scalar filter, or a list of them (OR).
    func filter(_ node: YAMLNode, type: FieldType, fixed: [String]?, diagnostics: inout [Diagnostic]) -> Filter? {
        var items: [YAMLNode] = []
        if node.isNull {
            diagnostics.append(.error("empty filter; to match an empty value write \"''\"", at: node.location))
            return nil
        } else if node.scalar != nil {
            items = [node]
        } else if let list = node.sequence, !list.isEmpty {
            items = list
        } else {
            diagnostics.append(.error("a filter must be a value or a list of values, not \(node.kindName)", at: node.location))
            return nil
        }
        var parsed: [Filter] = []
        var ok = true
        for item in items {
            guard let text = item.scalar, !item.isNull || !(item.scalar ?? "").isEmpty else {
                diagnostics.append(.error("a filter in a list must be a single value, not \(item.kindName)", at: item.location))
                ok = false
                continue
            }
            let start = item.location.advanced(by: item.textColumnOffset)
            if text.isEmpty {
                diagnostics.append(.error("empty filter; to match an empty value write \"''\"", at: item.location))
                ok = false
                continue
            }
            switch FilterParser().parse(text, type: type, fixedValues: fixed, location: start) {
            case .failure(let error):
                diagnostics.append(.error("invalid filter '\(text)': \(error.message)", at: start.advanced(by: error.offset)))
                ok = false
            case .success(let f):
                parsed.append(f)
            }
        }
        guard ok, let first = parsed.first else { return nil }
        if parsed.count == 1 { return first }
        return Filter(source: items.compactMap(\.scalar).joined(separator: " | "), location: first.location, type: first.type,
                      alternatives: parsed.flatMap(\.alternatives))
    }
}
