import Foundation

/// The values a batch or one of its entries may set; nil falls through.
public struct InteractionValues: Sendable {
    public var campaign: Located<String>?
    public var campaignTarget: Bool?
    public var campaignResponse: Bool?
    public var description: String?
    public var subject: String?
    public var salesperson: String?
    public var informationFlow: InformationFlow?
    public var initiatedBy: InitiatedBy?
    public var correspondenceType: CorrespondenceType?
    public var cost: Decimal?
    public var duration: Decimal?
    public var evaluation: InteractionEvaluation?
    public var attemptFailed: Bool?
    public var language: String?

    public init() {}
}

/// A logged interaction batch file.
public struct InteractionBatch: Sendable {
    public struct EntryOverride: Sendable {
        public var contact: Located<String>
        public var values: InteractionValues
    }

    public var id: String
    public var path: String
    public var idLocation: SourceLocation
    public var date: Day?
    public var template: Located<String>?
    public var segment: Located<String>?
    public var canceled: Bool
    public var canceledLocation: SourceLocation?
    public var values: InteractionValues
    /// Contacts in file order: the `contacts` list, then `entries`.
    public var contacts: [Located<String>]
    public var entries: [EntryOverride]
    public var body: String

    public init(id: String, path: String, idLocation: SourceLocation) {
        self.id = id
        self.path = path
        self.idLocation = idLocation
        self.canceled = false
        self.values = InteractionValues()
        self.contacts = []
        self.entries = []
        self.body = ""
    }
}
