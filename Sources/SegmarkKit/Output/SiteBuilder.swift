import Dispatch

/// The whole `build` pipeline: load → validate → evaluate → render → write, returning values.
public struct SiteBuilder {
    public let fileSystem: FileSystem

    public init(fileSystem: FileSystem = LocalFileSystem()) { self.fileSystem = fileSystem }

    public struct Options: Sendable {
        public var asOf: Day?
        public var today: Day
        public var output: String?
        public var formats: [Settings.Format]?
        /// Shows file history on sheets even when segmark.yml does not ask for it (`--history`).
        public var history: Bool
        /// Reads the last change of the files under the given workspace folders (git).
        public var historySource: (@Sendable ([String]) -> [String: FileChange])?

        /// Renders everything even when the inputs are those of the last build.
        public var force: Bool
        /// Identifies the program (a build by another binary renders everything again).
        public var toolIdentity: String
        /// A monotonic clock in seconds, for `--timings` only; it never reaches the output.
        public var clock: @Sendable () -> Double
        /// Told after each chunk of rendered pages: (kind, done, total of that kind).
        public var progress: (@Sendable (String, Int, Int) -> Void)?

        public init(asOf: Day? = nil, today: Day, output: String? = nil, formats: [Settings.Format]? = nil,
                    history: Bool = false, historySource: (@Sendable ([String]) -> [String: FileChange])? = nil,
                    force: Bool = false, toolIdentity: String = "", clock: @escaping @Sendable () -> Double = { 0 },
                    progress: (@Sendable (String, Int, Int) -> Void)? = nil) {
            self.progress = progress
            self.force = force
            self.toolIdentity = toolIdentity
            self.clock = clock
            self.asOf = asOf
            self.today = today
            self.output = output
            self.formats = formats
            self.history = history
            self.historySource = historySource
        }
    }

    public struct Report: Sendable {
        public var summary: OutputWriter.Summary
        public var warnings: [Diagnostic]
        public var asOf: Day
        public var outputDirectory: String
        public var timings: [(phase: String, seconds: Double)]
        /// True when the inputs were those of the last build and nothing was rendered.
        public var upToDate: Bool
        public var counts: [(what: String, count: Int)]
    }

    /// Where a build records the fingerprint of its inputs (not part of the reports; ignore it in git).
    public static let stateName = ".segmark-state"

