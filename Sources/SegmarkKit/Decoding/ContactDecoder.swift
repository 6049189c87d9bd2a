/// Decodes a contact file into a `Contact`, with diagnostics.
public struct ContactDecoder: Sendable {
    public static let keys = ["id", "type", "name", "company", "salesperson", "territory", "country", "language",
                              "address", "address_2", "city", "post_code", "county", "email", "phone", "mobile",
                              "website", "correspondence_type", "industry_groups", "business_relations",
                              "mailing_groups", "job_responsibilities", "profile", "exclude_from_segments",
                              "created", "fields"]

    public init() {}

    public func decode(_ document: SourceDocument, fileName: String) -> (Contact, [Diagnostic]) {
        var r = FieldReader(document.frontMatter, path: document.path, known: Self.keys, what: "front matter")
        let id = r.id(fileName: fileName)
        let type = r.oneOf("type", ContactType.self) ?? .company
        let name = r.requiredText("name", noun: "contact") ?? ""
        var contact = Contact(id: id.value, path: document.path, idLocation: id.location, type: type, name: name)
        contact.values[.id] = id.value
        contact.values[.type] = type.rawValue
        contact.values[.name] = name
        for field in ContactField.allCases {
            switch field {
            case .id, .type, .name, .correspondence_type, .exclude_from_segments, .created: continue
            default:
                if let n = r.node(field.rawValue), let value = r.text(field.rawValue) {
                    contact.values[field] = value
                    contact.locations[field.rawValue] = n.location.advanced(by: n.textColumnOffset)
                }
            }
        }
        if let company = r.located("company") { contact.company = company }
        if let channel = r.oneOf("correspondence_type", CorrespondenceType.self) {
            contact.correspondenceType = channel
            contact.values[.correspondence_type] = channel.rawValue
        }
        contact.excludeFromSegments = r.bool("exclude_from_segments") ?? false
        contact.values[.exclude_from_segments] = contact.excludeFromSegments ? "true" : "false"
        contact.created = r.date("created")
        if let created = contact.created { contact.values[.created] = created.description }

        func codes(_ key: String) -> [String] {
            let items = r.list(key)
            for (i, item) in items.enumerated() { contact.locations["\(key).\(i)"] = item.location }
            return items.map(\.value)
        }
        contact.industryGroups = codes("industry_groups")
        contact.businessRelations = codes("business_relations")
        contact.mailingGroups = codes("mailing_groups")
        contact.jobResponsibilities = codes("job_responsibilities")

        for pair in r.map("profile") {
            let question = pair.keyText
            let answers: [String]
            if pair.value.isNull {
                answers = []
            } else if let s = pair.value.scalar {
                answers = [s]
            } else if let items = pair.value.sequence {
                var list: [String] = []
                for item in items where !item.isNull {
                    if let s = item.scalar { list.append(s) } else {
                        r.error("profile answers must be codes, not \(item.kindName)", at: item.location)
                    }
                }
                answers = list
            } else {
                r.error("profile answer for '\(question)' must be a code or a list of codes, not \(pair.value.kindName)", at: pair.value.location)
                answers = []
            }
            contact.profile.append((question, answers))
            contact.locations["profile." + question] = pair.key.location
            contact.locations["profile." + question + ".answers"] = pair.value.location
        }
        var fields: [(String, String)] = []
        for pair in r.map("fields") {
            if pair.value.isNull { continue }
            guard let s = pair.value.scalar else {
                r.error("custom field '\(pair.keyText)' must be a single value, not \(pair.value.kindName)", at: pair.value.location)
                continue
            }
            fields.append((pair.keyText, s))
        }
        contact.fields = fields.sorted { Text.codePointLess($0.0, $1.0) }
        contact.body = document.body

        // shape rules that need only this file.
        if type == .company, let company = contact.company {
            r.error("a company cannot have a 'company'; only persons belong to a company, and a contact without 'type' is a company (add 'type: person')", at: r.keyLocation("company") ?? company.location)
        }
        if type == .company, let loc = r.keyLocation("job_responsibilities"), !contact.jobResponsibilities.isEmpty {
            r.error("job_responsibilities are for persons, not companies", at: loc)
        }
        if type == .person {
            for key in ["industry_groups", "business_relations"] {
                if let loc = r.keyLocation(key), r.has(key) {
                    r.warning("\(key) on a person is ignored; a person's \(key) are read from its company", at: loc)
                }
            }
        }
        return (contact, r.diagnostics)
    }
}
