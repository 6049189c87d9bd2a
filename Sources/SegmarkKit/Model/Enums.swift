/// The fixed values of the record fields (types, channels, evaluations…), compared case-insensitively.
public enum ContactType: String, Sendable, CaseIterable { case company, person }
public enum CorrespondenceType: String, Sendable, CaseIterable { case hardCopy = "hard_copy", email }
public enum InformationFlow: String, Sendable, CaseIterable { case outbound, inbound }
public enum InitiatedBy: String, Sendable, CaseIterable { case us, them }
public enum InteractionEvaluation: String, Sendable, CaseIterable {
    case veryPositive = "very_positive", positive, neutral, negative, veryNegative = "very_negative"

    /// In words, as reports show it ("very positive").
    public var label: String {
        switch self {
        case .veryPositive: return "very positive"
        case .positive: return "positive"
        case .neutral: return "neutral"
        case .negative: return "negative"
        case .veryNegative: return "very negative"
        }
    }
}

/// A value with the place it was written, for diagnostics about references.
public struct Located<Value: Sendable>: Sendable {
    public var value: Value
    public var location: SourceLocation
    public init(_ value: Value, at location: SourceLocation) {
        self.value = value
        self.location = location
    }
}

/// The record kinds, each read from its own folder under Content/.
public enum RecordKind: String, Sendable, CaseIterable {
    case contact, segment, campaign, interactionTemplate, batch

    public var folder: String {
        switch self {
        case .contact: return "contacts"
        case .segment: return "segments"
        case .campaign: return "campaigns"
        case .interactionTemplate: return "interaction-templates"
        case .batch: return "interactions"
        }
    }

    public var noun: String {
        switch self {
        case .contact: return "contact"
        case .segment: return "segment"
        case .campaign: return "campaign"
        case .interactionTemplate: return "interaction template"
        case .batch: return "interaction batch"
        }
    }
}
