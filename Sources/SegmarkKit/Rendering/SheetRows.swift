/// What segment sheets show of each contact, made once per build: a contact appears on many
/// sheets, so its row cells, CSV cells and label lines are built once and shared (the work of
/// the sheets grows with members, not with members × the cost of formatting a contact).
struct SheetRows: Sendable {
    /// A member row's cells that do not depend on the segment, as template values.
    struct Cells: Sendable {
        var id, name, companyName, type, salesperson: TemplateValue
    }

    /// The CSV cells up to the segment's own columns, encoded and joined, ending in a comma.
    struct CSVCells: Sendable {
        var prefix: String
        var salesperson: String
    }

    let html: [Cells]
    let md: [Cells]
    let csv: [CSVCells]
    let labels: [TemplateValue]

    /// None: for a build that renders no sheet.
    init() {
        html = []
        md = []
        csv = []
        labels = []
    }

    init(model: Model, evaluation: Evaluation) {
        let built = parallelMap(model.contacts.count, itemsPerWorker: 256) { ci in
            UncheckedBox(Self.make(ci, model: model, evaluation: evaluation))
        }
        html = built.map(\.value.html)
        md = built.map(\.value.md)
        csv = built.map(\.value.csv)
        labels = built.map(\.value.label)
    }

    private static func make(_ ci: Int, model: Model, evaluation: Evaluation) -> (html: Cells, md: Cells, csv: CSVCells, label: TemplateValue) {
        let c = model.contacts[ci]
        let company = c.type == .person ? evaluation.facts.companyNumber[ci].map { model.contacts[$0] } : nil
        let salesperson = c.values[.salesperson] ?? ""
        func cells(_ e: (String) -> String) -> Cells {
            Cells(id: .text(e(c.id)), name: .text(e(c.name)), companyName: .text(e(company?.name ?? "")),
                  type: .text(c.type.rawValue), salesperson: .text(e(salesperson)))
        }
        let v = { (f: ContactField) in c.values[f] ?? "" }
        let fixed = [c.id, c.type.rawValue, c.name, company?.id ?? "", company?.name ?? "",
                     v(.address), v(.address_2), v(.post_code), v(.city), v(.county), v(.country), v(.email), v(.phone), v(.mobile),
                     v(.language)]
        var lines = [c.name]
        if let company { lines.append(company.name) }
        for f in [ContactField.address, .address_2] { if let value = c.values[f], !value.isEmpty { lines.append(value) } }
        let town = [c.values[.post_code], c.values[.city]].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        if !town.isEmpty { lines.append(town) }
        if let country = c.values[.country] { lines.append(model.codes.description("countries", country) ?? country) }
        return (cells { $0 }, cells(MarkdownEscaping.cell),
                CSVCells(prefix: fixed.map(CSV.cell).joined(separator: ",") + ",", salesperson: CSV.cell(salesperson)),
                ["lines": .list(lines.map(TemplateValue.text))])
    }
}
