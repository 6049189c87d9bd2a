/// Decodes an interaction batch file.
public struct InteractionBatchDecoder: Sendable {
    public static let valueKeys = ["campaign", "campaign_target", "campaign_response", "description", "subject",
                                   "salesperson", "information_flow", "initiated_by", "correspondence_type", "cost",
                                   "duration", "evaluation", "attempt_failed", "language"]
    public static let keys = ["id", "date", "template", "segment", "canceled", "contacts", "entries"] + valueKeys

    public init() {}

    public func decode(_ document: SourceDocument, fileName: String) -> (InteractionBatch, [Diagnostic]) {
        var r = FieldReader(document.frontMatter, path: document.path, known: Self.keys, what: "front matter")
        let id = r.id(fileName: fileName)
        var b = InteractionBatch(id: id.value, path: document.path, idLocation: id.location)
        b.date = r.date("date")
        if !r.has("date") { r.error("interaction batch has no 'date'; it is required", at: r.keyLocation("date") ?? r.location) }
        b.template = r.located("template")
        if b.template == nil { r.error("interaction batch has no 'template'; it is required", at: r.keyLocation("template") ?? r.location) }
        b.segment = r.located("segment")
        b.canceled = r.bool("canceled") ?? false
        b.canceledLocation = r.keyLocation("canceled")
        b.values = Self.values(&r)
        b.contacts = r.list("contacts")
        if let entries = r.node("entries") {
            if let items = entries.sequence {
                for item in items {
                    var e = FieldReader(item, path: document.path, known: ["contact"] + Self.valueKeys, what: "an entry")
                    if let contact = e.located("contact") {
                        b.entries.append(.init(contact: contact, values: Self.values(&e)))
                    } else if item.mapping != nil {
                        e.error("entry has no 'contact'", at: item.location)
                    }
                    r.diagnostics += e.diagnostics
                }
            } else {
                r.error("'entries' must be a list of maps with a 'contact', not \(entries.kindName)", at: entries.location)
            }
        }
        if b.contacts.isEmpty && b.entries.isEmpty {
            r.warning("interaction batch lists no contacts", at: r.keyLocation("contacts") ?? r.location)
        }
        b.body = document.body
        return (b, r.diagnostics)
    }

    static func values(_ r: inout FieldReader) -> InteractionValues {
        var v = InteractionValues()
        v.campaign = r.located("campaign")
        v.campaignTarget = r.bool("campaign_target")
        v.campaignResponse = r.bool("campaign_response")
        v.description = r.text("description")
        v.subject = r.text("subject")
        v.salesperson = r.text("salesperson")
        v.informationFlow = r.oneOf("information_flow", InformationFlow.self)
        v.initiatedBy = r.oneOf("initiated_by", InitiatedBy.self)
        v.correspondenceType = r.oneOf("correspondence_type", CorrespondenceType.self)
        v.cost = r.number("cost", nonNegative: true)
        v.duration = r.number("duration", nonNegative: true)
        v.evaluation = r.oneOf("evaluation", InteractionEvaluation.self)
        v.attemptFailed = r.bool("attempt_failed")
        v.language = r.text("language")
        return v
    }
}