    public func build(root: String, options: Options) throws -> Report {
        var laps = Laps(clock: options.clock)
        let setup = try BuildSetup(root: root, asOf: options.asOf, today: options.today, formats: options.formats, fileSystem: fileSystem)
        let (asOf, templates, formats, settings) = (setup.asOf, setup.templates, setup.formats, setup.settings)
        var history: [String: FileChange] = [:]
        if options.history || settings.history, let source = options.historySource {
            history = source([settings.content + "/" + RecordKind.segment.folder, settings.content + "/" + RecordKind.campaign.folder])
        }
        // Everything a build depends on besides the content files.
        let context = setup.fingerprint(tool: options.toolIdentity, history: history)
        let outputDirectory = try Confinement(fileSystem: fileSystem, root: root)
            .outputFolder(options.output ?? settings.output, content: settings.content, templates: settings.templates)
        removeTemporaryLeftovers(in: outputDirectory)
        let last = LastBuild(directory: outputDirectory, fileSystem: fileSystem)
        laps.lap("read the last build's state")
        let writer = OutputWriter(fileSystem: fileSystem, directory: outputDirectory)
        func upToDate(filesRead: Int) -> Report? {
            guard let owned = writer.ownedFilesIfComplete(folders: last.fingerprints.folders, written: last.written) else { return nil }
            return Report(summary: OutputWriter.Summary(pages: owned, changed: 0, removed: 0), warnings: [], asOf: asOf,
                          outputDirectory: outputDirectory, timings: laps.phases, upToDate: true, counts: [("files read", filesRead)])
        }

        // 1. Same files with the same sizes and modification times as the last build: done.
        let loader = WorkspaceLoader(fileSystem: fileSystem)
        var (stat, newest, look) = loader.statFingerprint(root: root, settings: settings)
        stat.combine(context.value)
        laps.lap("look at the files")
        if !options.force, last.hasSameFiles(stat, newest: newest), let report = upToDate(filesRead: 0) { return report }
        // Something changed, or may have: the look at the last build's pages (a status per page,
        // the output record read) starts now and goes on beside reading, parsing and
        // evaluating, which leave a core idle (reading the parse cache and the changed files
        // uses one). Only this task touches the writer's record until the render; the quick
        // exit below reads the record apart (`ownedFilesIfComplete`).
        let writerBox = UncheckedBox(writer)
        let looking = Pending { [fileSystem] in
            options.force ? KeptPages()
                : KeptPages(previous: last.state(), recorded: writerBox.value.recordedHashes, directory: outputDirectory, fileSystem: fileSystem)
        }
        defer { _ = looking.wait() }

        // 2. Load: the files the parse cache saw with the same size, times and inode are not
        // read again. Same bytes as the last build (files touched but not changed): done, and
        // the new dates remembered.
        let parseCache = ParseCache(fileSystem: fileSystem, root: root, toolIdentity: options.toolIdentity)
        let decodeCache = (options.force ? nil : parseCache.load()) ?? WorkspaceLoader.DecodeCache()
        let cachedRecords = decodeCache.entries.count
        laps.lap("read the parse cache")
        var raw = loader.read(root: root, reusing: decodeCache, look: look)
        decodeCache.lastRead = nil  // holds the bytes read; they are freed after parsing
        laps.lap("read")
        var fingerprint = raw.fingerprint
        fingerprint.combine(context.value)
        if !options.force, last.hasSameInputs(fingerprint), var report = upToDate(filesRead: raw.files.count - raw.reused.count) {
            last.restamp(stat)
            laps.lap("compare inputs")
            report.timings = laps.phases
            return report
        }

        // 3. Validate (the parse cache is written meanwhile, and waited for before returning).
        let check = WorkspaceCheck(raw: raw, fileSystem: fileSystem, cache: decodeCache)
        let filesRead = raw.files.count - raw.reused.count
        let order = raw.files.map(\.path)
        raw.files = []  // the bytes are parsed; free them before rendering
        decodeCache.listing = nil
        let changedRecords = ParseCache.keptCount(decodeCache) != cachedRecords
            || decodeCache.parsed > ParseCache.reparsedBeforeRewrite(records: cachedRecords)
        let saving = Pending {
            if changedRecords { parseCache.save(decodeCache, order: order) }
            decodeCache.entries = [:]  // the model holds the records; the cache's tables go
            decodeCache.encoded = [:]
        }
        defer { saving.wait() }
        laps.lap("parse and validate")
        if check.hasErrors { throw ContentErrors(check.diagnostics.filter { $0.severity == .error }) }

        // 4. Evaluate.
        let model = check.model
        let evaluation = SegmentEvaluator(model: model, asOf: asOf).evaluate()
        laps.lap("evaluate")

        // 5. Plan the pages: those made from the same inputs as last time, and untouched
        // since, are kept as they are (the look started above).
        let hadOutput = fileSystem.kind(of: outputDirectory) != nil
        try fileSystem.createDirectory(outputDirectory)
        var pages = looking.wait()
        let renderer = SiteRenderer(model: model, evaluation: evaluation, templates: templates, formats: formats, history: history,
                                    fewPages: pages.lastCount > 0)
        writer.reserve(files: pages.lastCount)
        laps.lap("look at the last build's pages")
        do {
            // 6. Render what changed; each page is hashed and, when changed, staged on the
            // thread that rendered it.
            let intact = pages.intactHashes
            let rows = RowRecords(fileSystem: fileSystem, root: root, output: outputDirectory, reuse: !options.force) { intact($0) }
            // `--timings` lists each kind of page (the time until its last page was handed on).
            let kinds = KindLaps()
            let progress: (String, Int, Int) -> Void = { kind, done, total in
                options.progress?(kind, done, total)
                if done == total { kinds.finished(kind, at: options.clock()) }
            }
            let renderStart = laps.last
            let stage = UncheckedBox(writer)  // `prepare` is safe from any thread
            let prepare: @Sendable (String, [UInt8], UInt64?) -> PageOutcome = { path, bytes, hash in
                .made(Result { try stage.value.prepare(path, bytes, hash: hash, intactHash: intact(path)) })
            }
            let keep = pages.keep, keepRun = pages.keepRun
            try renderer.render(context: context.value, keep: { keep($0, $1).map(PageOutcome.kept) },
                                keepRun: { keepRun($0, $1, $2).map(PageOutcome.keptRun) }, rows: rows, progress: progress,
                                prepare: prepare, failed: { .made(.failure($0)) }) { path, signature, outcome in
                switch outcome {
                case .made(let prepared):
                    try writer.add(prepared.get())
                    pages.rendered(signature: signature)
                case .kept(let record):
                    try writer.keep(path, hash: record.hash)
                    pages.kept(signature: signature, record: record)
                case .keptRun(let run):
                    try pages.kept(run: run) { path, hash in try writer.keep(path, hash: hash) }
                }
            }
            laps.lap("render")
            laps.append(kinds.laps(from: renderStart).map { ("  " + $0.kind, $0.seconds) })
            let sizes = [("contacts", model.contacts.count), ("segments", model.segments.count), ("interaction entries", evaluation.entries.count)]
            let warnings = check.diagnostics
            // The model and the evaluation are done with: they go (on another thread) before the
            // records are written, which need memory of their own.
            let model = UncheckedBox((consume check, consume model, consume renderer, consume evaluation))
            DispatchQueue.global(qos: .utility).async { withExtendedLifetime(model) {} }

            // 7. Write: the staged pages move into place, then the record of this build.
            try last.remove()
            let summary = try writer.commit()
            var state = last.fingerprints
            state.inputs = fingerprint.hex
            state.stat = stat.hex
            state.setPages(writer.produced, pages.records(of: writer.produced, in: outputDirectory, fileSystem: fileSystem))
            state.folders = writer.folderRecords(of: writer.produced)
            try last.write(state)
            laps.lap("write")
            let counts: [(String, Int)] = [("files read", filesRead)] + sizes
                + [("files", summary.pages), ("files rendered", pages.rendered), ("files written", summary.changed)]
            // Freeing what the build held (the records of 784,692 pages, every contact, every
            // entry) takes most of a second at L; it happens on another thread, and the caller
            // need not wait for it.
            let held = UncheckedBox((pages, state, last, looking, writer, decodeCache))
            DispatchQueue.global(qos: .utility).async { withExtendedLifetime(held) {} }
            return Report(summary: summary, warnings: warnings, asOf: asOf, outputDirectory: outputDirectory,
                          timings: laps.phases, upToDate: false, counts: counts)
        } catch {
            writer.abort()
            // A failed first build leaves no output folder behind (only an empty one is removed).
            if !hadOutput { try? fileSystem.remove(outputDirectory) }
            throw error
        }
    }

