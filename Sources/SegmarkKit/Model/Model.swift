/// Everything read from a workspace: settings, code tables and every record, each kind sorted by
/// case-folded id, with lookups by id.
public struct Model: Sendable {
    public var root: String
    public var settings: Settings
    public var codes: Codes
    public var contacts: [Contact]
    public var segments: [Segment]
    public var campaigns: [Campaign]
    public var templates: [InteractionTemplate]
    public var batches: [InteractionBatch]
    /// Folded ids (file names) of the files of each kind that could not be read: references
    /// to them are not reported again as missing records.
    public var unreadable: [RecordKind: Set<String>] = [:]

    public func isUnreadable(_ kind: RecordKind, _ id: String) -> Bool { unreadable[kind]?.contains(Text.fold(id)) ?? false }

    /// A hash of each file the model was read from (path → hash), for incremental builds.
    public var sourceHashes: [String: UInt64] = [:]

    public private(set) var contactIndex: [String: Int] = [:]
    public private(set) var segmentIndex: [String: Int] = [:]
    public private(set) var campaignIndex: [String: Int] = [:]
    public private(set) var templateIndex: [String: Int] = [:]
    public private(set) var batchIndex: [String: Int] = [:]
    /// Contacts by id exactly as written (the record `contactIndex` picks for it): most
    /// references are written as the id is, and looking them up needs no folded copy.
    private var contactByWrittenID: [String: Int] = [:]

    public init(root: String, settings: Settings, codes: Codes, contacts: [Contact], segments: [Segment],
                campaigns: [Campaign], templates: [InteractionTemplate], batches: [InteractionBatch]) {
        self.root = root
        self.settings = settings
        self.codes = codes
        self.contacts = Self.sorted(contacts, id: \.id, path: \.path)
        self.segments = Self.sorted(segments, id: \.id, path: \.path)
        self.campaigns = Self.sorted(campaigns, id: \.id, path: \.path)
        self.templates = Self.sorted(templates, id: \.id, path: \.path)
        self.batches = Self.sorted(batches, id: \.id, path: \.path)
        contactIndex = Self.index(self.contacts, \.id)
        segmentIndex = Self.index(self.segments, \.id)
        campaignIndex = Self.index(self.campaigns, \.id)
        templateIndex = Self.index(self.templates, \.id)
        batchIndex = Self.index(self.batches, \.id)
        contactByWrittenID.reserveCapacity(self.contacts.count)
        for (i, c) in self.contacts.enumerated() where contactIndex[Text.fold(c.id)] == i { contactByWrittenID[c.id] = i }
    }

    /// The contact an id names, compared ignoring case.
    public func contactIndex(of id: String) -> Int? { contactByWrittenID[id] ?? contactIndex[Text.fold(id)] }

    /// By folded id, then path. Sorts positions, not records: moving 100,000 contacts around
    /// while sorting copied each many times.
    static func sorted<T>(_ items: [T], id: KeyPath<T, String>, path: KeyPath<T, String>) -> [T] {
        let keys = items.map { Text.fold($0[keyPath: id]) }
        let paths = items.map { $0[keyPath: path] }
        let order = items.indices.sorted { a, b in
            if keys[a] != keys[b] { return Text.codePointLess(keys[a], keys[b]) }
            return Text.codePointLess(paths[a], paths[b])
        }
        return order.map { items[$0] }
    }

    /// First record wins on duplicates (the validator reports them).
    static func index<T>(_ items: [T], _ id: KeyPath<T, String>) -> [String: Int] {
        var map: [String: Int] = [:]
        map.reserveCapacity(items.count)
        for (i, item) in items.enumerated() where map[Text.fold(item[keyPath: id])] == nil {
            map[Text.fold(item[keyPath: id])] = i
        }
        return map
    }

    public func contact(_ id: String) -> Contact? { contactIndex(of: id).map { contacts[$0] } }
    public func segment(_ id: String) -> Segment? { segmentIndex[Text.fold(id)].map { segments[$0] } }
    public func campaign(_ id: String) -> Campaign? { campaignIndex[Text.fold(id)].map { campaigns[$0] } }
    public func template(_ id: String) -> InteractionTemplate? { templateIndex[Text.fold(id)].map { templates[$0] } }
    public func batch(_ id: String) -> InteractionBatch? { batchIndex[Text.fold(id)].map { batches[$0] } }

    /// The company number of a contact: a company's own id; a person's company; else none.
    public func companyNumber(of contact: Contact) -> String? {
        contact.type == .company ? contact.id : contact.company?.value
    }
}
