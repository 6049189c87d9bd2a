/// What segment sheets show of each contact, made once per build: a contact appears on many
/// sheets, so its row cells, CSV cells and label lines are built once and shared (the work of
/// the sheets grows with members, not with members × the cost of formatting a contact).
struct SheetRows: Sendable {
    /// A member row's cells that do not depend on the segment (`cellKeys`), as fields every
    /// sheet's row of the contact shares: the template engine renders the stretch of a row
    /// that reads only these once per contact (`FragmentMemo`).
    typealias Cells = SharedFields

    static let cellKeys = ["id", "name", "companyName", "type", "salesperson"]
    static let labelKeys = ["lines"]

    /// The CSV cells up to the segment's own columns, encoded and joined, ending in a comma.
    struct CSVCells: Sendable {
        var prefix: [UInt8]
        var salesperson: [UInt8]
    }

    /// Everything a sheet shows of one contact.
    struct Row: Sendable {
        var html: Cells
        var md: Cells
        var csv: CSVCells
        var label: TemplateValue
    }

    let model: Model
    let evaluation: Evaluation
    /// Every contact's row, by part: made up front when every sheet renders (a cold build),
    /// else each part of a row the first time a page asks for it (a build after a change
    /// renders a few rows of a few sheets; `serve` renders the sheets someone opens).
    /// One table per part: a sheet in one format reads one part of each member's row.
    private let html: Table<Cells>, md: Table<Cells>, csvCells: Table<CSVCells>, labels: Table<TemplateValue>

    /// A part of every contact's row: all made at once, or each made on first use.
    private enum Table<T: Sendable>: Sendable {
        case made([T])
        case onRequest(LazyTable<T>)

        subscript(ci: Int) -> T {
            switch self {
            case .made(let all): return all[ci]
            case .onRequest(let table): return table[ci]
            }
        }

        func ifMade(_ ci: Int) -> T? {
            switch self {
            case .made(let all): return all[ci]
            case .onRequest(let table): return table.ifMade(ci)
            }
        }
    }
    /// Per contact: whether it is a company, and its own correspondence type (what a sheet's
    /// channel and counts need, without copying the contact).
    let isCompany: [Bool]
    let correspondence: [CorrespondenceType?]

    init(model: Model, evaluation: Evaluation, upFront: Bool = true) {
        self.model = model
        self.evaluation = evaluation
        isCompany = model.contacts.map { $0.type == .company }
        correspondence = model.contacts.map(\.correspondenceType)
        let count = model.contacts.count
        guard upFront else {
            html = .onRequest(LazyTable(count: count) { Self.cells($0, model: model, evaluation: evaluation) { $0 } })
            md = .onRequest(LazyTable(count: count) { Self.cells($0, model: model, evaluation: evaluation, MarkdownEscaping.cell) })
            csvCells = .onRequest(LazyTable(count: count) { Self.csvCells($0, model: model, evaluation: evaluation) })
            labels = .onRequest(LazyTable(count: count) { Self.label($0, model: model, evaluation: evaluation) })
            return
        }
        let rows = parallelMap(count, itemsPerWorker: 256) { ci in UncheckedBox(Self.make(ci, model: model, evaluation: evaluation)) }
        html = .made(rows.map(\.value.html))
        md = .made(rows.map(\.value.md))
        csvCells = .made(rows.map(\.value.csv))
        labels = .made(rows.map(\.value.label))
    }

    /// A member row's cells for a sheet in `format`.
    func cells(_ ci: Int, _ format: Settings.Format) -> Cells { format == .html ? html[ci] : md[ci] }

    func csv(_ ci: Int) -> CSVCells { csvCells[ci] }

    /// The contact's `csvPrefix` bytes when they were made already.
    func madeCSVPrefix(_ ci: Int) -> [UInt8]? { csvCells.ifMade(ci)?.prefix }

    func label(_ ci: Int) -> TemplateValue { labels[ci] }

    /// A segment's channel for each correspondence type a contact can have (nil, then each case):
    /// a sheet looks a member's channel up instead of asking the segment each time.
    static func channels(_ s: Segment, template: InteractionTemplate?) -> [CorrespondenceType] {
        ([nil] + CorrespondenceType.allCases.map { Optional($0) }).map { type in
            var probe = Contact(id: "", path: "", idLocation: SourceLocation(path: "", line: 1, column: 1), type: .company, name: "")
            probe.correspondenceType = type
            return s.channel(for: probe, template: template)
        }
    }

