/// A segment definition: header values and the ordered criteria steps.
public struct Segment: Sendable {
    public var id: String
    public var path: String
    public var idLocation: SourceLocation
    public var description: String?
    public var date: Day?
    public var campaign: Located<String>?
    public var campaignTarget: Bool?
    public var campaignResponse: Bool?
    public var salesperson: Located<String>?
    public var interactionTemplate: Located<String>?
    public var subject: String?
    public var language: String?
    public var correspondenceType: CorrespondenceType?
    public var ignoreContactCorrespondenceType: Bool
    public var unitCost: Decimal?
    public var unitDuration: Decimal?
    public var informationFlow: InformationFlow?
    public var initiatedBy: InitiatedBy?
    public var criteria: [Step]
    public var body: String

    public init(id: String, path: String, idLocation: SourceLocation) {
        self.id = id
        self.path = path
        self.idLocation = idLocation
        self.description = nil
        self.date = nil
        self.ignoreContactCorrespondenceType = false
        self.criteria = []
        self.body = ""
    }
}

import Foundation

/// One criteria step: an action, its filter groups (AND) and options.
public struct Step: Sendable {
    public enum Action: String, Sendable, CaseIterable { case add, reduce, refine }

    public var action: Action
    public var groups: [FilterGroup]
    public var expandCompanies: Bool
    public var allowRelatedCompanies: Bool
    public var ignoreExclusion: Bool
    public var entireCompanies: Bool
    public var location: SourceLocation

    public init(action: Action, groups: [FilterGroup], location: SourceLocation) {
        self.action = action
        self.groups = groups
        self.expandCompanies = false
        self.allowRelatedCompanies = false
        self.ignoreExclusion = false
        self.entireCompanies = false
        self.location = location
    }
}

/// A filter group with its compiled filters.
public struct FilterGroup: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case contact, profile, mailingGroups = "mailing_groups", jobResponsibilities = "job_responsibilities"
        case interactions, industryGroups = "industry_groups", businessRelations = "business_relations", segment
    }

    public var kind: Kind
    /// For `contact`, `profile` and `interactions`: (field, filter) pairs; otherwise one pair with field "".
    public private(set) var conditions: [(field: String, filter: Filter)]
    /// Each condition's field resolved (the same order as `conditions`).
    public private(set) var fields: [CriterionField]
    public var location: SourceLocation

    public init(kind: Kind, conditions: [(field: String, filter: Filter)], location: SourceLocation) {
        self.kind = kind
        self.conditions = conditions
        self.fields = conditions.map { CriterionField(kind: kind, name: $0.field) }
        self.location = location
    }

    /// The conditions with their fields resolved.
    public var criteria: Zip2Sequence<[CriterionField], [Filter]> { zip(fields, conditions.map(\.filter)) }

    /// Groups that read the company number's codes rather than the contact's own.
    public var isCompanyLinked: Bool { kind == .industryGroups || kind == .businessRelations }
}

extension Segment {
    /// The channel a member gets when the segment is logged, as BC decides it: the segment's
    /// own type when it ignores the contact's and has one; else the template's when the
    /// template ignores the contact's type or the contact has none; else the contact's.
    public func channel(for contact: Contact, template: InteractionTemplate?) -> CorrespondenceType {
        if ignoreContactCorrespondenceType, let own = correspondenceType { return own }
        if let t = template, t.ignoreContactCorrespondenceType || contact.correspondenceType == nil { return correspondenceType ?? t.correspondenceType }
        return contact.correspondenceType ?? correspondenceType ?? .email
    }
}
