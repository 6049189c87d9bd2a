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
        t.bodyLine = document.bodyLine
        return (t, r.diagnostics)
    }

    /// A language variant `ID.LANG.md`: only `description` and `subject` may be set.
    public func decodeVariant(_ document: SourceDocument, language: String) -> (InteractionTemplate.Variant, [Diagnostic]) {
        var r = FieldReader(document.frontMatter, path: document.path, known: ["description", "subject"],
                            what: "a language variant's front matter", unknownIsError: true)
        let v = InteractionTemplate.Variant(language: language, path: document.path, description: r.text("description"),
                                            subject: r.text("subject"), body: document.body, bodyLine: document.bodyLine)
        return (v, r.diagnostics)
    }

    /// When `path` is a language variant of a template file among `paths` (`BUS.NOR.md` beside
    /// `BUS.md` in the same folder): the main file's path and the language.
    public static func variantOf(_ path: String, among paths: Set<String>) -> (main: String, language: String)? {
        guard path.hasSuffix(".md") else { return nil }
        let stem = path.dropLast(3)
        guard let dot = stem.lastIndex(of: "."), let slash = stem.lastIndex(of: "/"), dot > slash else { return nil }
        let main = String(stem[..<dot]) + ".md"
        let language = String(stem[stem.index(after: dot)...])
        guard !language.isEmpty, main != path, paths.contains(main) else { return nil }
        return (main, language)
    }
}
