/// How a field's values compare.
public enum FieldType: Sendable, Equatable {
    /// Ids and codes: case-insensitive, wildcards allowed.
    case code
    /// Fixed values (`company`, `email`, `positive`, …): case-insensitive.
    case fixed
    /// Free text: case-sensitive unless `@`, wildcards allowed.
    case text
    case number
    case date
    case bool
    /// A custom field: number when both sides are numbers, date when both are dates, else text.
    case custom

    public var name: String {
        switch self {
        case .code: return "code"
        case .fixed: return "value"
        case .text: return "text"
        case .number: return "number"
        case .date: return "date"
        case .bool: return "boolean"
        case .custom: return "custom field"
        }
    }
}

/// The fields an `interactions` group can filter on.
public enum InteractionField: String, Sendable, CaseIterable {
    case template, group, date, batch, segment, campaign, campaign_target, campaign_response
    case evaluation, information_flow, initiated_by, correspondence_type, salesperson
    case cost, duration, attempt_failed, canceled, subject

    public var valueType: FieldType {
        switch self {
        case .template, .group, .batch, .segment, .campaign, .salesperson: return .code
        case .date: return .date
        case .campaign_target, .campaign_response, .attempt_failed, .canceled: return .bool
        case .evaluation, .information_flow, .initiated_by, .correspondence_type: return .fixed
        case .cost, .duration: return .number
        case .subject: return .text
        }
    }

    public var fixedValues: [String]? {
        switch self {
        case .evaluation: return InteractionEvaluation.allCases.map(\.rawValue)
        case .information_flow: return InformationFlow.allCases.map(\.rawValue)
        case .initiated_by: return InitiatedBy.allCases.map(\.rawValue)
        case .correspondence_type: return CorrespondenceType.allCases.map(\.rawValue)
        default: return nil
        }
    }
}

/// Computed contact fields.
public enum ComputedContactField: String, Sendable, CaseIterable {
    case company_name, last_interaction_date, last_attempt_date

    public var valueType: FieldType {
        switch self {
        case .company_name: return .text
        case .last_interaction_date, .last_attempt_date: return .date
        }
    }
}

extension ContactField {
    public var fixedValues: [String]? {
        switch self {
        case .type: return ContactType.allCases.map(\.rawValue)
        case .correspondence_type: return CorrespondenceType.allCases.map(\.rawValue)
        default: return nil
        }
    }
}
