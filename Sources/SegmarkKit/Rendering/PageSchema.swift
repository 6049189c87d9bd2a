/// The names each page kind gives its templates (the README's template reference), so `check`
/// can warn about a template that names a variable no page of its kind ever has — a misspelled
/// `{{memberCont}}` would otherwise render as nothing. A test holds every value the page
/// contexts make against this list, so it cannot drift from the code.
public enum PageSchema {
    static let common: Set<String> = ["siteTitle", "asOf", "root", "pageTitle"]
    static let row: Set<String> = ["label", "value", "detail", "link"]
    static let history: Set<String> = ["history", "date", "commit", "subject"]

    public static let names: [String: Set<String>] = [
        "index": common.union([
            "counts", "contacts", "companies", "persons", "segments", "campaigns", "batches", "entries", "canceledEntries", "hasCanceled",
            "id", "description", "members", "campaign", "status", "startingDate", "endingDate", "recent", "date", "template", "canceled", "link", "future",
        ]),
        "segment": common.union(row).union(history).union([
            "id", "description", "header", "steps", "number", "before", "after", "hasSteps", "funnel",
            "members", "name", "companyName", "type", "channel", "salesperson", "addedBy", "memberCount", "companyCount", "personCount",
            "dropped", "hasDropped", "batches", "entries", "cost", "canceled", "joined", "left", "hasBatches", "body", "hasLabels", "link", "future",
        ]),
        "campaign": common.union(row).union(history).union([
            "id", "description", "header", "figures", "entries", "distinct", "segments", "members", "contacted", "responded", "cost",
            "evaluations", "count", "weeks", "week", "responses", "chart", "responders", "name", "evaluation", "body",
        ]),
        "contact": common.union(row).union([
            "id", "name", "type", "fields", "body", "segments", "description", "addedBy",
            "interactions", "date", "template", "campaign", "evaluation", "cost", "duration", "canceled", "attemptFailed", "batch", "link",
        ]),
        "labels": ["id", "heading", "siteTitle", "count", "labels", "lines"],
        "batch": common.union(row).union([
            "id", "header", "canceled", "future", "inbound", "entries", "contact", "link", "name", "channel", "salesperson", "cost", "evaluation",
            "note", "mail", "channels", "count", "entryCount", "letters", "labels", "csv", "mails", "hasMails", "body", "totalCost",
        ]),
        "letters": common.union([
            "id", "count", "letters", "contact", "sender", "name", "email", "lines", "address", "date", "subject", "body",
            "windowLeft", "windowTop", "pageBreak",
        ]),
        "contacts": common.union([
            "contacts", "id", "name", "type", "company", "companyId", "country", "segments",
            "total", "first", "last", "page", "pageCount", "hasPages", "pages", "number", "link", "current",
        ]),
    ]

    /// Names a partial may use: those of any page kind.
    static var any: Set<String> { names.values.reduce(into: Set<String>()) { $0.formUnion($1) } }
}
