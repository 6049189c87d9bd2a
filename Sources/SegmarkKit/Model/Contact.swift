/// A contact: a company or a person. Its values live in one shared storage object, so a copy
/// of a contact (a workspace holds 100,000 of them, copied while decoding, sorting, validating
/// and rendering) costs one reference count instead of one per field; a change copies the
/// storage first when another contact value shares it.
public struct Contact: Sendable {
    final class Storage: @unchecked Sendable {
        var id: String
        var path: String
        var idLocation: SourceLocation
        var type: ContactType
        var name: String
        var company: Located<String>?
        var values: ContactValues
        var locations: FieldLocations
        var correspondenceType: CorrespondenceType?
        var industryGroups: [String]
        var businessRelations: [String]
        var mailingGroups: [String]
        var jobResponsibilities: [String]
        var profile: [(question: String, answers: [String])]
        var excludeFromSegments: Bool
        var created: Day?
        var fields: [(name: String, value: String)]
        var body: String

        init(id: String, path: String, idLocation: SourceLocation, type: ContactType, name: String) {
            self.id = id
            self.path = path
            self.idLocation = idLocation
            self.type = type
            self.name = name
            self.company = nil
            self.values = ContactValues()
            self.locations = FieldLocations()
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

        func copy() -> Storage {
            let c = Storage(id: id, path: path, idLocation: idLocation, type: type, name: name)
            c.company = company
            c.values = values
            c.locations = locations
            c.correspondenceType = correspondenceType
            c.industryGroups = industryGroups
            c.businessRelations = businessRelations
            c.mailingGroups = mailingGroups
            c.jobResponsibilities = jobResponsibilities
            c.profile = profile
            c.excludeFromSegments = excludeFromSegments
            c.created = created
            c.fields = fields
            c.body = body
            return c
        }
    }

    private var storage: Storage

    private mutating func unique() -> Storage {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return storage
    }

    public var id: String {
        get { storage.id }
        _modify { yield &unique().id }
        set { unique().id = newValue }
    }
    public var path: String {
        get { storage.path }
        _modify { yield &unique().path }
        set { unique().path = newValue }
    }
    public var idLocation: SourceLocation {
        get { storage.idLocation }
        _modify { yield &unique().idLocation }
        set { unique().idLocation = newValue }
    }
    public var type: ContactType {
        get { storage.type }
        _modify { yield &unique().type }
        set { unique().type = newValue }
    }
    public var name: String {
        get { storage.name }
        _modify { yield &unique().name }
        set { unique().name = newValue }
    }
    /// For persons: the id of their company contact, as written.
    public var company: Located<String>? {
        get { storage.company }
        _modify { yield &unique().company }
        set { unique().company = newValue }
    }
    /// The scalar fields as written, by field (salesperson, city, post_code, …).
    public var values: ContactValues {
        get { storage.values }
        _modify { yield &unique().values }
        set { unique().values = newValue }
    }
    public var locations: FieldLocations {
        get { storage.locations }
        _modify { yield &unique().locations }
        set { unique().locations = newValue }
    }
    public var correspondenceType: CorrespondenceType? {
        get { storage.correspondenceType }
        _modify { yield &unique().correspondenceType }
        set { unique().correspondenceType = newValue }
    }
    public var industryGroups: [String] {
        get { storage.industryGroups }
        _modify { yield &unique().industryGroups }
        set { unique().industryGroups = newValue }
    }
    public var businessRelations: [String] {
        get { storage.businessRelations }
        _modify { yield &unique().businessRelations }
        set { unique().businessRelations = newValue }
    }
    public var mailingGroups: [String] {
        get { storage.mailingGroups }
        _modify { yield &unique().mailingGroups }
        set { unique().mailingGroups = newValue }
    }
    public var jobResponsibilities: [String] {
        get { storage.jobResponsibilities }
        _modify { yield &unique().jobResponsibilities }
        set { unique().jobResponsibilities = newValue }
    }
    /// Profile answers: question → answer codes, in the order written.
    public var profile: [(question: String, answers: [String])] {
        get { storage.profile }
        _modify { yield &unique().profile }
        set { unique().profile = newValue }
    }
    public var excludeFromSegments: Bool {
        get { storage.excludeFromSegments }
        _modify { yield &unique().excludeFromSegments }
        set { unique().excludeFromSegments = newValue }
    }
    public var created: Day? {
        get { storage.created }
        _modify { yield &unique().created }
        set { unique().created = newValue }
    }
    /// Custom fields, name → value as written; ordered by name.
    public var fields: [(name: String, value: String)] {
        get { storage.fields }
        _modify { yield &unique().fields }
        set { unique().fields = newValue }
    }
    public var body: String {
        get { storage.body }
        _modify { yield &unique().body }
        set { unique().body = newValue }
    }

    public init(id: String, path: String, idLocation: SourceLocation, type: ContactType, name: String) {
        storage = Storage(id: id, path: path, idLocation: idLocation, type: type, name: name)
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

    /// The field's position among `allCases` (its slot in `ContactValues`).
    var slot: Int {
        switch self {
        case .id: return 0
        case .type: return 1
        case .name: return 2
        case .company: return 3
        case .salesperson: return 4
        case .territory: return 5
        case .country: return 6
        case .language: return 7
        case .address: return 8
        case .address_2: return 9
        case .city: return 10
        case .post_code: return 11
        case .county: return 12
        case .email: return 13
        case .phone: return 14
        case .mobile: return 15
        case .website: return 16
        case .correspondence_type: return 17
        case .exclude_from_segments: return 18
        case .created: return 19
        }
    }

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

/// A contact's scalar fields as written, one slot per `ContactField`: read by every filter on
/// every contact, so a lookup is an array index, not a hash of the field's name.
public struct ContactValues: Sendable, Equatable {
    private var slots = [String?](repeating: nil, count: ContactField.allCases.count)

    public init() {}

    public subscript(field: ContactField) -> String? {
        get { slots[field.slot] }
        set { slots[field.slot] = newValue }
    }
}
