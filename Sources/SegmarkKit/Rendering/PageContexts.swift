import Foundation

/// Builds the data each page template reads (see the README's template reference) as typed
/// template values. `esc` escapes content values for the format: identity for HTML (the
/// template engine escapes), table-cell escaping for Markdown.
public struct PageContexts {
    public let model: Model
    public let evaluation: Evaluation
    /// Each contact's segments, when the caller had them (a build); else each contact's are
    /// found when its page needs them (`serve` renders a few contacts' pages after a change).
    private let memberships: Memberships?
    /// The evaluation's entries per folded campaign id and per batch, found when first needed.
    private let entryLists: Lazy<(byCampaign: [String: [Int]], byBatch: [[Int]])>
    /// Last git change per workspace-relative path; empty unless history is switched on.
    let history: [String: FileChange]
    /// The formats being built (the Markdown sheet links the labels page only when HTML is built).
    let formats: [Settings.Format]
    /// What every sheet shows of a contact, made once per build (a contact is on many sheets)
    /// when the first sheet is rendered.
    private let sharedRows: Lazy<SheetRows>
    var rows: SheetRows { sharedRows.get() }
    /// The sheets' rows when a sheet made them already (a batch's CSV reads their CSV cells
    /// then, and does not make every contact's rows for itself).
    var rowsIfMade: SheetRows? { sharedRows.ifMade }
    /// The dated batches logged from each segment (by folded segment id), ascending, found
    /// once: a sheet looked through all 11,000 batches of L for its own.
    private let datedBatches: Lazy<[String: [Int]]>
    /// Per contact, a number for what its sheet rows are made of (its file and its company's:
    /// `PageSignatures.contact`), when the caller has them: a sheet's rows then carry keys, and
    /// a build copies the unchanged ones from the page the last build wrote (`RowSplice`).
    var contactKeys: [UInt64]?
    /// Amounts and durations as written on pages: a few distinct values (a batch's cost) on
    /// 1,000,000 entries, each written on a batch page, a contact page and a campaign's.
    private let amounts = DecimalTexts(scale: 2), durations = DecimalTexts(scale: 0)

    /// The segments contact `ci` is a member of, ascending, each with the step that added it.
    func segments(of ci: Int) -> [(segment: Int, step: Int)] {
        var out: [(segment: Int, step: Int)] = []
        if let memberships {
            memberships.forEach(ci) { out.append(($0, $1)) }
            return out
        }
        for (si, r) in evaluation.results.enumerated() where r?.members.contains(ci) ?? false { out.append((si, r?.addedBy[ci] ?? 0)) }
        return out
    }

    /// How many segments contact `ci` is a member of.
    func segmentCount(of ci: Int) -> Int { memberships?.count(ci) ?? segments(of: ci).count }

    /// - Parameters:
    ///   - memberships: each contact's segments, when the caller has them already.
    ///   - onRequest: few pages render (`serve` renders pages as they are asked for; a build
    ///     after a change keeps most): what a sheet shows of a contact is made the first time a
    ///     row asks for it, not for every contact up front.
    public init(model: Model, evaluation: Evaluation, history: [String: FileChange] = [:],
                formats: [Settings.Format] = Settings.Format.allCases, memberships: Memberships? = nil, onRequest: Bool = false) {
        self.formats = formats
        self.model = model
        self.evaluation = evaluation
        self.history = history
        self.memberships = memberships
        entryLists = Lazy {
            var byCampaign: [String: [Int]] = [:]
            var byBatch = [[Int]](repeating: [], count: model.batches.count)
            var fold = FoldMemo()
            for (i, e) in evaluation.entries.enumerated() {
                if let c = e.campaign { byCampaign[fold(c), default: []].append(i) }
                byBatch[e.batch].append(i)
            }
            return (byCampaign, byBatch)
        }
        self.sharedRows = Lazy { SheetRows(model: model, evaluation: evaluation, upFront: !onRequest) }
        datedBatches = Lazy {
            var out: [String: [Int]] = [:]
            var fold = FoldMemo()
            for (bi, b) in model.batches.enumerated() where b.date != nil {
                if let s = b.segment { out[fold(s.value), default: []].append(bi) }
            }
            return out
        }
    }

