import Foundation

/// `segmark serve`'s build session: the workspace loaded, validated and evaluated in memory
/// and kept there between rebuilds; pages are rendered when they are asked for (and kept until
/// the next change), so a change costs a rebuild of the model and the pages someone looks at,
/// and nothing is written to Output/. While content has errors, the last good site stays and
/// the errors are kept beside it. Thread-safe: readers take a snapshot while a rebuild runs.
public final class PreviewSession: @unchecked Sendable {
    public struct Page: Sendable {
        public var bytes: [UInt8]
        /// A strong validator: the hash of the bytes.
        public var etag: String
    }

    /// The pages of one good rebuild, each rendered when it is first asked for.
    public final class Site: @unchecked Sendable {
        let pages: SitePages
        private let lock = NSLock()
        private var rendered: [String: Page] = [:]
        /// Rendered pages kept at most (a crawler must not hold the whole site in memory).
        static let keptPages = 4096

        init(_ pages: SitePages) { self.pages = pages }

        /// What serve shows instead of a page whose template ran away: the error, in words.
        static func failure(_ error: Error, html: Bool) -> [UInt8] {
            let text = (error as? ContentErrors)?.diagnostics.map(\.description).joined(separator: "\n") ?? "\(error)"
            guard html else { return Array((text + "\n").utf8) }
            return Array(("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>This page cannot be rendered</title></head>\n"
                + "<body><h1>This page cannot be rendered</h1><p><code>" + HTMLEscaping.text(text) + "</code></p></body></html>\n").utf8)
        }

        public func page(_ path: String) -> Page? {
            lock.lock()
            if let hit = rendered[path] {
                lock.unlock()
                return hit
            }
            lock.unlock()
            guard let ref = pages.ref(for: path) else { return nil }
            let bytes: [UInt8]
            do { bytes = try pages.bytes(ref) } catch { bytes = Self.failure(error, html: path.hasSuffix(".html")) }
            let page = Page(bytes: bytes, etag: "\"" + String(Fingerprint.ofFile(bytes), radix: 16) + "\"")
            lock.lock()
            if rendered.count >= Self.keptPages { rendered = [:] }
            rendered[path] = page
            lock.unlock()
            return page
        }
    }

    /// What the server shows at one moment.
    public struct Snapshot: Sendable {
        /// The last good site; nil until a rebuild succeeded.
        public var site: Site?
        /// Errors of the last rebuild (its pages are the last good ones); empty when it succeeded.
        public var errors: [Diagnostic] = []
        /// Grows by one each time anything served may have changed (the site or the errors).
        public var version = 0
        public var asOf: Day?
        public var title = "Segmark"

        public func page(_ path: String) -> Page? { site?.page(path) }
    }

    /// What one rebuild did.
    public struct Outcome: Sendable {
        /// Whether the site (or its errors) changed: false when the files were touched, not changed.
        public var changed: Bool
        public var errors: [Diagnostic]
        public var seconds: Double
        /// Seconds per phase, and how many files were parsed (the others came from the cache).
        public var phases: [(String, Double)] = []
        public var parsed = 0
        /// Content files read from disk (the others' size and times were those seen before).
        public var read = 0
        /// Whether only contacts or segments changed, so the last model was patched instead of checked whole.
        public var patched = false
        /// The warnings of the content (errors are in `errors`).
        public var warnings: [Diagnostic] = []
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
    private let checker = IncrementalCheck()
    /// The inputs of the last successful rebuild (files, templates, as-of date, formats).
    private var lastInputs: String?
    /// Paths reported changed that the decode cache has not seen yet (a rebuild that stopped
    /// before decoding, at a template error, passes them on); nil when not known.
    private var unseen: Set<String>? = []
    /// The group and condition sets of the last evaluation, and its as-of date: after a save
    /// that only changed contacts, they are re-tested for those contacts alone.
    private var evaluationMemo: (sets: SegmentEvaluator.GroupCache, asOf: Day, evaluation: Evaluation)?
    /// The warnings of the last check.
    private var warnings: [Diagnostic] = []

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

    /// Reads the workspace again; the pages are rendered when asked for. Call from one thread at a time.
    /// - Parameter changed: the paths (relative to the root) a file watcher reported changed
    ///   since the last rebuild, or nil when not known: then every file's size and times are
    ///   looked at. Only a watcher that sees every change may pass a set.
    @discardableResult
    public func rebuild(changed: Set<String>? = nil) -> Outcome {
        let start = clock()
        let previous = snapshot
        var next = previous
        var laps = Laps(clock: clock)
        var filesRead = 0
        var patched = false
        if let changed, unseen != nil { unseen?.formUnion(changed) } else { unseen = nil }
        do {
            let setup = try BuildSetup(root: root, asOf: self.asOf, today: today, formats: self.formats, fileSystem: fileSystem)
            let (asOf, formats, settings) = (setup.asOf, setup.formats, setup.settings)
            let raw = WorkspaceLoader(fileSystem: fileSystem).read(root: root, reusing: cache, changed: unseen)
            filesRead = raw.files.count - raw.reused.count
            laps.lap("read")
            // Same bytes everywhere as last time (an editor's save in two steps, a touch): done.
            var inputs = raw.fingerprint
            inputs.combine(setup.fingerprint().value)
            if inputs.hex == lastInputs, previous.errors.isEmpty {
                unseen = []  // the cache holds these bytes' records
                return Outcome(changed: false, errors: [], seconds: clock() - start, phases: laps.phases, parsed: 0, read: filesRead,
                               warnings: warnings)
            }
            let check = checker.check(raw, fileSystem: fileSystem, cache: cache)
            unseen = []  // the cache now holds every file's record
            laps.lap("parse and validate")
            warnings = check.diagnostics.filter { $0.severity != .error }
            patched = checker.patched
            if check.hasErrors { throw ContentErrors(check.diagnostics.filter { $0.severity == .error }) }
            let evaluator = SegmentEvaluator(model: check.model, asOf: asOf)
            let evaluation: Evaluation
            if let memo = evaluationMemo, memo.asOf == asOf, let changed = checker.changedSinceMark {
                evaluation = evaluator.evaluate(into: memo.sets, changed: changed, previous: memo.evaluation)
                evaluationMemo = (memo.sets, asOf, evaluation)
            } else {
                let sets = SegmentEvaluator.GroupCache()
                evaluation = evaluator.evaluate(into: sets)
                evaluationMemo = (sets, asOf, evaluation)
            }
            checker.mark()
            laps.lap("evaluate")
            next.site = Site(SitePages(model: check.model, evaluation: evaluation, templates: setup.templates, formats: formats, onRequest: true))
            laps.lap("prepare pages")
            next.errors = []
            lastInputs = inputs.hex
            next.asOf = asOf
            next.title = settings.title
        } catch let errors as ContentErrors {
            next.errors = errors.diagnostics
        } catch {
            next.errors = [.error("\(error)", at: SourceLocation(path: "segmark.yml", line: 1, column: 1))]
        }
        let changed = next.site !== previous.site || next.errors.map(\.description) != previous.errors.map(\.description)
        if changed { next.version += 1 }
        lock.lock()
        current = next
        lock.unlock()
        return Outcome(changed: changed, errors: next.errors, seconds: clock() - start, phases: laps.phases,
                       parsed: cache.parsed, read: filesRead, patched: patched, warnings: warnings)
    }
}
