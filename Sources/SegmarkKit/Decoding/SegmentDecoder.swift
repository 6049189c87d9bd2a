/// Decodes a segment file into a `Segment`.
public struct SegmentDecoder: Sendable {
    public static let keys = ["id", "description", "date", "campaign", "campaign_target", "campaign_response",
                              "salesperson", "interaction_template", "subject", "language", "correspondence_type",
                              "ignore_contact_correspondence_type", "unit_cost", "unit_duration", "information_flow",
                              "initiated_by", "criteria"]

    public init() {}

    public func decode(_ document: SourceDocument, fileName: String) -> (Segment, [Diagnostic]) {
        var r = FieldReader(document.frontMatter, path: document.path, known: Self.keys, what: "front matter")
        let id = r.id(fileName: fileName)
        var s = Segment(id: id.value, path: document.path, idLocation: id.location)
        s.description = r.text("description")
        s.date = r.date("date")
        s.campaign = r.located("campaign")
        s.campaignTarget = r.bool("campaign_target")
        s.campaignResponse = r.bool("campaign_response")
        s.salesperson = r.located("salesperson")
        s.interactionTemplate = r.located("interaction_template")
        s.subject = r.text("subject")
        s.language = r.text("language")
        s.correspondenceType = r.oneOf("correspondence_type", CorrespondenceType.self)
        s.ignoreContactCorrespondenceType = r.bool("ignore_contact_correspondence_type") ?? false
        s.unitCost = r.number("unit_cost", nonNegative: true)
        s.unitDuration = r.number("unit_duration", nonNegative: true)
        s.informationFlow = r.oneOf("information_flow", InformationFlow.self)
        s.initiatedBy = r.oneOf("initiated_by", InitiatedBy.self)
        if s.campaign == nil {
            for key in ["campaign_target", "campaign_response"] where r.has(key) {
                r.error("'\(key)' needs a 'campaign' on the segment", at: r.keyLocation(key)!)
            }
        }
        let (steps, stepDiagnostics) = CriteriaDecoder().decode(r.node("criteria"), path: document.path)
        s.criteria = steps
        s.body = document.body
        return (s, r.diagnostics + stepDiagnostics)
    }
}