    func money(_ d: Decimal) -> String { amounts[d] }
    func minutes(_ d: Decimal) -> String { durations[d] }

    func common(_ format: Settings.Format, root: String, title: String) -> TemplateValue {
        ["siteTitle": .text(esc(format)(model.settings.title)), "asOf": .text(evaluation.asOf.description), "root": .text(root),
         "pageTitle": .text(esc(format)(title))]
    }

    func esc(_ format: Settings.Format) -> (String) -> String {
        if format == .md { return { MarkdownEscaping.cell($0) } }
        return { (s: String) -> String in s }
    }

    func row(_ label: String, _ value: String?, detail: String? = nil, link: String? = nil, _ e: (String) -> String) -> TemplateValue? {
        guard let value, !value.isEmpty else { return nil }
        var r: TemplateValue = ["label": .text(e(label)), "value": .text(e(value))]
        if let detail, !detail.isEmpty { r["detail"] = .text(e(detail)) }
        if let link { r["link"] = .text(link) }
        return r
    }

    /// The "Last changed" header row and the `history` value of a record's file.
    func lastChanged(_ path: String, _ e: (String) -> String, into ctx: inout TemplateValue) -> TemplateValue? {
        guard let change = history[path] else { return nil }
        ctx["history"] = ["date": .text(change.date), "commit": .text(e(change.commit)), "subject": .text(e(change.subject))]
        return row("Last changed", "\(change.date) in \(change.commit): \(change.subject)", e)
    }

    func body(_ markdown: String, _ format: Settings.Format) -> String {
        format == .html ? MarkdownRenderer().html(markdown) : Text.trimmingSpace(MarkdownRenderer().markdown(markdown))
    }

    // MARK: index

    public func index(_ format: Settings.Format) -> TemplateValue {
        let e = esc(format)
        var ctx = common(format, root: "", title: "Overview")
        let companies = model.contacts.filter { $0.type == .company }.count
        let canceled = evaluation.entries.filter(\.canceled).count
        ctx["counts"] = ["contacts": .int(model.contacts.count), "companies": .int(companies), "persons": .int(model.contacts.count - companies),
                         "segments": .int(model.segments.count), "campaigns": .int(model.campaigns.count),
                         "batches": .int(model.batches.filter { $0.date.map { $0 <= evaluation.asOf } ?? false }.count),
                         "entries": .int(evaluation.entries.count - canceled), "canceledEntries": .int(canceled), "hasCanceled": .bool(canceled > 0)]
        ctx["segments"] = .list(model.segments.enumerated().map { si, s -> TemplateValue in
            var row: TemplateValue = ["id": .text(e(s.id)), "description": .text(e(s.description ?? "")),
                                      "members": .int(evaluation.results[si]?.members.count ?? 0)]
            // Only a segment with a campaign has the key: an empty string would still open {{#campaign}}.
            if let campaign = s.campaign { row["campaign"] = .text(e(model.campaign(campaign.value)?.id ?? campaign.value)) }
            return row
        })
        ctx["campaigns"] = .list(model.campaigns.map { c -> TemplateValue in
            ["id": .text(e(c.id)), "description": .text(e(c.description ?? "")), "status": .text(e(c.status ?? "")),
             "startingDate": .text(c.startingDate?.description ?? ""), "endingDate": .text(c.endingDate?.description ?? "")]
        })
        // The newest batches, also those dated after the as-of date (marked).
        let recent = model.batches.indices.filter { model.batches[$0].date != nil }.sorted { a, b in
            let da = model.batches[a].date ?? Day(year: 1, month: 1, day: 1)!, db = model.batches[b].date ?? Day(year: 1, month: 1, day: 1)!
            if da != db { return da > db }
            return a < b
        }.prefix(10)
        ctx["recent"] = .list(recent.map { bi -> TemplateValue in
            let b = model.batches[bi]
            return ["id": .text(e(b.id)), "link": .text("interactions/\(b.id).\(format.rawValue)"),
                    "date": .text(b.date?.description ?? ""), "template": .text(e(b.template?.value ?? "")),
                    "description": .text(e(b.values.description ?? "")), "entries": .int(entries(ofBatch: bi).count), "canceled": .bool(b.canceled),
                    "future": .bool(b.date.map { $0 > evaluation.asOf } ?? false)]
        })
        return ctx
    }

