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
    /// The 1-based line of the file where the body starts (template errors point into it).
    public var bodyLine: Int = 1
    /// Language variants from sibling files `ID.LANG.md`, sorted by language.
    public var variants: [Variant] = []

    /// A language variant: its own body, and optionally its own description and subject.
    public struct Variant: Sendable {
        public var language: String
        public var path: String
        public var description: String?
        public var subject: String?
        public var body: String
        public var bodyLine: Int
    }

    /// The variant for a contact's language (compared ignoring case), if there is one.
    public func variant(for language: String?) -> Variant? {
        guard let language, !language.isEmpty else { return nil }
        let folded = Text.fold(language)
        return variants.first { Text.fold($0.language) == folded }
    }

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
