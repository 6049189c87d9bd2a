import Foundation

/// BC's merge (§10): the body of an interaction template — or of the contact's language
/// variant — rendered as a Mustache template over one interaction entry's merge fields:
/// the contact, its postal address, its company, the salesperson, the batch's subject
/// and date, and `fields.*`. Every merged value is escaped for Markdown, so a contact's
/// name cannot add a link, HTML or a heading; a missing value renders empty.
public struct LetterMerge: Sendable {
    /// Compiled bodies by template or variant file path, with the names each one uses (only
    /// those merge fields are made: a letter of 100,000 entries formats what it shows).
    let bodies: [String: (set: TemplateSet, uses: Set<String>)]
    let model: Model

    public init(model: Model) {
        self.model = model
        var bodies: [String: (TemplateSet, Set<String>)] = [:]
        for (path, body, _) in Self.sources(model) {
            var set = TemplateSet(contentType: .text)
            if (try? set.add("body", source: body)) != nil, set.resolvePartials().isEmpty {
                bodies[path] = (set, Set(set.names(in: "body").map(\.name)))
            }
        }
        self.bodies = bodies
    }

    /// Every template and variant body: (file, body, the file line its body starts on).
    static func sources(_ model: Model) -> [(path: String, body: String, line: Int)] {
        model.templates.flatMap { t in [(t.path, t.body, t.bodyLine)] + t.variants.map { ($0.path, $0.body, $0.bodyLine) } }
    }

    /// A body that does not parse is an error at its file, line and column (`check` and `build`).
    public static func diagnostics(_ model: Model) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for (path, body, line) in sources(model) {
            var set = TemplateSet(contentType: .text)
            // Parsed below as many empty lines as the front matter takes, so every line and
            // column (also those inside messages) is the file's.
            let source = String(repeating: "\n", count: max(0, line - 1)) + body
            do {
                try set.add("body", source: source)
                for (_, e) in set.resolvePartials() {
                    out.append(.error("letter body: \(e.message); a letter body cannot include partials",
                                      at: SourceLocation(path: path, line: e.line, column: e.column)))
                }
            } catch {
                out.append(.error("letter body: \(error.message)", at: SourceLocation(path: path, line: error.line, column: error.column)))
            }
        }
        return out
    }

    /// The merge field names, for the README and `check`.
    public static let fieldNames = ["id", "name", "type", "company", "company_name", "address", "address_2", "post_code", "city",
                                    "county", "country", "country_name", "address_lines", "email", "phone", "mobile", "website",
                                    "territory", "language", "salesperson", "salesperson_name", "salesperson_email",
                                    "subject", "date", "batch", "campaign", "campaign_description", "segment", "sender_name", "fields"]

    static let builtInNames = Set(fieldNames)
    /// The merge fields that need the postal address worked out.
    static let addressFields: Set<String> = ["address", "address_2", "post_code", "city", "county", "country", "country_name", "address_lines"]

    /// The merge fields of an entry that the body uses (`uses`: the first part of each name),
    /// each value passed through `e`.
    func fields(_ entry: InteractionEntry, company: Contact?, subject: String, uses: Set<String>, _ e: (String) -> String) -> TemplateValue {
        let c = model.contacts[entry.contact]
        let post = uses.isDisjoint(with: Self.addressFields) ? nil : PostalAddress(of: c, company: company)
        var pairs: [(String, TemplateValue)] = []
        func put(_ key: String, _ value: @autoclosure () -> String?) {
            guard uses.contains(key), let value = value(), !value.isEmpty else { return }
            pairs.append((key, .text(e(value))))
        }
        put("id", c.id)
        put("name", c.name)
        put("type", c.type.rawValue)
        put("company", company?.id)
        put("company_name", company?.name)
        if let post {
            put("address", post.address)
            put("address_2", post.address2)
            put("post_code", post.postCode)
            put("city", post.city)
            put("county", post.county)
            put("country", post.country)
            put("country_name", model.codes.description("countries", post.country) ?? post.country)
            let lines = post.lines(codes: model.codes)
            if uses.contains("address_lines"), !lines.isEmpty { pairs.append(("address_lines", .list(lines.map { .text(e($0)) }))) }
        }
        for f in [ContactField.email, .phone, .mobile, .website, .territory, .language] { put(f.rawValue, c.values[f]) }
        put("salesperson", entry.salesperson)
        put("salesperson_name", entry.salesperson.flatMap { model.codes.description("salespeople", $0) })
        put("salesperson_email", entry.salesperson.flatMap { model.codes.salespersonEmail($0) })
        put("subject", subject)
        put("date", entry.date.description)
        put("batch", entry.batchID)
        put("campaign", entry.campaign)
        put("campaign_description", entry.campaign.flatMap { model.campaign($0)?.description })
        put("segment", entry.segment)
        put("sender_name", model.settings.sender.name)
        let custom = c.fields.filter { !$0.value.isEmpty }
        if uses.contains("fields"), !custom.isEmpty {
            pairs.append(("fields", .object(TemplateObject(custom.map { ($0.name, TemplateValue.text(e($0.value))) }))))
        }
        // A custom field is also a merge field of its own name unless a built-in one has it.
        for f in custom where uses.contains(f.name) && !Self.builtInNames.contains(f.name) { pairs.append((f.name, .text(e(f.value)))) }
        return .object(TemplateObject(pairs))
    }

    /// The variant a contact gets, and the letter's subject: the variant's subject, else
    /// the entry's (batch's), else the description of the variant, else of the template.
    func resolve(_ entry: InteractionEntry) -> (path: String, subject: String)? {
        guard let t = model.template(entry.template) else { return nil }
        let variant = t.variant(for: model.contacts[entry.contact].values[.language])
        let subject = variant?.subject ?? entry.subject ?? variant?.description ?? t.description ?? ""
        return (variant?.path ?? t.path, subject)
    }

    /// The merged Markdown: values escaped (for the HTML of letters and e-mails, and letters.md),
    /// or as written (`escaped: false`, the text/plain part of an e-mail, which nothing renders).
    func markdown(_ entry: InteractionEntry, company: Contact?, escaped: Bool) -> (subject: String, body: String) {
        guard let (path, subject) = resolve(entry), let body = bodies[path] else { return ("", "") }
        let context = fields(entry, company: company, subject: subject, uses: body.uses, escaped ? MarkdownEscaping.inline : Self.plain)
        return (subject, String(decoding: body.set.render("body", context) ?? [], as: UTF8.self))
    }

    /// Values in a plain-text body: one line each.
    static func plain(_ s: String) -> String {
        if s.utf8.allSatisfy({ $0 >= 0x20 && $0 != 0x7F && $0 != 0xC2 && $0 != 0xE2 }) { return s }
        return String(String.UnicodeScalarView(s.unicodeScalars.map { scalar in
            let v = scalar.value
            return v < 0x20 || (v >= 0x7F && v < 0xA0) || v == 0x2028 || v == 0x2029 ? " " : scalar
        }))
    }
}