    // MARK: contacts directory

    /// Contacts per directory page.
    public static let directoryPageSize = 500

    /// The number of directory pages (one at least, even for no contacts).
    public var directoryPageCount: Int { max(1, (model.contacts.count + Self.directoryPageSize - 1) / Self.directoryPageSize) }

    /// The directory page's path: `contacts.html`, then `contacts-2.html`, …
    public static func directoryPath(_ page: Int, _ ext: String) -> String { page == 1 ? "contacts.\(ext)" : "contacts-\(page).\(ext)" }

    /// Page `page` (1-based) of the contacts directory: id, name, type, company, country and
    /// the number of segments, in id order.
    public func directory(_ page: Int, _ format: Settings.Format) -> TemplateValue {
        let e = esc(format)
        let ext = format.rawValue
        let pageCount = directoryPageCount
        var ctx = common(format, root: "", title: page == 1 ? "Contacts" : "Contacts, page \(page)")
        let lo = (page - 1) * Self.directoryPageSize, hi = min(model.contacts.count, lo + Self.directoryPageSize)
        ctx["contacts"] = .list((lo..<hi).map { ci -> TemplateValue in
            let c = model.contacts[ci]
            let company = c.type == .person ? evaluation.facts.companyNumber[ci].map { model.contacts[$0] } : nil
            var row: TemplateValue = ["id": .text(e(c.id)), "name": .text(e(c.name)), "type": .text(c.type.rawValue),
                                      "country": .text(e(c.values[.country] ?? "")), "segments": .int(segmentCount(of: ci))]
            if let company { row["company"] = .text(e(company.name)); row["companyId"] = .text(company.id) }
            return row
        })
        ctx["total"] = .int(model.contacts.count)
        ctx["first"] = .int(lo + 1)
        ctx["last"] = .int(hi)
        ctx["page"] = .int(page)
        ctx["pageCount"] = .int(pageCount)
        ctx["hasPages"] = .bool(pageCount > 1)
        ctx["pages"] = .list((1...pageCount).map { n in
            ["number": .int(n), "link": .text(Self.directoryPath(n, ext)), "current": .bool(n == page)]
        })
        return ctx
    }

    // MARK: segment

