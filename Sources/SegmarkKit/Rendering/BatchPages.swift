import Foundation

/// What every logged batch gets (README, "Batches, letters and e-mails"): its page, its
/// mail-merge CSV, and — unless canceled — labels and print-ready letters for its hard_copy
/// entries and an e-mail draft per email entry. Made from the batch's own entries (a
/// snapshot of who was logged), whatever the as-of date, so a batch logged for a later date
/// has its documents too.
///
/// A class: each of a batch's files carries a closure that makes its bytes, and 583,000 of
/// them at L each copied the whole value (model, contexts, templates) into its closure.
final class BatchPages {
    let model: Model
    let contexts: PageContexts
    let templates: TemplateLibrary
    let merge: LetterMerge
    let formats: [Settings.Format]
    let companyNumber: [Int?]
    /// Each contact's e-mail address when it is one a draft can go to: checked once a contact,
    /// not once an entry (1,000,000 entries at L).
    private let mailAddresses: Lazy<[String?]>

    init(model: Model, evaluation: Evaluation, contexts: PageContexts, templates: TemplateLibrary, formats: [Settings.Format]) {
        mailAddresses = Lazy {
            parallelMap(model.contacts.count) { ci in model.contacts[ci].values[.email].flatMap { MailAddress.isValid($0) ? $0 : nil } }
        }
        self.model = model
        self.templates = templates
        self.contexts = contexts
        self.formats = formats
        self.merge = LetterMerge(model: model)
        self.companyNumber = evaluation.facts.companyNumber
    }

    /// A batch's entries, each value resolved from the entry, the batch, the template or the
    /// contact: the evaluation's where it has them; a batch dated after the as-of date is made from its file.
    func entries(_ bi: Int) -> [InteractionEntry] { contexts.entries(ofBatch: bi) }

    func company(of ci: Int) -> Contact? {
        model.contacts[ci].type == .person ? companyNumber[ci].map { model.contacts[$0] } : nil
    }

    static func channel(_ e: InteractionEntry) -> CorrespondenceType { e.correspondenceType ?? .email }

    /// The entry's e-mail address when it can get a draft.
    func mailAddress(_ e: InteractionEntry) -> String? { mailAddresses.get()[e.contact] }

    /// A file name for an id that is safe on every system: ids are already letters, digits,
    /// `.`, `_` and `-`; Windows also refuses device names (`CON`, `nul.txt`, `COM1`) and a
    /// name ending in a dot, which get a `_`.
    static func safeName(_ id: String) -> String {
        if id.hasSuffix(".") { return id + "_" }
        // Named once per e-mail draft (570,000 at L): an ASCII id whose part before any dot is
        // not three or four characters long is no device name.
        let utf8 = id.utf8
        if utf8.allSatisfy({ $0 < 0x80 }) {
            let length = utf8.firstIndex(of: 0x2E).map { utf8.distance(from: utf8.startIndex, to: $0) } ?? utf8.count
            if length != 3 && length != 4 { return id }
        }
        let base = id.split(separator: ".", maxSplits: 1).first.map { $0.uppercased() } ?? ""
        let numbered = (base.hasPrefix("COM") || base.hasPrefix("LPT")) && base.count == 4 && base.last!.isNumber
        return deviceNames.contains(base) || numbered ? id + "_" : id
    }

    static let deviceNames: Set<String> = ["CON", "PRN", "AUX", "NUL"]

    static func mailPath(_ batch: String, _ contact: String) -> String { mailFolder(batch) + safeName(contact) + ".eml" }

    /// The files a batch has, without their bytes: the page per format, the CSV, labels and
    /// letters (for hard_copy entries), each with its path; then an e-mail draft per entry of
    /// `mails`, whose path is `mailPath(batch, contact id)`.
    struct Files {
        enum Kind { case page(Settings.Format), csv, labels, letters(Settings.Format) }
        let batch: String
        let others: [(path: String, kind: Kind)]
        let paper: [InteractionEntry]
        let mails: [InteractionEntry]
    }