    /// A build killed while writing its state or manifest leaves that file's temporary copy
    /// (`.NAME.PID.NUMBER.tmp`) in the output folder; the next build removes it. Only those
    /// two names of Segmark's own are touched.
    func removeTemporaryLeftovers(in directory: String) {
        guard let entries = try? fileSystem.entries(in: directory) else { return }
        for entry in entries where entry.kind == .file && entry.name.hasSuffix(".tmp") {
            guard [Self.stateName, OutputWriter.manifestName].contains(where: { entry.name.hasPrefix("." + $0 + ".") }) else { continue }
            try? fileSystem.remove(directory + "/" + entry.name)
        }
    }
}

/// When each kind of page finished rendering, for `--timings` (told on the build's thread).
final class KindLaps {
    private var finished: [(kind: String, at: Double)] = []

    func finished(_ kind: String, at time: Double) { finished.append((kind, time)) }

    /// Each kind's time since the one before it finished (the first's since `start`).
    func laps(from start: Double) -> [(kind: String, seconds: Double)] {
        var last = start
        return finished.map { kind, at in
            defer { last = at }
            return (kind, at - last)
        }
    }
}

/// What became of a page: kept as the last build left it, or rendered and made ready for the writer.
enum PageOutcome: Sendable {
    case kept(KeptPages.Intact)
    /// The last build's pages at these places, kept as they are (a batch's files).
    case keptRun(Range<Int>)
    case made(Result<OutputWriter.Prepared, any Error>)
}