    public func segment(_ si: Int, _ format: Settings.Format) -> TemplateValue {
        let e = esc(format)
        let s = model.segments[si]
        let ext = format.rawValue
        var ctx = common(format, root: "../", title: "Segment \(s.id)")
        let currency = model.settings.currency.map { " " + $0 } ?? ""
        ctx["id"] = .text(e(s.id))
        ctx["hasLabels"] = .bool(formats.contains(.html))
        ctx["description"] = .text(e(s.description ?? ""))
        let campaign = s.campaign.flatMap { model.campaign($0.value) }
        let template = s.interactionTemplate.flatMap { model.template($0.value) }
        var header: [TemplateValue?] = [
            row("Description", s.description, e),
            row("Date", s.date?.description, e),
            row("Campaign", campaign?.id ?? s.campaign?.value, detail: campaign?.description, link: campaign.map { "../campaigns/\($0.id).\(ext)" }, e),
        ]
        if s.campaign != nil {
            header.append(row("Campaign target", (s.campaignTarget ?? false) ? "yes" : "no", e))
            header.append(row("Campaign response", (s.campaignResponse ?? false) ? "yes" : "no", e))
        }
        header += [
            row("Salesperson", s.salesperson?.value, detail: s.salesperson.flatMap { model.codes.description("salespeople", $0.value) }, e),
            row("Interaction template", template?.id ?? s.interactionTemplate?.value, detail: template?.description, e),
            row("Subject", s.subject, e),
            row("Language", s.language, detail: s.language.flatMap { model.codes.description("languages", $0) }, e),
            row("Correspondence type", s.correspondenceType?.rawValue, e),
            row("Ignore contact correspondence type", s.ignoreContactCorrespondenceType ? "yes" : nil, e),
            row("Unit cost", s.unitCost.map { money($0) + currency } ?? template.map { money($0.unitCost) + currency + " (template)" }, e),
            row("Unit duration (min)", s.unitDuration.map(minutes) ?? template.map { minutes($0.unitDuration) + " (template)" }, e),
            row("Information flow", s.informationFlow?.rawValue, e),
            row("Initiated by", s.initiatedBy?.rawValue, e),
            row("As of", evaluation.asOf.description, e),
            lastChanged(s.path, e, into: &ctx),
        ]
        ctx["header"] = .list(header.compactMap { $0 })
        let result = evaluation.results[si]
        let describer = StepDescriber()
        ctx["steps"] = .list(s.criteria.enumerated().map { n, step -> TemplateValue in
            ["number": .int(n + 1), "description": .text(e(describer.describe(step))),
             "before": .int(result?.steps[n].before ?? 0), "after": .int(result?.steps[n].after ?? 0)]
        })
        ctx["hasSteps"] = .bool(!s.criteria.isEmpty)
        if format == .html, let result, !s.criteria.isEmpty {
            ctx["funnel"] = .text(SVGChart.bars(title: "Members after each step", labels: s.criteria.indices.map { "Step \($0 + 1)" },
                                                values: result.steps.map(\.after)))
        }
        let rows = self.rows
        let segmentSalesperson = s.salesperson.map { TemplateValue.text(e($0.value)) }
        // A row: the contact's cells, shared by every sheet it is on, and this sheet's own
        // (the channel, the step that added it, and the segment's salesperson where it has one).
        // Rows are made as they are rendered (a sheet can have 100,000), and rows of one
        // channel and step share one array of own fields.
        let channels = SheetRows.channels(s, template: template)
        let ownFields: [[(key: String, value: TemplateValue)]] = (0..<(2 * (s.criteria.count + 1))).map { kind in
            var own: [(key: String, value: TemplateValue)] = [("channel", kind % 2 == 0 ? "email" : "hard_copy"), ("addedBy", .int(kind / 2))]
            if let segmentSalesperson { own.append(("salesperson", segmentSalesperson)) }
            return own
        }
        var memberIndices: [Int] = []
        memberIndices.reserveCapacity(result?.members.count ?? 0)
        var companies = 0
        result?.members.forEach { ci in
            if rows.isCompany[ci] { companies += 1 }
            memberIndices.append(ci)
        }
        let addedBy = result?.addedBy
        ctx["memberCount"] = .int(memberIndices.count)
        ctx["companyCount"] = .int(companies)
        ctx["personCount"] = .int(memberIndices.count - companies)
        let rowKey: ((Int) -> UInt64)? = contactKeys.map { keys in
            let steps = Self.steps(memberIndices, addedBy)
            return { n in
                let ci = memberIndices[n]
                return Self.rowKey(keys[ci], step: steps[n], email: rows.channel(ci, channels) == .email)
            }
        }
        ctx["members"] = .rows(TemplateRows(count: memberIndices.count, key: rowKey) { n in
            let ci = memberIndices[n]
            let email = rows.channel(ci, channels) == .email, step = addedBy?[ci] ?? 0
            let kind = 2 * step + (email ? 0 : 1)
            var own: [(key: String, value: TemplateValue)]
            if kind < ownFields.count {
                own = ownFields[kind]
            } else {
                own = [("channel", email ? "email" : "hard_copy"), ("addedBy", .int(step))]
                if let segmentSalesperson { own.append(("salesperson", segmentSalesperson)) }
            }
            return .object(TemplateObject(own, shared: rows.cells(ci, format)))
        })
        let dropped = result?.droppedByExclusion.indices ?? []
        ctx["dropped"] = .list(dropped.map { ["id": .text(e(model.contacts[$0].id)), "name": .text(e(model.contacts[$0].name))] })
        ctx["hasDropped"] = .bool(!dropped.isEmpty)
        // Every batch logged from it, also one dated after the as-of date (logged for the segment's later date).
        let batches = datedBatches.get()[Text.fold(s.id)] ?? []
        ctx["batches"] = .list(batches.map { bi -> TemplateValue in
            let b = model.batches[bi]
            let entries = entries(ofBatch: bi)
            var logged = ContactSet(capacity: model.contacts.count)
            for e in entries { logged.insert(e.contact) }
            let cost = InteractionEntry.sum(entries, \.cost)
            let current = result?.members ?? ContactSet(capacity: model.contacts.count)
            return ["id": .text(e(b.id)), "link": .text("../interactions/\(b.id).\(ext)"),
                    "date": .text(b.date?.description ?? ""), "entries": .int(entries.count), "cost": .text(e(money(cost) + currency)),
                    "canceled": .bool(b.canceled), "future": .bool(b.date.map { $0 > evaluation.asOf } ?? false),
                    "joined": .text(e(idList(current.subtracting(logged)))), "left": .text(e(idList(logged.subtracting(current))))]
        })
        ctx["hasBatches"] = .bool(!batches.isEmpty)
        ctx["body"] = .text(body(s.body, format))
        return ctx
    }