    /// The files of batch `bi`, in their fixed order; none for a batch without a date or an
    /// interaction template.
    /// - Parameter entries: the batch's entries when the caller has them (`entries(bi)`).
    func files(_ bi: Int, entries known: [InteractionEntry]? = nil) -> Files? {
        let b = model.batches[bi]
        guard b.date != nil, b.template.flatMap({ model.template($0.value) }) != nil else { return nil }
        let (paper, mails) = documents(bi, known ?? entries(bi))
        var others: [(String, Files.Kind)] = formats.map { ("interactions/\(b.id).\($0.rawValue)", .page($0)) }
        others.append(("interactions/\(b.id).csv", .csv))
        if !paper.isEmpty {
            if formats.contains(.html) { others.append(("interactions/\(b.id)-labels.html", .labels)) }
            others += formats.map { ("interactions/\(b.id)-letters.\($0.rawValue)", .letters($0)) }
        }
        return Files(batch: b.id, others: others, paper: paper, mails: mails)
    }

    /// Every file of a batch, in a fixed order: its path, the contact of an e-mail draft (whose
    /// signature is its own), and how to make its bytes.
    /// - Parameter entries: the batch's entries when the caller has them (`entries(bi)`).
    func outputs(_ bi: Int, entries known: [InteractionEntry]? = nil) -> [(path: String, contact: Int?, make: () throws -> [UInt8])] {
        let items = known ?? entries(bi)
        guard let files = files(bi, entries: items) else { return [] }
        let (paper, mails) = (files.paper, files.mails)
        var out: [(String, Int?, () throws -> [UInt8])] = files.others.map { path, kind in
            switch kind {
            case .page(let format):
                return (path, nil, { [self] in
                    try templates.render(page(bi, items, format, paper: paper.count, mails: mails), kind: "batch", format: format, page: path)
                })
            case .csv:
                return (path, nil, { [self] in csv(items) })
            case .labels:
                return (path, nil, { [self] in try templates.render(labels(bi, paper), kind: "labels", format: .html, page: path) })
            case .letters(let format):
                return (path, nil, { [self] in try templates.render(try letters(bi, paper, format), kind: "letters", format: format, page: path) })
            }
        }
        // A draft's closure holds the list and a place in it, not a copy of its entry (570,000
        // closures at L, each made by every build, though few drafts render after a change).
        out.reserveCapacity(out.count + mails.count)
        for (k, e) in mails.enumerated() {
            out.append((Self.mailPath(files.batch, model.contacts[e.contact].id), e.contact, { [self] in try mail(mails[k]) }))
        }
        return out
    }

    /// Whether `path` is the path of file `k` of `files` (as `outputs` lists them), compared
    /// on the bytes: no path is made for an e-mail draft.
    /// - Parameter mailFolder: `mailFolder(files.batch)`'s bytes.
    func isPath(_ path: UnsafeBufferPointer<UInt8>, of k: Int, in files: Files, mailFolder: [UInt8]) -> Bool {
        func equal(_ at: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            bytes.isEmpty || memcmp(path.baseAddress! + at, bytes.baseAddress!, bytes.count) == 0
        }
        if k < files.others.count {
            var other = files.others[k].path
            return other.withUTF8 { path.count == $0.count && equal(0, $0) }
        }
        var name = Self.safeName(model.contacts[files.mails[k - files.others.count].contact].id)
        return name.withUTF8 { name in
            let end = mailFolder.count + name.count
            return path.count == end + 4 && mailFolder.withUnsafeBufferPointer { equal(0, $0) } && equal(mailFolder.count, name)
                && path[end...].elementsEqual(".eml".utf8)
        }
    }

    /// The folder of a batch's e-mail drafts, ending in `/`.
    static func mailFolder(_ batch: String) -> String { "interactions/" + batch + "-mail/" }

    /// The entries that get a letter and those that get an e-mail draft: none for a canceled
    /// batch; inbound entries record what came in and get no documents either.
    func documents(_ bi: Int, _ items: [InteractionEntry]) -> (paper: [InteractionEntry], mails: [InteractionEntry]) {
        guard !model.batches[bi].canceled else { return ([], []) }
        let out = items.filter { $0.informationFlow != .inbound }
        let addresses = mailAddresses.get()
        return (out.filter { Self.channel($0) == .hardCopy }, out.filter { Self.channel($0) == .email && addresses[$0.contact] != nil })
    }


