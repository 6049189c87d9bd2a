/// The tables `segmark export sql` writes and the queries of `segmark sql` read,
/// each column with what it holds. Keys are ids folded to lower case (`contact_key`), so
/// every engine compares ids as Segmark does; values keep the text as written. A
/// single-valued field a filter reads is a column of its record's row (`city__folded`), so a
/// condition on it is a predicate, not a join; only the many-valued ones (codes, profile
/// answers) and custom fields are rows of `contact_values`.
public enum SQLSchema {
    public enum Kind: Sendable { case text, number, integer }

    public struct Column: Sendable {
        public var name: String
        public var kind: Kind
        public var about: String
    }

    public struct Table: Sendable {
        public var name: String
        public var about: String
        public var columns: [Column]
    }

    static func c(_ name: String, _ kind: Kind, _ about: String) -> Column { Column(name: name, kind: kind, about: about) }

    /// Columns every value table has: the field's value as written, folded to lower case (for
    /// codes, fixed values and `@`), and read as a number and as a date where it is one.
    static let valueColumns: [Column] = [
        c("field", .text, "the field's name (see below)"),
        c("value", .text, "the value as written (never empty: an empty or missing value has no row)"),
        c("value_folded", .text, "the value in lower case (codes, fixed values and `@` filters compare this)"),
        c("value_number", .number, "the value as a number when it is one, else empty"),
        c("value_date", .text, "the value as a date (YYYY-MM-DD) when it is one, else empty"),
    ]

    /// The columns a single-valued field gets beside the record's own columns, in the forms
    /// filters compare: `NAME__value` as written (NULL when missing or empty), and by the
    /// field's type `NAME__folded` (codes, fixed values, text for `@`, booleans), `NAME__number`
    /// or `NAME__date`.
    static func filterColumns(_ name: String, _ type: FieldType) -> [Column] {
        var out = [c(name + "__value", .text, "`\(name)` as written, NULL when missing or empty")]
        switch type {
        case .number: out.append(c(name + "__number", .number, "`\(name)` as a number"))
        case .date: out.append(c(name + "__date", .text, "`\(name)` as a date (YYYY-MM-DD)"))
        case .code, .fixed, .text, .bool, .custom: out.append(c(name + "__folded", .text, "`\(name)` in lower case"))
        }
        return out
    }

    /// The single-valued fields a `contact` group filters on, with their types: a filter on one
    /// of them is a condition on the contact's own row.
    public static let contactFilterFields: [(name: String, field: CriterionField, type: FieldType)] =
        ContactField.allCases.map { ($0.rawValue, .contact($0), $0.valueType) }
        + [(ComputedContactField.company_name.rawValue, .computed(.company_name), ComputedContactField.company_name.valueType)]

    public static let contactFields: [ContactField] = [.salesperson, .territory, .country, .language, .address, .address_2, .city,
                                                       .post_code, .county, .email, .phone, .mobile, .website, .correspondence_type, .created]

    public static let tables: [Table] = [
        Table(name: "contacts", about: "One row per contact: scalar fields as written in its file, then every single-valued field a `contact` group filters on (`id`, `type`, `city`, …, `company_name`) in the forms filters compare.",
              columns: [c("contact_key", .text, "the id in lower case (the order of a segment's rows)"),
                        c("contact_no", .integer, "a number unique per contact: the key every join uses"),
                        c("contact_id", .text, "the id as written"),
                        c("type", .text, "company or person"),
                        c("name", .text, "the name"),
                        c("company_id", .text, "a person's `company`, as written"),
                        c("company_number", .text, "BC's Company No.: a company's own key, a person's company's key (when that company exists), else empty"),
                        c("company_no", .integer, "the `contact_no` of that company, else empty"),
                        c("company_group", .integer, "`company_no` when there is one, else the contact's own `contact_no`: the contacts sharing a company number share it, a contact without one has it alone (widening to companies is one join on it)"),
                        c("exclude_from_segments", .integer, "1 when the contact is excluded from segments, else 0")]
                + contactFields.map { c($0.rawValue, .text, "as written") }
                + contactFilterFields.flatMap { filterColumns($0.name, $0.type) }),
        Table(name: "contact_values", about: "Every value of a contact that is not one of its own columns, one row per value: custom fields (`fields.NAME`), the codes (`industry_groups`, `business_relations`, `mailing_groups`, `job_responsibilities`, one row per code) and profile answers (`profile.QUESTION`, the question in lower case, one row per answer).",
              columns: [c("contact_key", .text, "the contact"),
                        c("contact_no", .integer, "the contact's `contact_no` (for industry groups and business relations the company's own rows are read through `company_no`)")]
                + valueColumns),
        Table(name: "interaction_entries", about: "One row per interaction entry, every value resolved (entry, else batch, else template, else default; salesperson falls back to the contact's), then each field again, named as in filters (`template`, `group`, `date`, …), in the forms filters compare. Canceled entries are included.",
              columns: [c("entry_id", .integer, "a number unique per entry"),
                        c("contact_key", .text, "the contact"),
                        c("contact_no", .integer, "the contact's `contact_no`"),
                        c("batch", .text, "the batch id"),
                        c("entry_date", .text, "the date (YYYY-MM-DD)"),
                        c("template", .text, "the interaction template"),
                        c("interaction_group", .text, "the template's group"),
                        c("segment", .text, "the segment it was logged from"),
                        c("campaign", .text, "the campaign"),
                        c("campaign_target", .integer, "1 or 0"),
                        c("campaign_response", .integer, "1 or 0"),
                        c("evaluation", .text, "very_positive … very_negative"),
                        c("information_flow", .text, "outbound or inbound"),
                        c("initiated_by", .text, "us or them"),
                        c("correspondence_type", .text, "hard_copy or email"),
                        c("salesperson", .text, "the salesperson"),
                        c("cost", .number, "cost"),
                        c("duration", .number, "minutes"),
                        c("attempt_failed", .integer, "1 or 0"),
                        c("canceled", .integer, "1 or 0"),
                        c("subject", .text, "the subject")]
                + InteractionField.allCases.flatMap { filterColumns($0.rawValue, $0.valueType) }),
    ]
}