    /// A batch's entries: the evaluation's, or — for a batch dated after the as-of date, which
    /// the evaluation does not see — made from its file.
    func entries(ofBatch bi: Int) -> [InteractionEntry] {
        if let date = model.batches[bi].date, date > evaluation.asOf {
            return InteractionEntryBuilder().entries(of: bi, model, asOf: date)
        }
        return entryLists.get().byBatch[bi].map { evaluation.entries[$0] }
    }

    /// The campaign's interaction entries, in evaluation order.
    func entryIndices(campaign ci: Int) -> [Int] { entryLists.get().byCampaign[Text.fold(model.campaigns[ci].id)] ?? [] }

    /// The first 12 ids of a set and how many more (a sheet's batch row at L can name 50,000 contacts).
    func idList(_ set: ContactSet) -> String {
        let shown = set.first(12).map { model.contacts[$0].id }
        if shown.isEmpty { return "none" }
        let more = shown.count < 12 ? 0 : set.count - 12
        return shown.joined(separator: ", ") + (more > 0 ? " and \(more) more" : "")
    }

    // MARK: campaign

    public func campaign(_ ci: Int, _ format: Settings.Format) -> TemplateValue {
        let e = esc(format)
        let c = model.campaigns[ci]
        let ext = format.rawValue
        var ctx = common(format, root: "../", title: "Campaign \(c.id)")
        ctx["id"] = .text(e(c.id))
        ctx["description"] = .text(e(c.description ?? ""))
        let entries = entryIndices(campaign: ci).map { evaluation.entries[$0] }
        let stats = CampaignStatistics(entries)
        let currency = model.settings.currency.map { " " + $0 } ?? ""
        ctx["header"] = .list([
            row("Description", c.description, e),
            row("Status", c.status, detail: c.status.flatMap { model.codes.description("campaign_statuses", $0) }, e),
            row("Starting date", c.startingDate?.description, e),
            row("Ending date", c.endingDate?.description, e),
            row("Salesperson", c.salesperson?.value, detail: c.salesperson.flatMap { model.codes.description("salespeople", $0.value) }, e),
            row("Budget", c.budget.map { money($0) + currency }, e),
            row("As of", evaluation.asOf.description, e),
            lastChanged(c.path, e, into: &ctx),
        ].compactMap { $0 })
        func figure(_ label: String, _ entries: TemplateValue, _ distinct: TemplateValue = "—") -> TemplateValue {
            ["label": .text(e(label)), "entries": entries, "distinct": distinct]
        }
        var figures: [TemplateValue] = [
            figure("Entries", .int(stats.entries)),
            figure("Contacted", .int(stats.contacted), .int(stats.contactedDistinct)),
            figure("Responded", .int(stats.responded), .int(stats.respondedDistinct)),
            figure("Response rate", .text(stats.responseRate)),
            figure("Response rate (distinct contacts)", "—", .text(stats.responseRateDistinct)),
            figure("Cost" + currency, .text(money(stats.cost))),
            figure("Duration (min)", .text(minutes(stats.duration))),
            figure("Average cost per response" + currency, .text(money(stats.averageCostPerResponse)), .text(money(stats.averageCostPerResponseDistinct))),
            figure("Average duration per response (min)", .text(Number.format(stats.averageDurationPerResponse, scale: 1)),
                   .text(Number.format(stats.averageDurationPerResponseDistinct, scale: 1))),
            figure("Canceled entries (not counted)", .int(stats.canceledEntries)),
        ]
        if let budget = c.budget {
            let used = budget == 0 ? "—" : Number.format(stats.cost * 100 / budget, scale: 1) + "%"
            figures.append(figure("Cost against budget", .text(e("\(money(stats.cost)) of \(money(budget))\(currency) (\(used))"))))
            figures.append(figure("Budget remaining" + currency, .text(money(budget - stats.cost))))
        }
        ctx["figures"] = .list(figures)
        // Segments: those naming the campaign, then any other segment its entries came from.
        var fold = FoldMemo()
        var segmentIDs: [String] = model.segments.filter { $0.campaign.map { fold($0.value) == fold(c.id) } ?? false }.map(\.id)
        var listed = Set(segmentIDs.map { fold($0) })
        var bySegment: [String: [InteractionEntry]] = [:]
        for entry in entries {
            guard let s = entry.segment else { continue }
            let f = fold(s)
            if listed.insert(f).inserted { segmentIDs.append(s) }
            bySegment[f, default: []].append(entry)
        }
        segmentIDs.sort { Text.codePointLess(fold($0), fold($1)) }
        let noSegment = entries.contains { $0.segment == nil }
        var segmentRows: [TemplateValue] = segmentIDs.map { id in
            let si = model.segmentIndex[fold(id)]
            let st = CampaignStatistics(bySegment[fold(id)] ?? [])
            return ["id": .text(e(si.map { model.segments[$0].id } ?? id)), "description": .text(e(si.flatMap { model.segments[$0].description } ?? "")),
                    "link": .optional(si.map { "../segments/\(model.segments[$0].id).\(ext)" }),
                    "members": .text(si.flatMap { evaluation.results[$0]?.members.count }.map(String.init) ?? "—"),
                    "entries": .int(st.entries), "contacted": .int(st.contacted), "responded": .int(st.responded), "cost": .text(money(st.cost))]
        }
        if noSegment {
            let st = CampaignStatistics(entries.filter { $0.segment == nil })
            segmentRows.append(["id": "(no segment)", "description": "", "members": "—", "entries": .int(st.entries),
                                "contacted": .int(st.contacted), "responded": .int(st.responded), "cost": .text(money(st.cost))])
        }
        ctx["segments"] = .list(segmentRows)
        let live = entries.filter { !$0.canceled }
        ctx["evaluations"] = .list((InteractionEvaluation.allCases.map(Optional.some) + [nil]).map { ev -> TemplateValue in
            ["label": .text(ev?.label ?? "(none)"), "count": .int(live.filter { $0.evaluation == ev }.count)]
        })
        var weeks: [Day: (Int, Int)] = [:]
        for entry in live {
            let w = entry.date.weekStart
            weeks[w, default: (0, 0)].0 += 1
            if entry.campaignResponse { weeks[w, default: (0, 0)].1 += 1 }
        }
        let weekKeys = weeks.keys.sorted()
        ctx["weeks"] = .list(weekKeys.map { ["week": .text($0.description), "entries": .int(weeks[$0]!.0), "responses": .int(weeks[$0]!.1)] })
        if format == .html {
            ctx["chart"] = .text(SVGChart.bars(title: "Entries per week (responses in light blue)", labels: weekKeys.map(\.description),
                                               values: weekKeys.map { weeks[$0]!.0 }, overlay: weekKeys.map { weeks[$0]!.1 }))
        }
        let responders = live.filter(\.campaignResponse).sorted { a, b in
            if a.contact != b.contact { return a.contact < b.contact }
            if a.date != b.date { return a.date < b.date }
            return a.batch < b.batch
        }
        ctx["responders"] = .list(responders.map { r -> TemplateValue in
            let contact = model.contacts[r.contact]
            return ["id": .text(e(contact.id)), "name": .text(e(contact.name)), "date": .text(r.date.description),
                    "evaluation": .text(r.evaluation?.label ?? "")]
        })
        ctx["body"] = .text(body(c.body, format))
        return ctx
    }