    func labels(_ bi: Int, _ paper: [InteractionEntry]) -> TemplateValue {
        let b = model.batches[bi]
        return ["id": .text(b.id), "heading": .text("Address labels for batch \(b.id)"), "siteTitle": .text(model.settings.title),
                "count": .int(paper.count), "labels": .list(paper.map { e in
                    let c = model.contacts[e.contact], company = company(of: e.contact)
                    let lines = SheetRows.labelLines(c, company: company, post: PostalAddress(of: c, company: company), codes: model.codes)
                    return ["lines": .list(lines.map(TemplateValue.text))]
                })]
    }

    // MARK: the batch page

    func page(_ bi: Int, _ items: [InteractionEntry], _ format: Settings.Format, paper: Int, mails: [InteractionEntry]) -> TemplateValue {
        let e = contexts.esc(format)
        let b = model.batches[bi]
        let ext = format.rawValue
        let currency = model.settings.currency.map { " " + $0 } ?? ""
        var ctx = contexts.common(format, root: "../", title: "Interaction batch \(b.id)")
        let template = b.template.flatMap { model.template($0.value) }
        let segment = b.segment.flatMap { model.segment($0.value) }
        let campaign = (b.values.campaign?.value ?? template?.campaign?.value).flatMap { model.campaign($0) }
        let total = InteractionEntry.sum(items, \.cost)
        ctx["id"] = .text(e(b.id))
        ctx["canceled"] = .bool(b.canceled)
        ctx["inbound"] = .bool(!items.isEmpty && items.allSatisfy { $0.informationFlow == .inbound })
        ctx["future"] = .bool((b.date ?? contexts.evaluation.asOf) > contexts.evaluation.asOf)
        ctx["header"] = .list([
            contexts.row("Date", b.date?.description, e),
            contexts.row("Interaction template", template?.id, detail: template?.description, e),
            contexts.row("Segment", segment?.id ?? b.segment?.value, detail: segment?.description, link: segment.map { "../segments/\($0.id).\(ext)" }, e),
            contexts.row("Campaign", campaign?.id, detail: campaign?.description, link: campaign.map { "../campaigns/\($0.id).\(ext)" }, e),
            contexts.row("Description", b.values.description ?? template?.description, e),
            contexts.row("Subject", b.values.subject, e),
            contexts.row("Salesperson", b.values.salesperson, detail: b.values.salesperson.flatMap { model.codes.description("salespeople", $0) }, e),
            contexts.row("Cost", contexts.money(total) + currency, e),
            contexts.row("Status", b.canceled ? "canceled: its entries leave every statistic, and it has no letters, e-mails or labels" : nil, e),
        ].compactMap { $0 })
        ctx["entryCount"] = .int(items.count)
        ctx["totalCost"] = .text(e(contexts.money(total) + currency))
        let mailed = Set(mails.map(\.contact))
        var lastValues: InteractionEntry.Values?, costText = ""  // entries sharing their values share the cost's text
        ctx["entries"] = .list(items.map { x -> TemplateValue in
            let c = model.contacts[x.contact]
            if lastValues !== x.shared {
                lastValues = x.shared
                costText = contexts.money(x.cost)
            }
            var row: TemplateValue = [
                "contact": .text(e(c.id)), "link": .text("../contacts/\(c.id).\(ext)"), "name": .text(e(c.name)),
                "channel": .text(Self.channel(x).rawValue), "salesperson": .text(e(x.salesperson ?? "")),
                "cost": .text(costText), "evaluation": .text(x.evaluation?.label ?? ""),
            ]
            if mailed.contains(x.contact) { row["mail"] = .text(Self.mailPath(b.id, c.id).dropFirst("interactions/".count).description) }
            if !b.canceled, x.informationFlow != .inbound, Self.channel(x) == .email, mailAddress(x) == nil {
                row["note"] = .text((c.values[.email] ?? "").isEmpty ? "no e-mail address" : "no e-mail address (not a valid address)")
            }
            return row
        })
        ctx["channels"] = .list(CorrespondenceType.allCases.compactMap { channel -> TemplateValue? in
            let n = items.filter { Self.channel($0) == channel }.count
            return n == 0 ? nil : ["channel": .text(channel.rawValue), "count": .int(n)]
        })
        if paper > 0 {
            ctx["letters"] = ["count": .int(paper), "link": .text("\(b.id)-letters.\(ext)")]
            if formats.contains(.html) { ctx["labels"] = ["count": .int(paper), "link": .text("\(b.id)-labels.html")] }
        }
        ctx["csv"] = .text("\(b.id).csv")
        ctx["hasMails"] = .bool(!mails.isEmpty)
        ctx["mails"] = .list(mails.map { x in
            ["contact": .text(e(model.contacts[x.contact].id)), "link": .text(Self.mailPath(b.id, model.contacts[x.contact].id).dropFirst("interactions/".count).description)]
        })
        ctx["body"] = .text(contexts.body(b.body, format))
        return ctx
    }

