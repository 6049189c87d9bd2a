/// Stage 4: renders every report the README lists under "What build writes" through the templates, page by page, handing each
/// (path, bytes) to a sink in a fixed order. Pages of a kind render in parallel.
public struct SiteRenderer {
    public let model: Model
    public let evaluation: Evaluation
    public let templates: TemplateLibrary
    public let formats: [Settings.Format]
    public let history: [String: FileChange]

    public init(model: Model, evaluation: Evaluation, templates: TemplateLibrary, formats: [Settings.Format],
                history: [String: FileChange] = [:]) {
        self.history = history
        self.model = model
        self.evaluation = evaluation
        self.templates = templates
        self.formats = formats
    }

    /// A page handed to the sink: its path, its signature (what it was made from) and its
    /// bytes — nil when `keep` said the page already on disk was made from the same inputs.
    public typealias Sink = (_ path: String, _ signature: UInt64, _ bytes: [UInt8]?) throws -> Void

    /// - Parameters:
    ///   - context: what every page depends on besides the workspace files (templates, as-of
    ///     date, formats, the program, history).
    ///   - keep: asked with a page's path and signature; true when that page is on disk as made
    ///     from the same inputs, so it need not be rendered again.
    ///   - progress: called after each chunk of pages with (kind, done, total of that kind).
    public func render(context: UInt64 = 0, keep: @escaping @Sendable (String, UInt64) -> Bool = { _, _ in false },
                       progress: ((String, Int, Int) -> Void)? = nil, into sink: Sink) throws {
        let signatures = PageSignatures(model: model, evaluation: evaluation, global: PageSignatures.global(model: model, context: context))
        let formats = Settings.Format.allCases.filter { self.formats.contains($0) }
        // Sheets to render decide whether the shared sheet rows are worth making.
        let model = self.model, evaluation = self.evaluation
        let segmentSignatures = parallelMap(model.segments.count) { si in signatures.segmentPages(si, model: model, evaluation: evaluation) }
        let sheetPaths = { (id: String) -> [String] in
            formats.map { "segments/\(id).\($0.rawValue)" } + ["segments/\(id).csv"] + (formats.contains(.html) ? ["segments/\(id)-labels.html"] : [])
        }
        let dirtySheets = model.segments.indices.filter { si in
            sheetPaths(model.segments[si].id).contains { !keep($0, segmentSignatures[si]) }
        }
        let contexts = PageContexts(model: model, evaluation: evaluation, history: history, sheetRows: !dirtySheets.isEmpty, formats: formats,
                                    memberships: signatures.memberships)
        for asset in templates.assets {
            try sink(asset.path, Fingerprint.ofFile(asset.bytes), asset.bytes)
        }
        for format in formats {
            // The overview shows a little of everything: always rendered (one page).
            try sink("index.\(format.rawValue)", 0, templates.render(contexts.index(format), kind: "index", format: format))
        }
        // The contacts directory: a contact's row shows its file and how many segments it is in.
        let directoryPages = contexts.directoryPageCount
        try renderKind("contacts directory", count: directoryPages, chunk: 8, progress: progress, sink: sink) { page in
            let lo = page * PageContexts.directoryPageSize
            let signature = signatures.directoryPage(contacts: lo..<min(model.contacts.count, lo + PageContexts.directoryPageSize), pages: directoryPages)
            return formats.map { format in
                let path = PageContexts.directoryPath(page + 1, format.rawValue)
                return Page(path, signature, keep(path, signature) ? nil : templates.render(contexts.directory(page + 1, format), kind: "contacts", format: format))
            }
        }
        // A segment sheet can hold 100,000 members: render a core's worth at a time to bound memory.
        try renderKind("segments", count: model.segments.count, chunk: 4, progress: progress, sink: sink) { si in
            let id = model.segments[si].id
            let signature = segmentSignatures[si]
            var pages: [Page] = []
            for format in formats {
                let path = "segments/\(id).\(format.rawValue)"
                pages.append(Page(path, signature, keep(path, signature) ? nil : templates.render(contexts.segment(si, format), kind: "segment", format: format)))
            }
            let csv = "segments/\(id).csv"
            pages.append(Page(csv, signature, keep(csv, signature) ? nil : Array(contexts.csv(si).utf8)))
            if formats.contains(.html) {
                let labels = "segments/\(id)-labels.html"
                pages.append(Page(labels, signature, keep(labels, signature) ? nil : templates.html.render("labels", contexts.labels(si))))
            }
            return pages
        }
        try renderKind("campaigns", count: model.campaigns.count, chunk: 4, progress: progress, sink: sink) { ci in
            let signature = signatures.campaignPage(ci, model: model, evaluation: evaluation, entries: contexts.entryIndices(campaign: ci))
            return formats.map { format in
                let path = "campaigns/\(model.campaigns[ci].id).\(format.rawValue)"
                return Page(path, signature, keep(path, signature) ? nil : templates.render(contexts.campaign(ci, format), kind: "campaign", format: format))
            }
        }
        // Each logged batch: its page, CSV, labels, letters and e-mail drafts (§10).
        let batches = BatchPages(model: model, evaluation: evaluation, contexts: contexts, templates: templates, formats: formats)
        try renderKind("batches", count: model.batches.count, chunk: 4, progress: progress, sink: sink) { bi in
            let signature = signatures.batchPages(bi, model: model, entries: batches.entries[bi])
            return batches.outputs(bi).map { file in
                let own = file.contact.map { signatures.mailDraft(bi, contact: $0) } ?? signature
                return Page(file.path, own, keep(file.path, own) ? nil : file.make())
            }
        }
        try renderKind("contacts", count: model.contacts.count, chunk: 512, progress: progress, sink: sink) { ci in
            let signature = signatures.contactPage(ci, evaluation: evaluation)
            return formats.map { format in
                let path = "contacts/\(model.contacts[ci].id).\(format.rawValue)"
                return Page(path, signature, keep(path, signature) ? nil : templates.render(contexts.contact(ci, format), kind: "contact", format: format))
            }
        }
    }

    struct Page {
        var path: String
        var signature: UInt64
        var bytes: [UInt8]?
        init(_ path: String, _ signature: UInt64, _ bytes: [UInt8]?) {
            self.path = path
            self.signature = signature
            self.bytes = bytes
        }
    }

    /// Renders in chunks across cores and hands pages to the sink in index order; the next
    /// chunk renders while this thread writes the current one.
    func renderKind(_ kind: String, count: Int, chunk: Int, progress: ((String, Int, Int) -> Void)?, sink: Sink,
                    _ page: @escaping (Int) -> [Page]) throws {
        guard count > 0 else { return }
        let box = UncheckedBox(page)
        let render: @Sendable (Int, Int) -> [UncheckedBox<[Page]>] = { lo, hi in
            parallelMap(hi - lo, itemsPerWorker: chunk >= 64 ? 16 : 1) { i in UncheckedBox(box.value(lo + i)) }
        }
        var end = min(count, chunk)
        var current = render(0, end)
        while true {
            let lo = end, hi = min(count, end + chunk)
            let next = lo < count ? Pending { render(lo, hi) } : nil
            defer { _ = next?.wait() }  // never leave a chunk rendering behind an error
            for group in current { for p in group.value { try sink(p.path, p.signature, p.bytes) } }
            progress?(kind, end, count)
            guard let next else { return }
            current = next.wait()
            end = hi
        }
    }
}

/// Carries a value the renderer only reads across threads (template libraries and contexts are immutable).
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
