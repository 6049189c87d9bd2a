/// Stage 4: renders every report the README lists under "What build writes" through the templates, page by page, handing each
/// (path, bytes) to a sink in a fixed order. Pages of a kind render in parallel.
public struct SiteRenderer {
    public let model: Model
    public let evaluation: Evaluation
    public let templates: TemplateLibrary
    public let formats: [Settings.Format]
    public let history: [String: FileChange]
    /// Whether most pages are expected to be kept (a build after a change): what a sheet shows
    /// of a contact is then made for the rows that render, not for every contact up front.
    public let fewPages: Bool

    public init(model: Model, evaluation: Evaluation, templates: TemplateLibrary, formats: [Settings.Format],
                history: [String: FileChange] = [:], fewPages: Bool = false) {
        self.history = history
        self.fewPages = fewPages
        self.model = model
        self.evaluation = evaluation
        self.templates = templates
        self.formats = formats
    }

    /// A page handed to the sink: its path, its signature (what it was made from) and what
    /// `keep` said of it (the page on disk was made from the same inputs) or else what
    /// `prepare` made of its bytes.
    public typealias Sink<Ready> = (_ path: String, _ signature: UInt64, _ ready: Ready) throws -> Void

    /// - Parameters:
    ///   - context: what every page depends on besides the workspace files (templates, as-of
    ///     date, formats, the program, history).
    ///   - keep: asked with a page's path and signature; not nil when that page is on disk as
    ///     made from the same inputs, so it need not be rendered again.
    ///   - progress: called after each chunk of pages with (kind, done, total of that kind).
    ///   - rows: where the rows of sheets and labels pages are kept between builds; with it, a
    ///     sheet rendered again copies its unchanged rows from the page the last build wrote.
    ///   - prepare: done with each page's path and bytes (and their `Fingerprint.ofFile` when
    ///     known) on the thread that rendered it (the writer hashes and stages them there); the
    ///     sink gets the result, in build order.
    ///   - keepRun: asked with the path of a batch's first file, the signature of each of its
    ///     files and a test of each one's path; not nil when all of them are on disk as made
    ///     from the same inputs (the sink then gets the batch as one page, at its first path).
    func render<Ready>(context: UInt64 = 0, keep: @escaping @Sendable (String, UInt64) -> Ready?,
                       keepRun: (@Sendable (String, [UInt64], (UnsafeBufferPointer<UInt8>, Int) -> Bool) -> Ready?)? = nil, rows: RowRecords? = nil,
                       progress: ((String, Int, Int) -> Void)? = nil, prepare: @escaping @Sendable (String, [UInt8], UInt64?) -> Ready,
                       failed report: @escaping @Sendable (Error) -> Ready, into sink: Sink<Ready>) throws {
        // After a page fails, the pages still to render fail at once with the same error
        // (a template that runs away would otherwise take seconds a page, chunk after chunk).
        let firstError = FirstError()
        let failed: @Sendable (Error) -> Ready = { report(firstError.keep($0)) }
        let signatures = PageSignatures(model: model, evaluation: evaluation, global: PageSignatures.global(model: model, context: context))
        let model = self.model, evaluation = self.evaluation
        let site = SitePages(model: model, evaluation: evaluation, templates: templates, formats: formats, history: history,
                             memberships: signatures.memberships, onRequest: fewPages, contactKeys: rows == nil ? nil : signatures.contact)
        /// A page whose signature says it is on disk as made from the same inputs is not rendered.
        func page(_ ref: PageRef, _ signature: UInt64) -> Page<Ready> {
            let path = site.path(ref)
            if let error = firstError.error { return Page(path, signature, failed(error)) }
            if let kept = keep(path, signature) { return Page(path, signature, kept) }
            switch ref {
            case .sheet(let si, _), .sheetCSV(let si), .sheetLabels(let si):
                guard let rows else { break }
                // What every row of the page reads besides its own contact: the settings,
                // templates and codes (global), and the segment's file.
                var salt = Fingerprint()
                salt.combine(signatures.global)
                salt.combine(signatures.segmentFile[si])
                let splice = RowSplice(salt: salt.value, last: rows.last(path), proven: true)
                let bytes: [UInt8]
                do { bytes = try site.bytes(ref, splice: splice) } catch { return Page(path, signature, failed(error)) }
                let record = splice.record(of: bytes)
                rows.save(path, record)
                return Page(path, signature, prepare(path, bytes, record?.file))
            default:
                break
            }
            do { return Page(path, signature, prepare(path, try site.bytes(ref), nil)) } catch { return Page(path, signature, failed(error)) }
        }
        let pageMaker = UncheckedBox(page)  // the site and `keep` are only read, from any thread
        for i in templates.assets.indices {
            let bytes = try site.bytes(.asset(i)), path = site.path(.asset(i))
            let hash = Fingerprint.ofFile(bytes)
            try sink(path, hash, prepare(path, bytes, hash))
        }
        for format in site.formats {
            // The overview shows a little of everything: always rendered (one page).
            let path = site.path(.index(format))
            try sink(path, 0, prepare(path, try site.bytes(.index(format)), nil))
        }
        // The contacts directory: a contact's row shows its file and how many segments it is in.
        let directoryPages = site.directoryPageCount
        try renderKind("contacts directory", count: directoryPages, chunk: 8, progress: progress, sink: sink) { n in
            let lo = n * PageContexts.directoryPageSize
            let signature = signatures.directoryPage(contacts: lo..<min(model.contacts.count, lo + PageContexts.directoryPageSize), pages: directoryPages)
            return site.formats.map { page(.directory(n + 1, $0), signature) }
        }
        // Sixteen segments a chunk: a page is staged by the thread that rendered it, so a chunk
        // holds paths and hashes, not bytes, and larger chunks leave the cores idle less often
        // at their ends (a sheet can hold 100,000 members; four a chunk left a core idle).
        try renderKind("segments", count: model.segments.count, chunk: 16, progress: progress, sink: sink) { si in
            let signature = signatures.segmentPages(si, model: model, evaluation: evaluation)
            // A sheet's four files render side by side: after one contact changed, a few big
            // sheets are all there is to render, and one sheet at a time would leave a core idle.
            let refs = site.sheetRefs(si)
            return parallelMap(refs.count, itemsPerWorker: 1) { UncheckedBox(pageMaker.value(refs[$0], signature)) }.map(\.value)
        }
        site.memos.html.clear()  // no other page shows member rows or sheet labels
        site.memos.md.clear()
        try renderKind("campaigns", count: model.campaigns.count, chunk: 4, progress: progress, sink: sink) { ci in
            let signature = signatures.campaignPage(ci, model: model, evaluation: evaluation, entries: site.contexts.entryIndices(campaign: ci))
            return site.formats.map { page(.campaign(ci, $0), signature) }
        }
        // Each logged batch: its page, CSV, labels, letters and e-mail drafts; 64 batches a chunk
        // (four a chunk used 1.3 of 2 cores during a cold build's batches at S: see segments).
        try renderKind("batches", count: model.batches.count, chunk: 64, progress: progress, sink: sink) { bi in
            let entries = site.batches.entries(bi)
            let signature = signatures.batchPages(bi, model: model, entries: entries)
            // After a change most batches are as the last build left them: such a batch is
            // kept whole, its files named by their places in the last build's record.
            if let keepRun, let files = site.batches.files(bi, entries: entries) {
                let own = [UInt64](repeating: signature, count: files.others.count)
                    + files.mails.map { signatures.mailDraft(bi, contact: $0.contact) }
                let mailFolder = Array(BatchPages.mailFolder(files.batch).utf8)
                let first = files.others[0].path
                if let kept = keepRun(first, own, { site.batches.isPath($0, of: $1, in: files, mailFolder: mailFolder) }) {
                    return [Page(first, signature, kept)]
                }
            }
            // A batch's files render side by side too: one batch can hold thousands of e-mail
            // drafts, which in turn would keep one core busy while the other waits at the
            // chunk's end.
            let files = UncheckedBox(site.batches.outputs(bi, entries: entries))
            return parallelMap(files.value.count, itemsPerWorker: 32) { i in
                let file = files.value[i]
                let own = file.contact.map { signatures.mailDraft(bi, contact: $0) } ?? signature
                if let error = firstError.error { return UncheckedBox(Page(file.path, own, failed(error))) }
                if let kept = keep(file.path, own) { return UncheckedBox(Page(file.path, own, kept)) }
                do { return UncheckedBox(Page(file.path, own, prepare(file.path, try file.make(), nil))) } catch {
                    return UncheckedBox(Page(file.path, own, failed(error)))
                }
            }.map(\.value)
        }
        try renderKind("contacts", count: model.contacts.count, chunk: 512, progress: progress, sink: sink) { ci in
            let signature = signatures.contactPage(ci, evaluation: evaluation)
            return site.formats.map { page(.contact(ci, $0), signature) }
        }
    }

