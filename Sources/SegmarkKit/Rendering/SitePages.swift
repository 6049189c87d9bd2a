/// One page of the site, named by what it shows (a record's index and a format), not by its path.
public enum PageRef: Hashable, Sendable {
    case asset(Int)
    case index(Settings.Format)
    /// Page number (1-based) of the contacts directory.
    case directory(Int, Settings.Format)
    case sheet(Int, Settings.Format)
    case sheetCSV(Int)
    case sheetLabels(Int)
    case campaign(Int, Settings.Format)
    /// A batch's file: the batch, and the file's place among `BatchPages.outputs`.
    case batchFile(Int, Int)
    case contact(Int, Settings.Format)
}

/// Every page a build makes — where it goes and how its bytes are made — for one model,
/// evaluation and template library. `build` renders them all in order (`SiteRenderer`);
/// `serve` finds the page a request names and renders it then.
public struct SitePages {
    public let model: Model
    public let evaluation: Evaluation
    public let templates: TemplateLibrary
    /// The formats built, in a fixed order.
    public let formats: [Settings.Format]
    let contexts: PageContexts
    let batches: BatchPages
    /// Member rows and labels rendered once per contact and format, for every sheet they are on.
    let memos = (html: FragmentMemo(), md: FragmentMemo())

    public init(model: Model, evaluation: Evaluation, templates: TemplateLibrary, formats: [Settings.Format],
                history: [String: FileChange] = [:], memberships: Memberships? = nil, onRequest: Bool = false, contactKeys: [UInt64]? = nil) {
        self.model = model
        self.evaluation = evaluation
        self.templates = templates
        let formats = Settings.Format.allCases.filter { formats.contains($0) }
        self.formats = formats
        var contexts = PageContexts(model: model, evaluation: evaluation, history: history, formats: formats, memberships: memberships,
                                    onRequest: onRequest)
        contexts.contactKeys = contactKeys
        self.contexts = contexts
        batches = BatchPages(model: model, evaluation: evaluation, contexts: contexts, templates: templates, formats: formats)
    }

    public var directoryPageCount: Int { contexts.directoryPageCount }

    // MARK: paths

    /// The pages of a segment sheet: the sheet per format, its CSV, and its labels when HTML is built.
    func sheetRefs(_ si: Int) -> [PageRef] {
        formats.map { .sheet(si, $0) } + [.sheetCSV(si)] + (formats.contains(.html) ? [.sheetLabels(si)] : [])
    }

    /// Where a page goes, relative to the output folder.
    func path(_ ref: PageRef) -> String {
        switch ref {
        case .asset(let i): return templates.assets[i].path
        case .index(let f): return "index.\(f.rawValue)"
        case .directory(let page, let f): return PageContexts.directoryPath(page, f.rawValue)
        case .sheet(let si, let f): return "segments/\(model.segments[si].id).\(f.rawValue)"
        case .sheetCSV(let si): return "segments/\(model.segments[si].id).csv"
        case .sheetLabels(let si): return "segments/\(model.segments[si].id)-labels.html"
        case .campaign(let ci, let f): return "campaigns/\(model.campaigns[ci].id).\(f.rawValue)"
        case .batchFile(let bi, let k): return batches.outputs(bi)[k].path
        case .contact(let ci, let f): return "contacts/\(model.contacts[ci].id).\(f.rawValue)"
        }
    }

    /// The page a path names, or nil when the site has no such page: the path is read back
    /// into a record's id and a format, and accepted only when that page's own path is exactly
    /// the path asked for (so `contacts/ct001.html` does not find CT001's page).
    public func ref(for path: String) -> PageRef? {
        if let i = templates.assets.firstIndex(where: { $0.path == path }) { return .asset(i) }
        let parts = path.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let folder = parts.count == 2 ? parts[0] : "", name = parts.last ?? ""
        func stripped(_ suffix: String) -> String? { name.hasSuffix(suffix) ? String(name.dropLast(suffix.count)) : nil }
        var candidates: [PageRef] = []
        switch folder {
        case "":
            for f in formats {
                candidates.append(.index(f))
                guard let base = stripped("." + f.rawValue) else { continue }
                if base == "contacts" { candidates.append(.directory(1, f)) }
                if base.hasPrefix("contacts-"), let n = Int(base.dropFirst("contacts-".count)), n >= 2, n <= directoryPageCount {
                    candidates.append(.directory(n, f))
                }
            }
        case "segments":
            let sheet = { (id: String?) -> Int? in id.flatMap { model.segmentIndex[Text.fold($0)] } }
            for f in formats { if let si = sheet(stripped("." + f.rawValue)) { candidates.append(.sheet(si, f)) } }
            if let si = sheet(stripped(".csv")) { candidates.append(.sheetCSV(si)) }
            if formats.contains(.html), let si = sheet(stripped("-labels.html")) { candidates.append(.sheetLabels(si)) }
        case "campaigns":
            for f in formats { if let ci = stripped("." + f.rawValue).flatMap({ model.campaignIndex[Text.fold($0)] }) { candidates.append(.campaign(ci, f)) } }
        case "contacts":
            for f in formats { if let ci = stripped("." + f.rawValue).flatMap({ model.contactIndex[Text.fold($0)] }) { candidates.append(.contact(ci, f)) } }
        case "interactions":
            // A batch's page, CSV, labels, letters, or an e-mail draft in its `-mail` folder.
            var ids = [".html", ".md", ".csv", "-labels.html", "-letters.html", "-letters.md"].compactMap(stripped)
            if let mail = name.range(of: "-mail/", options: .backwards) { ids.append(String(name[..<mail.lowerBound])) }
            for id in ids {
                guard let bi = model.batchIndex[Text.fold(id)],
                      let k = batches.outputs(bi).firstIndex(where: { $0.path == path }) else { continue }
                return .batchFile(bi, k)
            }
        default:
            break
        }
        return candidates.first { self.path($0) == path }
    }

    // MARK: bytes

    /// The page's bytes, rendered through the templates; a page whose template runs away
    /// (`TemplateSet.Overrun`) is an error at that template.
    public func bytes(_ ref: PageRef) throws -> [UInt8] { try bytes(ref, splice: nil) }

    /// - Parameter splice: for a sheet or a labels page, the rows the last build wrote of it
    ///   (unchanged rows are copied), and where this render records its rows.
    func bytes(_ ref: PageRef, splice: RowSplice?) throws -> [UInt8] {
        var page: String { path(ref) }  // made only for an error
        switch ref {
        case .asset(let i): return templates.assets[i].bytes
        case .index(let f): return try templates.render(contexts.index(f), kind: "index", format: f, page: page)
        case .directory(let n, let f): return try templates.render(contexts.directory(n, f), kind: "contacts", format: f, page: page)
        case .sheet(let si, let f):
            return try templates.render(contexts.segment(si, f), kind: "segment", format: f, memo: f == .html ? memos.html : memos.md,
                                        splice: splice, page: page)
        case .sheetCSV(let si): return contexts.csv(si, splice: splice)
        case .sheetLabels(let si): return try templates.render(contexts.labels(si), kind: "labels", format: .html, memo: memos.html, splice: splice, page: page)
        case .campaign(let ci, let f): return try templates.render(contexts.campaign(ci, f), kind: "campaign", format: f, page: page)
        case .batchFile(let bi, let k): return try batches.outputs(bi)[k].make()
        case .contact(let ci, let f): return try templates.render(contexts.contact(ci, f), kind: "contact", format: f, page: page)
        }
    }
}
