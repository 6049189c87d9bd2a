import Foundation

/// `segmark log`: turns a segment's members into an interaction batch file with every
/// value resolved, and optionally a follow-up segment. Refusals are values, not prints.
public struct BatchLogger {
    public let model: Model
    public let fileSystem: FileSystem

    public init(model: Model, fileSystem: FileSystem = LocalFileSystem()) {
        self.model = model
        self.fileSystem = fileSystem
    }

    public struct Refusal: Error, Sendable, CustomStringConvertible, Equatable {
        public var message: String
        public var description: String { message }
    }

    public struct Plan: Sendable {
        public var batchID: String
        public var batchPath: String
        public var batchText: String
        public var followUpPath: String?
        public var followUpText: String?
        public var entries: Int
    }

    public func plan(segment id: String, date: Day?, asOf: Day, followUp: Bool, again: Bool) throws -> Plan {
        guard let si = model.segmentIndex[Text.fold(id)] else { throw Refusal(message: "no segment '\(id)'" + Text.didYouMean(id, model.segments.map(\.id))) }
        let s = model.segments[si]
        guard let description = s.description, !description.isEmpty else {
            throw Refusal(message: "segment \(s.id) has no description; add one before logging")
        }
        guard let templateID = s.interactionTemplate, let template = model.template(templateID.value) else {
            throw Refusal(message: "segment \(s.id) has no interaction_template; add one before logging")
        }
        if !again, let existing = model.batches.first(where: { !$0.canceled && $0.segment.map { Text.fold($0.value) == Text.fold(s.id) } ?? false }) {
            throw Refusal(message: "segment \(s.id) was already logged as batch \(existing.id) (\(existing.path)); cancel it or use --again")
        }
        // The members are those the sheet and `members` show (as of the as-of date); the date
        // only dates the entries.
        let day = date ?? s.date ?? asOf
        let evaluation = SegmentEvaluator(model: model, asOf: asOf).evaluate(only: [si])
        guard let result = evaluation.results[si], !result.members.isEmpty else {
            throw Refusal(message: "segment \(s.id) has no members as of \(asOf); nothing to log")
        }
        // The batch is SEGMENT-DATE, in a file of that name that is never written over: logged
        // again the same day (with --again, or after the day's batch was canceled), it needs
        // another date.
        let folder = model.settings.content + "/interactions"
        let batchID = "\(s.id)-\(day)"
        if let existing = model.batches.first(where: { Text.fold($0.id) == Text.fold(batchID) }) {
            throw Refusal(message: "batch \(existing.id) exists already (\(existing.path)); a segment is logged once a day: "
                          + "give this batch another date with --date")
        }
        if fileSystem.kind(of: model.root + "/" + folder + "/\(batchID).md") != nil {
            throw Refusal(message: "\(folder)/\(batchID).md exists already; give this batch another date with --date")
        }
        var lines = ["---", "id: \(batchID)", "date: \(day)", "template: \(template.id)", "segment: \(s.id)"]
        if let c = s.campaign.flatMap({ model.campaign($0.value) }) {
            lines.append("campaign: \(c.id)")
            lines.append("campaign_target: \((s.campaignTarget ?? template.campaignTarget ?? false) ? "true" : "false")")
            lines.append("campaign_response: \((s.campaignResponse ?? template.campaignResponse ?? false) ? "true" : "false")")
        }
        lines.append("description: \(YAMLWriting.quote(description))")
        if let subject = s.subject { lines.append("subject: \(YAMLWriting.quote(subject))") }
        if let language = s.language ?? template.language { lines.append("language: \(YAMLWriting.quote(language))") }
        if let flow = s.informationFlow ?? template.informationFlow { lines.append("information_flow: \(flow.rawValue)") }
        if let by = s.initiatedBy ?? template.initiatedBy { lines.append("initiated_by: \(by.rawValue)") }
        lines.append("cost: \(Number.format(s.unitCost ?? template.unitCost))")
        lines.append("duration: \(Number.format(s.unitDuration ?? template.unitDuration))")
        lines.append("entries:")
        var missing: [String] = []
        result.members.forEach { ci in
            let c = model.contacts[ci]
            guard let salesperson = s.salesperson?.value ?? c.values[.salesperson], !salesperson.isEmpty else {
                missing.append(c.id)
                return
            }
            lines.append("  - contact: \(c.id)")
            lines.append("    salesperson: \(YAMLWriting.quote(salesperson))")
            lines.append("    correspondence_type: \(s.channel(for: c, template: template).rawValue)")
        }
        if !missing.isEmpty {
            throw Refusal(message: "no salesperson for \(missing.prefix(10).joined(separator: ", "))\(missing.count > 10 ? " and \(missing.count - 10) more" : ""): set one on segment \(s.id) or on these contacts")
        }
        lines.append("---")
        lines.append("Logged from segment \(s.id) (\(result.members.count) contacts) as of \(day).")
        var plan = Plan(batchID: batchID, batchPath: folder + "/\(batchID).md", batchText: lines.joined(separator: "\n") + "\n",
                        followUpPath: nil, followUpText: nil, entries: result.members.count)
        if followUp {
            var n = 1
            var fuID = "\(s.id)-FU"
            while model.segment(fuID) != nil || fileSystem.kind(of: model.root + "/" + model.settings.content + "/segments/\(fuID).md") != nil {
                n += 1
                fuID = "\(s.id)-FU\(n)"
            }
            var fu = ["---", "id: \(fuID)", "description: \(YAMLWriting.quote("Follow-up on segment \(s.id)"))", "date: \(day)"]
            if let c = s.campaign.flatMap({ model.campaign($0.value) }) { fu.append("campaign: \(c.id)") }
            if let sp = s.salesperson { fu.append("salesperson: \(YAMLWriting.quote(sp.value))") }
            fu += ["criteria:", "  - add:", "      interactions: { batch: \(YAMLWriting.quote(batchID)) }", "---",
                   "Follow-up on the contacts logged in batch \(batchID).", ""]
            plan.followUpPath = model.settings.content + "/segments/\(fuID).md"
            plan.followUpText = fu.joined(separator: "\n")
        }
        try validate(plan)
        return plan
    }

