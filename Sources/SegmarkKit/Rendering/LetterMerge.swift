import Foundation

/// BC's merge (README, "Batches, letters and e-mails"): the body of an interaction
/// template — or of the contact's language variant — rendered as a Mustache template over
/// one interaction entry's merge fields: the contact, its postal address, its company, the
/// salesperson, the batch's subject and date, and `fields.*`. Every merged value is escaped
/// for Markdown, so a contact's name cannot add a link, HTML or a heading; a missing value
/// renders empty.
public struct LetterMerge: Sendable {
    /// Compiled bodies by template or variant file path, with the names each one uses (only
    /// those merge fields are made: a letter of 100,000 entries formats what it shows).
    let bodies: [String: (set: TemplateSet, used: [String], line: Int)]
    let model: Model

    public init(model: Model) {
        self.model = model
        var bodies: [String: (TemplateSet, [String], Int)] = [:]
        for (path, body, line) in Self.sources(model) {
            var set = TemplateSet(contentType: .text)
            set.limits = Self.limits
            if (try? set.add("body", source: body)) != nil, set.partials(in: "body").isEmpty {
                _ = set.resolvePartials()
                bodies[path] = (set, Set(set.names(in: "body").map(\.name)).sorted(), line)
            }
        }
        self.bodies = bodies
    }

    /// What one letter may take: a body has no partials, but `address_lines` is a list, and
    /// sections over it nested in one another multiply (a letter is a page of text).
    static let limits = PageBuffer.Limits(work: 1_000_000, bytes: 16 << 20)

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
                // Not even `{{> body}}`, which would name the body itself.
                for partial in set.partials(in: "body") {
                    out.append(.error("letter body: a letter body cannot include partials ('\(partial.name)')",
                                      at: SourceLocation(path: path, line: partial.line, column: partial.column)))
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

    /// The merge fields of an entry that the body uses (`used`: the first part of each name,
    /// each once), each value passed through `e`. Only the names used are looked at (a draft
    /// per e-mail entry, 570,000 at L, asked a set about each of thirty names, twice).
    func fields(_ entry: InteractionEntry, company: Contact?, subject: String, used: [String], _ e: (String) -> String) -> TemplateValue {
        let c = model.contacts[entry.contact]
        var postal: PostalAddress?
        func post() -> PostalAddress {
            if let postal { return postal }
            let made = PostalAddress(of: c, company: company)
            postal = made
            return made
        }
        var pairs: [(String, TemplateValue)] = []
        pairs.reserveCapacity(used.count)
        func put(_ key: String, _ value: String?) {
            guard let value, !value.isEmpty else { return }
            pairs.append((key, .text(e(value))))
        }
        for key in used {
            switch key {
            case "id": put(key, c.id)
            case "name": put(key, c.name)
            case "type": put(key, c.type.rawValue)
            case "company": put(key, company?.id)
            case "company_name": put(key, company?.name)
            case "address": put(key, post().address)
            case "address_2": put(key, post().address2)
            case "post_code": put(key, post().postCode)
            case "city": put(key, post().city)
            case "county": put(key, post().county)
            case "country": put(key, post().country)
            case "country_name": put(key, model.codes.description("countries", post().country) ?? post().country)
            case "address_lines":
                let lines = post().lines(codes: model.codes)
                if !lines.isEmpty { pairs.append((key, .list(lines.map { .text(e($0)) }))) }
            case "email": put(key, c.values[.email])
            case "phone": put(key, c.values[.phone])
            case "mobile": put(key, c.values[.mobile])
            case "website": put(key, c.values[.website])
            case "territory": put(key, c.values[.territory])
            case "language": put(key, c.values[.language])
            case "salesperson": put(key, entry.salesperson)
            case "salesperson_name": put(key, entry.salesperson.flatMap { model.codes.description("salespeople", $0) })
            case "salesperson_email": put(key, entry.salesperson.flatMap { model.codes.salespersonEmail($0) })
            case "subject": put(key, subject)
            case "date": put(key, entry.date.description)
            case "batch": put(key, entry.batchID)
            case "campaign": put(key, entry.campaign)
            case "campaign_description": put(key, entry.campaign.flatMap { model.campaign($0)?.description })
            case "segment": put(key, entry.segment)
            case "sender_name": put(key, model.settings.sender.name)
            case "fields":
                let custom = c.fields.filter { !$0.value.isEmpty }
                if !custom.isEmpty { pairs.append((key, .object(TemplateObject(custom.map { ($0.name, TemplateValue.text(e($0.value))) })))) }
            default:
                // A custom field is also a merge field of its own name.
                if let f = c.fields.first(where: { $0.name == key }), !f.value.isEmpty { pairs.append((key, .text(e(f.value)))) }
            }
        }
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
    func markdown(_ entry: InteractionEntry, company: Contact?, escaped: Bool) throws -> (subject: String, body: String) {
        guard let (path, subject) = resolve(entry), let body = bodies[path] else { return ("", "") }
        return (subject, try merged(body, path, entry, company: company, subject: subject, escaped ? MarkdownEscaping.inline : Self.plain))
    }

    /// Both merges of an e-mail draft (its text part as written, its HTML part escaped), the
    /// variant resolved once.
    func markdownForMail(_ entry: InteractionEntry, company: Contact?) throws -> (subject: String, plain: String, marked: String) {
        guard let (path, subject) = resolve(entry), let body = bodies[path] else { return ("", "", "") }
        return (subject, try merged(body, path, entry, company: company, subject: subject, Self.plain),
                try merged(body, path, entry, company: company, subject: subject, MarkdownEscaping.inline))
    }

    /// A body that runs away (sections over `address_lines` nested in one another) is an error
    /// at the body's first line.
    private func merged(_ body: (set: TemplateSet, used: [String], line: Int), _ path: String, _ entry: InteractionEntry, company: Contact?,
                        subject: String, _ e: (String) -> String) throws -> String {
        do {
            let bytes = try body.set.render("body", fields(entry, company: company, subject: subject, used: body.used, e)) ?? []
            return String(decoding: bytes, as: UTF8.self)
        } catch {
            let letter = "the letter to " + model.contacts[entry.contact].id
            throw ContentErrors([.error("letter body: " + error.message(page: letter), at: SourceLocation(path: path, line: body.line, column: 1))])
        }
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
