import Foundation

/// `segmark serve`'s build session (R110): the workspace rendered into memory and kept there
/// between rebuilds, so a change re-renders only the pages whose signatures changed (R76) and
/// nothing is written to Output/. While content has errors, the last good pages stay and the
/// errors are kept beside them. Thread-safe: readers take a snapshot while a rebuild runs.
public final class PreviewSession: @unchecked Sendable {
    public struct Page: Sendable {
        public var bytes: [UInt8]
        public var signature: UInt64
        /// A strong validator: the hash of the bytes.
        public var etag: String
    }

    /// What the server shows at one moment.
    public struct Snapshot: Sendable {
        public var pages: [String: Page] = [:]
        /// Errors of the last rebuild (its pages are the last good ones); empty when it succeeded.
        public var errors: [Diagnostic] = []
        /// Grows by one each time anything served changes (pages or errors).
        public var version = 0
        public var asOf: Day?
        public var title = "Segmark"
    }

    /// What one rebuild did.
    public struct Outcome: Sendable {
        public var rendered: Int
        public var changed: Int
        public var errors: [Diagnostic]
        public var seconds: Double
        /// Seconds per phase, and how many files were parsed (the others came from the cache).
        public var phases: [(String, Double)] = []
        public var parsed = 0
    }

    let root: String
    let fileSystem: FileSystem
    let asOf: Day?
    let today: Day
    let formats: [Settings.Format]?
    let clock: @Sendable () -> Double
    private let lock = NSLock()
    private var current = Snapshot()
    private let cache = WorkspaceLoader.DecodeCache()
    /// The inputs of the last successful rebuild (files, templates, as-of date, formats).
    private var lastInputs: String?

    public init(root: String, asOf: Day?, today: Day, formats: [Settings.Format]?, fileSystem: FileSystem = LocalFileSystem(),
                clock: @escaping @Sendable () -> Double = { 0 }) {
        self.root = root
        self.asOf = asOf
        self.today = today
        self.formats = formats
        self.fileSystem = fileSystem
        self.clock = clock
    }

    public var snapshot: Snapshot {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    /// Reads the workspace again and renders what changed. Call from one thread at a time.
    @discardableResult
    public func rebuild() -> Outcome {
        let start = clock()
        let previous = snapshot
        var next = previous
        var rendered = 0
        var phases: [(String, Double)] = []
        var lapStart = start
        func lap(_ name: String) {
            let now = clock()
            phases.append((name, now - lapStart))
            lapStart = now
        }
        do {
            let loader = WorkspaceLoader(fileSystem: fileSystem)
            let (settings, _) = loader.loadSettings(root: root)
            let templates: TemplateLibrary
            switch TemplateLibrary.load(root: root, settings: settings, fileSystem: fileSystem) {
            case .failure(let errors): throw errors
            case .success(let t): templates = t
            }
            let raw = loader.read(root: root)
            lap("read")
            // Same bytes everywhere as last time (an editor's save in two steps, a touch): done.
            var inputs = raw.fingerprint
            inputs.combine(templates.fingerprint)
            inputs.add((self.asOf ?? settings.asOf ?? today).description)
            inputs.add((self.formats ?? settings.formats).map(\.rawValue).joined(separator: ","))
            if inputs.hex == lastInputs, previous.errors.isEmpty {
                return Outcome(rendered: 0, changed: 0, errors: [], seconds: clock() - start, phases: phases, parsed: 0)
            }
            let check = WorkspaceCheck(raw: raw, fileSystem: fileSystem, cache: cache)
            lap("parse and validate")
            if check.hasErrors { throw ContentErrors(check.diagnostics.filter { $0.severity == .error }) }
            let asOf = self.asOf ?? settings.asOf ?? today
            let formats = self.formats ?? settings.formats
            let evaluation = SegmentEvaluator(model: check.model, asOf: asOf).evaluate()
            lap("evaluate")
            var context = Fingerprint()
            context.combine(templates.fingerprint)
            context.add(asOf.description)
            context.add(formats.map(\.rawValue).joined(separator: ","))
            let old = previous.pages
            let keep: @Sendable (String, UInt64) -> Bool = { path, signature in signature != 0 && old[path]?.signature == signature }
            var pages: [String: Page] = [:]
            try SiteRenderer(model: check.model, evaluation: evaluation, templates: templates, formats: formats)
                .render(context: context.value, keep: keep) { path, signature, bytes in
                    if let bytes {
                        rendered += 1
                        pages[path] = Page(bytes: bytes, signature: signature, etag: "\"" + String(Fingerprint.ofFile(bytes), radix: 16) + "\"")
                    } else if let page = old[path] {
                        pages[path] = page
                    }
                }
            lap("render")
            next.pages = pages
            next.errors = []
            lastInputs = inputs.hex
            next.asOf = asOf
            next.title = settings.title
        } catch let errors as ContentErrors {
            next.errors = errors.diagnostics
        } catch {
            next.errors = [.error("\(error)", at: SourceLocation(path: "segmark.yml", line: 1, column: 1))]
        }
        let changed = Self.changes(previous, next)
        if changed > 0 || next.errors.map(\.description) != previous.errors.map(\.description) { next.version += 1 }
        lock.lock()
        current = next
        lock.unlock()
        return Outcome(rendered: rendered, changed: changed, errors: next.errors, seconds: clock() - start, phases: phases, parsed: cache.parsed)
    }

    /// Pages added, changed or removed.
    static func changes(_ a: Snapshot, _ b: Snapshot) -> Int {
        var n = 0
        for (path, page) in b.pages where a.pages[path]?.etag != page.etag { n += 1 }
        for path in a.pages.keys where b.pages[path] == nil { n += 1 }
        return n
    }
}