    // MARK: contact

    public func contact(_ ci: Int, _ format: Settings.Format) -> TemplateValue {
        let e = esc(format)
        let c = model.contacts[ci]
        let ext = format.rawValue
        var ctx = common(format, root: "../", title: c.name)
        ctx["id"] = .text(e(c.id))
        ctx["name"] = .text(e(c.name))
        ctx["type"] = .text(c.type.rawValue)
        let codes = model.codes
        func codeList(_ table: String, _ values: [String]) -> String? {
            values.isEmpty ? nil : values.map { v in codes.description(table, v).map { "\(v) (\($0))" } ?? v }.joined(separator: ", ")
        }
        let company = c.company.flatMap { model.contact($0.value) }
        var fields: [TemplateValue?] = [
            row("Type", c.type.rawValue, e),
            row("Company", company?.id ?? c.company?.value, detail: company?.name, link: company.map { "\($0.id).\(ext)" }, e),
        ]
        let scalar: [(String, ContactField, String?)] = [
            ("Salesperson", .salesperson, "salespeople"), ("Territory", .territory, "territories"), ("Country", .country, "countries"),
            ("Language", .language, "languages"), ("Address", .address, nil), ("Address 2", .address_2, nil),
            ("Post code", .post_code, nil), ("City", .city, nil), ("County", .county, nil), ("E-mail", .email, nil),
            ("Phone", .phone, nil), ("Mobile", .mobile, nil), ("Website", .website, nil),
        ]
        for (label, field, table) in scalar {
            let v = c.values[field]
            fields.append(row(label, v, detail: table.flatMap { t in v.flatMap { codes.description(t, $0) } }, e))
        }
        fields += [
            row("Correspondence type", c.correspondenceType?.rawValue, e),
            row("Industry groups", codeList("industry_groups", c.industryGroups), e),
            row("Business relations", codeList("business_relations", c.businessRelations), e),
            row("Mailing groups", codeList("mailing_groups", c.mailingGroups), e),
            row("Job responsibilities", codeList("job_responsibilities", c.jobResponsibilities), e),
        ]
        for (question, answers) in c.profile {
            let q = codes.question(question)
            let text = answers.map { a in q?.answers.description(of: a).map { "\(a) (\($0))" } ?? a }.joined(separator: ", ")
            fields.append(row("Profile: " + (q?.description ?? question), text, e))
        }
        fields.append(row("Excluded from segments", c.excludeFromSegments ? "yes" : nil, e))
        fields.append(row("Created", c.created?.description, e))
        for (name, value) in c.fields { fields.append(row(name, value, e)) }
        ctx["fields"] = .list(fields.compactMap { $0 })
        ctx["body"] = .text(body(c.body, format))
        // Fields read where they are: `model.segments[si]` alone copies the whole segment (its
        // criteria, its values), once a membership of every contact page.
        let all = model.segments
        ctx["segments"] = .list(segments(of: ci).map { si, step -> TemplateValue in
            ["id": .text(e(all[si].id)), "description": .text(e(all[si].description ?? "")), "addedBy": .int(step)]
        })
        let entries = evaluation.entries
        let history = evaluation.facts.entriesByContact[ci].sorted { a, b in
            let da = entries[a].date, db = entries[b].date
            return da != db ? da > db : a < b
        }
        ctx["interactions"] = .list(history.map { ei -> TemplateValue in
            let x = evaluation.entries[ei]
            return ["date": .text(x.date.description), "batch": .text(e(x.batchID)), "link": .text("../interactions/\(x.batchID).\(format.rawValue)"),
                    "template": .text(e(x.template)), "description": .text(e(x.subject ?? x.description ?? "")),
                    "campaign": .text(e(x.campaign ?? "")), "evaluation": .text(x.evaluation?.label ?? ""),
                    "cost": .text(money(x.cost)), "duration": .text(minutes(x.duration)), "canceled": .bool(x.canceled),
                    "attemptFailed": .bool(x.attemptFailed)]
        })
        return ctx
    }

