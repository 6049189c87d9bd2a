import Foundation

/// An interaction template.
public struct InteractionTemplate: Sendable {
    public var id: String
    public var path: String
    public var idLocation: SourceLocation
    public var description: String?
    public var group: String
    public var unitCost: Decimal
    public var unitDuration: Decimal
    public var informationFlow: InformationFlow?
    public var initiatedBy: InitiatedBy?
    public var correspondenceType: CorrespondenceType
    public var ignoreContactCorrespondenceType: Bool
    public var language: String?
    public var campaign: Located<String>?
    public var campaignTarget: Bool?
    public var campaignResponse: Bool?
    public var body: String

    public init(id: String, path: String, idLocation: SourceLocation) {
        self.id = id
        self.path = path
        self.idLocation = idLocation
        self.group = ""
        self.unitCost = 0
        self.unitDuration = 0
        self.correspondenceType = .email
        self.ignoreContactCorrespondenceType = false
        self.body = ""
    }
}
