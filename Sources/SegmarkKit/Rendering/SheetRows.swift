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
    /// Every contact's row, when made up front (a build renders every sheet); nil when each row
    /// is made as a page asks for it (`serve` renders the few sheets someone opens).
    private let all: [Row]?

    init(model: Model, evaluation: Evaluation, upFront: Bool = true) {
        self.model = model
        self.evaluation = evaluation
        all = upFront ? parallelMap(model.contacts.count, itemsPerWorker: 256) { ci in
            UncheckedBox(Self.make(ci, model: model, evaluation: evaluation))
        }.map(\.value) : nil
    }

    /// A member row's cells for a sheet in `format`.
    func cells(_ ci: Int, _ format: Settings.Format) -> Cells {
        if let all { return format == .html ? all[ci].html : all[ci].md }
        return Self.cells(ci, model: model, evaluation: evaluation, format == .html ? { $0 } : MarkdownEscaping.cell)
    }

    func csv(_ ci: Int) -> CSVCells { all?[ci].csv ?? Self.make(ci, model: model, evaluation: evaluation).csv }

    func label(_ ci: Int) -> TemplateValue { all?[ci].label ?? Self.make(ci, model: model, evaluation: evaluation).label }

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
        let c = model.contacts[ci]
        let company = company(ci, model: model, evaluation: evaluation)
        let post = PostalAddress(of: c, company: company)
        let lines = TemplateValue.list(labelLines(c, company: company, post: post, codes: model.codes).map(TemplateValue.text))
        return Row(html: cells(ci, model: model, evaluation: evaluation) { $0 },
                   md: cells(ci, model: model, evaluation: evaluation, MarkdownEscaping.cell),
                   csv: CSVCells(prefix: Array(csvPrefix(c, company: company, post: post).utf8),
                                 salesperson: Array(CSV.cell(c.values[.salesperson] ?? "").utf8)),
                   label: .object(TemplateObject([], shared: SharedFields(id: ci, keys: labelKeys, values: [lines]))))
    }

    /// The mail-merge CSV's columns, shared by sheets and batches (the columns after these are their own).
    static let csvHeader = ["id", "type", "name", "company_id", "company_name", "address", "address_2", "post_code", "city",
                            "county", "country", "email", "phone", "mobile", "language"]

    /// The `csvHeader` cells of a contact, encoded and joined, ending in a comma; the address is R79's.
    static func csvPrefix(_ c: Contact, company: Contact?, post: PostalAddress) -> String {
        let v = { (f: ContactField) in c.values[f] ?? "" }
        let cells = [c.id, c.type.rawValue, c.name, company?.id ?? "", company?.name ?? "",
                     post.address, post.address2, post.postCode, post.city, post.county, post.country, v(.email), v(.phone), v(.mobile),
                     v(.language)]
        return cells.map(CSV.cell).joined(separator: ",") + ","
    }

    /// An address label's (and a letter's address block's) lines: the name, a person's
    /// company, then the postal address (R79).
    static func labelLines(_ c: Contact, company: Contact?, post: PostalAddress, codes: Codes) -> [String] {
        var lines = [c.name]
        if let company { lines.append(company.name) }
        return lines + post.lines(codes: codes)
    }
}