    // MARK: labels and CSV

    /// A member row's key (`TemplateRows.key`): what the row is made of besides the page —
    /// the contact's files, the step that added it, its channel.
    @inline(__always) static func rowKey(_ contact: UInt64, step: Int, email: Bool) -> UInt64 {
        RowSplice.mix(contact ^ RowSplice.mix(UInt64(step) << 1 | (email ? 1 : 0)))
    }

    /// The step that added each member, in member order (both lists ascend: one walk, not a
    /// search per member).
    static func steps(_ members: [Int], _ addedBy: StepNumbers?) -> [Int] {
        addedBy?.steps(of: members) ?? [Int](repeating: 0, count: members.count)
    }

    public func labels(_ si: Int) -> TemplateValue {
        let s = model.segments[si]
        let template = s.interactionTemplate.flatMap { model.template($0.value) }
        var labels: [Int] = []
        let rows = self.rows
        // Labels are for the envelopes: members who get their documents on paper.
        let channels = SheetRows.channels(s, template: template)
        evaluation.results[si]?.members.forEach { ci in
            if rows.channel(ci, channels) == .hardCopy { labels.append(ci) }
        }
        let key: ((Int) -> UInt64)? = contactKeys.map { keys in { keys[labels[$0]] } }
        return ["id": .text(s.id), "heading": .text("Address labels for segment \(s.id)"), "siteTitle": .text(model.settings.title),
                "count": .int(labels.count), "labels": .rows(TemplateRows(count: labels.count, key: key) { rows.label(labels[$0]) })]
    }

