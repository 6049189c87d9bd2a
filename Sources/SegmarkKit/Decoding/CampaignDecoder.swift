/// Decodes a campaign file.
public struct CampaignDecoder: Sendable {
    public static let keys = ["id", "description", "status", "starting_date", "ending_date", "salesperson", "budget"]

    public init() {}

    public func decode(_ document: SourceDocument, fileName: String) -> (Campaign, [Diagnostic]) {
        var r = FieldReader(document.frontMatter, path: document.path, known: Self.keys, what: "front matter")
        let id = r.id(fileName: fileName)
        var c = Campaign(id: id.value, path: document.path, idLocation: id.location)
        c.description = r.requiredText("description", noun: "campaign")
        c.status = r.text("status")
        c.startingDate = r.date("starting_date")
        c.endingDate = r.date("ending_date")
        c.salesperson = r.located("salesperson")
        c.budget = r.number("budget", nonNegative: true)
        if let start = c.startingDate, let end = c.endingDate, end < start {
            r.error("ending_date \(end) is before starting_date \(start)", at: r.node("ending_date")!.location)
        }
        c.body = document.body
        return (c, r.diagnostics)
    }
}
