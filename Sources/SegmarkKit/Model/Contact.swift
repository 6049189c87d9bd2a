/// A contact: a company or a person.
public struct Contact: Sendable {
    public var id: String
    public var path: String
    public var idLocation: SourceLocation
    public var type: ContactType
    public var name: String
    /// For persons: the id of their company contact, as written.
    public var company: Located<String>?
    /// The scalar fields as written, by field (salesperson, city, post_code, …).
    public var values: [ContactField: String]
    public var locations: [String: SourceLocation]
    public var correspondenceType: CorrespondenceType?
    public var industryGroups: [String]
    public var businessRelations: [String]
    public var mailingGroups: [String]
    public var jobResponsibilities: [String]
    /// Profile answers: question → answer codes, in the order written.
    public var profile: [(question: String, answers: [String])]
    public var excludeFromSegments: Bool
    public var created: Day?
    /// Custom fields, name → value as written; ordered by name.
    public var fields: [(name: String, value: String)]
    public var body: String

    public init(id: String, path: String, idLocation: SourceLocation, type: ContactType, name: String) {
        self.id = id
        self.path = path
        self.idLocation = idLocation
        self.type = type
        self.name = name
        self.company = nil
        self.values = [:]
        self.locations = [:]
        self.correspondenceType = nil
        self.industryGroups = []
        self.businessRelations = []
        self.mailingGroups = []
        self.jobResponsibilities = []
        self.profile = []
        self.excludeFromSegments = false
        self.created = nil
        self.fields = []
        self.body = ""
    }

    public func value(_ field: ContactField) -> String? { values[field] }

    public func customField(_ name: String) -> String? {
        fields.first { $0.name == name }?.value
    }

    public func answers(_ question: String) -> [String] {
        let q = Text.fold(question)
        return profile.first { Text.fold($0.question) == q }?.answers ?? []
    }
}

/// The stored scalar fields of a contact that filters can name, with their types.
public enum ContactField: String, Sendable, CaseIterable, Hashable {
    case id, type, name, company, salesperson, territory, country, language
    case address, address_2, city, post_code, county, email, phone, mobile, website
    case correspondence_type, exclude_from_segments, created

    public var valueType: FieldType {
        switch self {
        case .id, .company, .salesperson, .territory, .country, .language: return .code
        case .type, .correspondence_type: return .fixed
        case .exclude_from_segments: return .bool
        case .created: return .date
        default: return .text
        }
    }
}