    /// The member's channel from `channels(_:template:)`.
    func channel(_ ci: Int, _ channels: [CorrespondenceType]) -> CorrespondenceType {
        switch correspondence[ci] {
        case nil: return channels[0]
        case .hardCopy?: return channels[1]
        case .email?: return channels[2]
        }
    }

    private static func company(_ ci: Int, model: Model, evaluation: Evaluation) -> Contact? {
        model.contacts[ci].type == .person ? evaluation.facts.companyNumber[ci].map { model.contacts[$0] } : nil
    }

    private static func cells(_ ci: Int, model: Model, evaluation: Evaluation, _ e: (String) -> String) -> Cells {
        let c = model.contacts[ci]
        let company = company(ci, model: model, evaluation: evaluation)
        return Cells(id: ci, keys: cellKeys, values: [.text(e(c.id)), .text(e(c.name)), .text(e(company?.name ?? "")),
                                                       .text(c.type.rawValue), .text(e(c.values[.salesperson] ?? ""))])
    }

    private static func make(_ ci: Int, model: Model, evaluation: Evaluation) -> Row {
        let company = company(ci, model: model, evaluation: evaluation)
        let post = PostalAddress(of: model.contacts[ci], company: company)
        return Row(html: cells(ci, model: model, evaluation: evaluation) { $0 },
                   md: cells(ci, model: model, evaluation: evaluation, MarkdownEscaping.cell),
                   csv: csvCells(ci, model: model, company: company, post: post),
                   label: label(ci, model: model, company: company, post: post))
    }

    private static func csvCells(_ ci: Int, model: Model, evaluation: Evaluation) -> CSVCells {
        let company = company(ci, model: model, evaluation: evaluation)
        return csvCells(ci, model: model, company: company, post: PostalAddress(of: model.contacts[ci], company: company))
    }

    private static func csvCells(_ ci: Int, model: Model, company: Contact?, post: PostalAddress) -> CSVCells {
        let c = model.contacts[ci]
        return CSVCells(prefix: Array(csvPrefix(c, company: company, post: post).utf8), salesperson: Array(CSV.cell(c.values[.salesperson] ?? "").utf8))
    }

    private static func label(_ ci: Int, model: Model, evaluation: Evaluation) -> TemplateValue {
        let company = company(ci, model: model, evaluation: evaluation)
        return label(ci, model: model, company: company, post: PostalAddress(of: model.contacts[ci], company: company))
    }

    private static func label(_ ci: Int, model: Model, company: Contact?, post: PostalAddress) -> TemplateValue {
        let lines = TemplateValue.list(labelLines(model.contacts[ci], company: company, post: post, codes: model.codes).map(TemplateValue.text))
        return .object(TemplateObject([], shared: SharedFields(id: ci, keys: labelKeys, values: [lines])))
    }

    /// The mail-merge CSV's columns, shared by sheets and batches (the columns after these are their own).
    static let csvHeader = ["id", "type", "name", "company_id", "company_name", "address", "address_2", "post_code", "city",
                            "county", "country", "email", "phone", "mobile", "language"]

    /// The `csvHeader` cells of a contact, encoded and joined, ending in a comma; a person without an address of its own gets its company's.
    static func csvPrefix(_ c: Contact, company: Contact?, post: PostalAddress) -> String {
        let v = { (f: ContactField) in c.values[f] ?? "" }
        let cells = [c.id, c.type.rawValue, c.name, company?.id ?? "", company?.name ?? "",
                     post.address, post.address2, post.postCode, post.city, post.county, post.country, v(.email), v(.phone), v(.mobile),
                     v(.language)]
        return cells.map(CSV.cell).joined(separator: ",") + ","
    }

    /// An address label's (and a letter's address block's) lines: the name, a person's
    /// company, then the postal address.
    static func labelLines(_ c: Contact, company: Contact?, post: PostalAddress, codes: Codes) -> [String] {
        var lines = [c.name]
        if let company { lines.append(company.name) }
        return lines + post.lines(codes: codes)
    }
}