    /// The sheet's CSV, as bytes: each member's cells were encoded once per build. With a
    /// splice (and contact keys), a row made of what the last build's row was is copied from it.
    public func csv(_ si: Int) -> [UInt8] { csv(si, splice: nil) }

    func csv(_ si: Int, splice: RowSplice?) -> [UInt8] {
        let s = model.segments[si]
        let template = s.interactionTemplate.flatMap { model.template($0.value) }
        let header = SheetRows.csvHeader + ["salesperson", "correspondence_type", "added_by_step"]
        let result = evaluation.results[si]
        var out = Array(CSV.encode([header]).utf8)
        out.reserveCapacity(max(out.count + (result?.members.count ?? 0) * 160, splice?.expectedSize ?? 0))
        let segmentSalesperson = s.salesperson.map { Array(CSV.cell($0.value).utf8) }
        let rows = self.rows
        let cells = CorrespondenceType.allCases.map { Array(",\($0.rawValue),".utf8) }
        let channels = SheetRows.channels(s, template: template)
        func row(_ ci: Int, step: Int?) {
            let c = rows.csv(ci)
            out += c.prefix
            out += segmentSalesperson ?? c.salesperson
            out += cells[rows.channel(ci, channels) == .hardCopy ? 0 : 1]
            if let step { RecordLines.appendInteger(Int64(step), to: &out) }
            out.append(0x0D)
            out.append(0x0A)
        }
        guard let result else { return out }
        guard let splice, let contactKeys, splice.claim(section: 0, start: out.count) else {
            result.members.forEach { ci in row(ci, step: result.addedBy[ci]) }
            return out
        }
        // What every row shares: the page (salt) and that this is the CSV.
        let base = RowSplice.mix(splice.salt ^ 0x4353_5600)
        let members = result.members.indices
        let steps = Self.steps(members, result.addedBy)
        var keys: [UInt64] = [], ends: [Int] = [], copied = 0
        keys.reserveCapacity(members.count)
        ends.reserveCapacity(members.count)
        for (n, ci) in members.enumerated() {
            let key = RowSplice.key(base, Self.rowKey(contactKeys[ci], step: steps[n], email: rows.channel(ci, channels) == .email))
            if splice.copy(key, into: &out) { copied += 1 } else { row(ci, step: result.addedBy[ci]) }
            keys.append(key)
            ends.append(out.count)
        }
        splice.finish(keys: keys, ends: ends, copied: copied)
        return out
    }
}
