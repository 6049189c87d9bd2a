/// Decodes an interaction template file.
public struct InteractionTemplateDecoder: Sendable {
    public static let keys = ["id", "description", "group", "unit_cost", "unit_duration", "information_flow",
                              "initiated_by", "correspondence_type", "ignore_contact_correspondence_type", "language",
                              "campaign", "campaign_target", "campaign_response"]

    public init() {}

    public func decode(_ document: SourceDocument, fileName: String) -> (InteractionTemplate, [Diagnostic]) {
        var r = FieldReader(document.frontMatter, path: document.path, known: Self.keys, what: "front matter")
        let id = r.id(fileName: fileName)
        var t = InteractionTemplate(id: id.value, path: document.path, idLocation: id.location)
        t.description = r.text("description")
        t.group = r.requiredText("group", noun: "interaction template") ?? ""
        t.unitCost = r.number("unit_cost", nonNegative: true) ?? 0
        t.unitDuration = r.number("unit_duration", nonNegative: true) ?? 0
        t.informationFlow = r.oneOf("information_flow", InformationFlow.self)
        t.initiatedBy = r.oneOf("initiated_by", InitiatedBy.self)
        t.correspondenceType = r.oneOf("correspondence_type", CorrespondenceType.self) ?? .email
        t.ignoreContactCorrespondenceType = r.bool("ignore_contact_correspondence_type") ?? false
        t.language = r.text("language")
        t.campaign = r.located("campaign")
        t.campaignTarget = r.bool("campaign_target")
        t.campaignResponse = r.bool("campaign_response")
        t.body = document.body
        return (t, r.diagnostics)
    }
}