    /// The files a plan would write, read back with the same rules as `segmark check`: `log`
    /// refuses, and writes nothing, rather than write what `check` would then reject.
    func validate(_ plan: Plan) throws {
        var files: [(RecordKind, String, String)] = [(.batch, plan.batchPath, plan.batchText)]
        if let path = plan.followUpPath, let text = plan.followUpText { files.append((.segment, path, text)) }
        var problems: [Diagnostic] = []
        var batches = model.batches, segments = model.segments
        for (kind, path, text) in files {
            let (decoded, diagnostics) = WorkspaceLoader.decodeFile(kind: kind, path: path, bytes: Array(text.utf8))
            problems += diagnostics.filter { $0.severity == .error }
            switch decoded {
            case .batch(let b)?: batches.append(b)
            case .segment(let s)?: segments.append(s)
            default: break
            }
        }
        if problems.isEmpty {
            let extended = Model(root: model.root, settings: model.settings, codes: model.codes, contacts: model.contacts, segments: segments,
                                 campaigns: model.campaigns, templates: model.templates, batches: batches)
            let paths = Set(files.map(\.1))
            problems = ModelValidator().validate(extended).filter { $0.severity == .error && paths.contains($0.location.path) }
        }
        guard problems.isEmpty else {
            throw Refusal(message: "the batch would not pass 'segmark check', so nothing was written:\n"
                          + problems.sortedForOutput().map(\.description).joined(separator: "\n"))
        }
    }

    /// Creates the files exclusively (never overwrites); the batch first.
    public func write(_ plan: Plan) throws {
        let root = model.root
        try fileSystem.createDirectory(root + "/" + model.settings.content + "/interactions")
        do {
            try fileSystem.createExclusively(Array(plan.batchText.utf8), at: root + "/" + plan.batchPath)
        } catch FileSystemError.exists {
            throw Refusal(message: "\(plan.batchPath) already exists; nothing was written")
        }
        if let path = plan.followUpPath, let text = plan.followUpText {
            try fileSystem.createDirectory(root + "/" + model.settings.content + "/segments")
            try fileSystem.createExclusively(Array(text.utf8), at: root + "/" + path)
        }
    }
}