    struct Page<Ready> {
        var path: String
        var signature: UInt64
        var ready: Ready
        init(_ path: String, _ signature: UInt64, _ ready: Ready) {
            self.path = path
            self.signature = signature
            self.ready = ready
        }
    }

    /// Renders in chunks across cores and hands pages to the sink in index order; the next
    /// chunk renders while this thread writes the current one.
    func renderKind<Ready>(_ kind: String, count: Int, chunk: Int, progress: ((String, Int, Int) -> Void)?, sink: Sink<Ready>,
                           _ page: @escaping (Int) -> [Page<Ready>]) throws {
        guard count > 0 else { return }
        let box = UncheckedBox(page)
        let render: @Sendable (Int, Int) -> [UncheckedBox<[Page<Ready>]>] = { lo, hi in
            parallelMap(hi - lo, itemsPerWorker: chunk >= 64 ? 16 : 1) { i in UncheckedBox(box.value(lo + i)) }
        }
        var end = min(count, chunk)
        var current = render(0, end)
        while true {
            let lo = end, hi = min(count, end + chunk)
            let next = lo < count ? Pending { render(lo, hi) } : nil
            defer { _ = next?.wait() }  // never leave a chunk rendering behind an error
            for group in current { for p in group.value { try sink(p.path, p.signature, p.ready) } }
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