    // MARK: CSV, letters, e-mails

    /// The batch's mail-merge CSV: the sheets' columns (their cells as the sheets made them, when
    /// a sheet did), then the entry's own. Entries that share their values (those the batch
    /// lists without values of their own) share the cost's text too: a decimal is slow to write.
    func csv(_ items: [InteractionEntry]) -> [UInt8] {
        var out = Array(CSV.encode([SheetRows.csvHeader + ["salesperson", "correspondence_type", "cost", "evaluation"]]).utf8)
        out.reserveCapacity(out.count + items.count * 200)
        let rows = contexts.rowsIfMade
        var lastValues: InteractionEntry.Values?, costText: [UInt8] = []
        for x in items {
            if let prefix = rows?.madeCSVPrefix(x.contact) {
                out += prefix
            } else {
                let c = model.contacts[x.contact], company = company(of: x.contact)
                out += SheetRows.csvPrefix(c, company: company, post: PostalAddress(of: c, company: company)).utf8
            }
            if lastValues !== x.shared {
                lastValues = x.shared
                costText = Array(CSV.cell(contexts.money(x.cost)).utf8)
            }
            out += CSV.cell(x.salesperson ?? "").utf8
            out.append(UInt8(ascii: ","))
            out += Self.channel(x).rawValue.utf8
            out.append(UInt8(ascii: ","))
            out += costText
            out.append(UInt8(ascii: ","))
            out += CSV.cell(x.evaluation?.rawValue ?? "").utf8
            out += [0x0D, 0x0A]
        }
        return out
    }

    func letters(_ bi: Int, _ paper: [InteractionEntry], _ format: Settings.Format) throws -> TemplateValue {
        let e = contexts.esc(format)
        let b = model.batches[bi]
        var ctx = contexts.common(format, root: "../", title: "Letters \(b.id)")
        let sender = model.settings.sender
        ctx["id"] = .text(e(b.id))
        ctx["count"] = .int(paper.count)
        ctx["windowLeft"] = .text(Number.format(model.settings.letterWindow.left))
        ctx["windowTop"] = .text(Number.format(model.settings.letterWindow.top))
        // Sender lines are the workspace's own text: escaped like any other value.
        let senderLines = ([sender.name].compactMap { $0 } + sender.address + [sender.email].compactMap { $0 }).map { TemplateValue.text(e($0)) }
        var letters: [TemplateValue] = []
        letters.reserveCapacity(paper.count)
        for (n, x) in paper.enumerated() {
            let c = model.contacts[x.contact], company = company(of: x.contact)
            let lines = SheetRows.labelLines(c, company: company, post: PostalAddress(of: c, company: company), codes: model.codes)
            let merged = try merge.markdown(x, company: company, escaped: true)
            let body = format == .html ? MarkdownRenderer().html(merged.body) : Text.trimmingSpace(merged.body)
            letters.append(["contact": .text(e(c.id)), "sender": .list(senderLines), "address": .list(lines.map { .text(e($0)) }),
                            "date": .text(x.date.description), "subject": .text(e(merged.subject)), "body": .text(body),
                            "pageBreak": .bool(n > 0)])
        }
        ctx["letters"] = .list(letters)
        return ctx
    }

    func mail(_ x: InteractionEntry) throws -> [UInt8] {
        let c = model.contacts[x.contact], company = company(of: x.contact)
        let merged = try merge.markdownForMail(x, company: company)
        let sender = model.settings.sender
        return MailDraft(fromName: sender.name, fromAddress: sender.email, toName: c.name, toAddress: mailAddress(x) ?? "",
                         subject: merged.subject, date: x.date, batchID: x.batchID, contactID: c.id,
                         plain: merged.plain, html: MarkdownRenderer().html(merged.marked)).bytes()
    }
}
