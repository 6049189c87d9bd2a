/// Stage 4: renders every report of SPEC §8 through the templates, page by page, handing each
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

    /// - Parameter progress: called after each chunk of pages with (kind, done, total of that kind).
    public func render(progress: ((String, Int, Int) -> Void)? = nil, into sink: (String, [UInt8]) throws -> Void) throws {
        let contexts = PageContexts(model: model, evaluation: evaluation, history: history)
        let formats = Settings.Format.allCases.filter { self.formats.contains($0) }
        for asset in templates.assets { try sink(asset.path, asset.bytes) }
        for format in formats {
            try sink("index.\(format.rawValue)", templates.render(contexts.index(format), kind: "index", format: format))
        }
        // A segment sheet can hold 100,000 members: render a core's worth at a time to bound memory.
        try renderKind("segments", count: model.segments.count, chunk: 4, progress: progress, sink: sink) { si in
            var pages: [(String, [UInt8])] = []
            let id = model.segments[si].id
            for format in formats {
                pages.append(("segments/\(id).\(format.rawValue)", templates.render(contexts.segment(si, format), kind: "segment", format: format)))
            }
            pages.append(("segments/\(id).csv", bytes(contexts.csv(si))))
            if formats.contains(.html), let labels = templates.html.render("labels", contexts.labels(si)) {
                pages.append(("segments/\(id)-labels.html", labels))
            }
            return pages
        }
        try renderKind("campaigns", count: model.campaigns.count, chunk: 4, progress: progress, sink: sink) { ci in
            formats.map { format in
                ("campaigns/\(model.campaigns[ci].id).\(format.rawValue)", templates.render(contexts.campaign(ci, format), kind: "campaign", format: format))
            }
        }
        try renderKind("contacts", count: model.contacts.count, chunk: 512, progress: progress, sink: sink) { ci in
            formats.map { format in
                ("contacts/\(model.contacts[ci].id).\(format.rawValue)", templates.render(contexts.contact(ci, format), kind: "contact", format: format))
            }
        }
    }

    func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    /// Renders in chunks across cores and hands pages to the sink in index order; the next
    /// chunk renders while this thread writes the current one.
    func renderKind(_ kind: String, count: Int, chunk: Int, progress: ((String, Int, Int) -> Void)?, sink: (String, [UInt8]) throws -> Void,
                    _ page: @escaping (Int) -> [(String, [UInt8])]) throws {
        guard count > 0 else { return }
        let box = UncheckedBox(page)
        let render: @Sendable (Int, Int) -> [UncheckedBox<[(String, [UInt8])]>] = { lo, hi in
            parallelMap(hi - lo, itemsPerWorker: chunk >= 64 ? 16 : 1) { i in UncheckedBox(box.value(lo + i)) }
        }
        var end = min(count, chunk)
        var current = render(0, end)
        while true {
            let lo = end, hi = min(count, end + chunk)
            let next = lo < count ? Pending { render(lo, hi) } : nil
            defer { _ = next?.wait() }  // never leave a chunk rendering behind an error
            for group in current { for (path, data) in group.value { try sink(path, data) } }
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
