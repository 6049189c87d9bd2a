import Foundation

/// Stage 1–2: reads a workspace folder into a `Model` plus every diagnostic of the files on
/// their own (YAML, types, unknown keys). Cross-record rules are the `ModelValidator`'s.
public struct WorkspaceLoader: Sendable {
    let fileSystem: FileSystem

    public init(fileSystem: FileSystem) { self.fileSystem = fileSystem }

    public struct Result: Sendable {
        public var model: Model
        public var diagnostics: [Diagnostic]
        public var fileCount: Int
    }

    /// A decoded file. Only a contact is held inline (it is one reference already); the other
    /// records are large structs, and held inline they would make every value of this type (one
    /// per file: 111,000 at L, in tables that hold capacity for twice as many) as large as the
    /// largest: 138 MB for the parse cache's table alone, measured with heaptrack.
    enum Decoded: Sendable {
        case contact(Contact)
        indirect case segment(Segment), campaign(Campaign), template(InteractionTemplate), batch(InteractionBatch)
        indirect case variant(main: String, InteractionTemplate.Variant)
    }

    /// segmark.yml, or the defaults when there is none.
    public func loadSettings(root: String) -> (Settings, [Diagnostic]) {
        let (s, d, _) = loadSettingsAndBytes(root: root)
        return (s, d)
    }

    /// The settings and the bytes they were read from (for the input fingerprint).
    func loadSettingsAndBytes(root: String) -> (Settings, [Diagnostic], [UInt8]) {
        let settingsPath = root + "/segmark.yml"
        guard fileSystem.kind(of: settingsPath) != nil else { return (Settings(), [], []) }
        let (node, d, bytes) = readYAMLFile(settingsPath, relative: "segmark.yml")
        let (s, sd) = SettingsDecoder().decode(node, path: "segmark.yml")
        return (s, d + sd, bytes)
    }

    /// Every content file's bytes, read in parallel, in a stable order, with a fingerprint of
    /// them all (a build whose inputs did not change can stop here).
    public struct RawWorkspace: Sendable {
        public var root: String
        public var settings: Settings
        public var codes: Codes
        public var diagnostics: [Diagnostic]
        public var files: [(kind: RecordKind, path: String, bytes: [UInt8]?)]
        public var fingerprint: Fingerprint
        /// Path → hash of every file read (content files, segmark.yml, codes.yml).
        public var hashes: [String: UInt64] = [:]
        /// Content files not read again because their size and modification time are those
        /// the decode cache saw: their decoded records come from the cache.
        public var reused: Set<String> = []
        /// Each content file's size and modification time when it was read.
        public var stamps: [String: FileStatus] = [:]
        /// Which listing of the folders `files` is (a session's listings are numbered; the
        /// same number, the same files in the same order); -1 without a session's cache.
        public var listing = -1
        /// The places in `files` of the files read (or that failed to be read), not reused.
        public var fresh: [Int] = []
    }

    /// - Parameters:
    ///   - cache: a session's decode cache (`serve`); a content file whose size, modification
    ///     and change times (to the nanosecond) and inode are those the cache saw is not read again.
    ///   - changed: the paths (relative to the root) that a file watcher reported changed since
    ///     the cache was filled, or nil when that is not known. When known, the other files the
    ///     cache holds are not even looked at, and the folders are not listed again unless a
    ///     change can alter the listing (a file or folder added, removed or renamed).
    ///   - look: the listing and statuses a `statFingerprint` just found (with a cache: the
    ///     files are not listed or looked at again).
    public func read(root: String, reusing cache: DecodeCache? = nil, changed: Set<String>? = nil, look: FileLook? = nil) -> RawWorkspace {
        var fingerprint = Fingerprint()
        var hashes: [String: UInt64] = [:]
        var (settings, diagnostics, settingsBytes) = loadSettingsAndBytes(root: root)
        fingerprint.add(bytes: settingsBytes)
        hashes["segmark.yml"] = Fingerprint.ofFile(settingsBytes)
        let content = settings.content
        let confinement = Confinement(fileSystem: fileSystem, root: root)
        if let problem = confinement.readableFolderProblem(content, setting: "content") {
            diagnostics.append(.error(problem, at: SourceLocation(path: "segmark.yml", line: 1, column: 1)))
            cache?.listing = nil
            cache?.lastRead = nil
            return RawWorkspace(root: root, settings: settings, codes: Codes(), diagnostics: diagnostics, files: [], fingerprint: fingerprint)
        }
        var codes = Codes()
        let codesRelative = content + "/codes.yml"
        if fileSystem.kind(of: root + "/" + codesRelative) != nil {
            let (node, d, bytes) = readYAMLFile(root + "/" + codesRelative, relative: codesRelative)
            diagnostics += d
            let (c, cd) = CodesDecoder().decode(node, path: codesRelative)
            codes = c
            diagnostics += cd
            fingerprint.add(bytes: bytes)
            hashes[codesRelative] = Fingerprint.ofFile(bytes)
        }
        // Every content file, in a stable order, read in parallel.
        let listing: DecodeCache.Listing
        var statuses: [FileStatus?]?
        if let cache, let changed, let last = cache.listing, last.content == content,
           !changesListing(changed, last, root: root, content: content) {
            listing = last
        } else if let look, look.content == content, changed == nil {
            listing = DecodeCache.Listing(content: content, jobs: look.jobs, diagnostics: look.diagnostics, links: look.links,
                                          generation: (cache?.listing?.generation ?? 0) + 1)
            statuses = look.statuses
        } else {
            let (jobs, listingDiagnostics, links) = contentFilesAndLinks(root: root, content: content)
            listing = DecodeCache.Listing(content: content, jobs: jobs, diagnostics: listingDiagnostics, links: links,
                                          generation: (cache?.listing?.generation ?? 0) + 1)
        }
        cache?.listing = listing
        let jobs = listing.jobs
        diagnostics += listing.diagnostics
        let fs = fileSystem
        let jobList = jobs
        let known = cache.map { UncheckedBox($0.entries) }
        let looked = statuses
        let links = listing.links
        typealias Read = (bytes: [UInt8]?, hash: UInt64, problem: Diagnostic?, stamp: FileStatus?, reused: Bool)
        let readOne: @Sendable (Int) -> Read = { i in
            let path = jobList[i].path
            // Reported unchanged by the watcher: the cached record stands without a look (not
            // for a symbolic link: its target may lie in a folder no one watches).
            if let changed, !changed.contains(path), !links.contains(path), let hit = known?.value[path] {
                return (nil, hit.hash, nil, hit.stamp, true)
            }
            let stamp = known == nil ? nil : looked.map { $0[i] } ?? fs.status(root + "/" + path)
            if let stamp, stamp.kind == .file, let hit = known?.value[path], hit.stamp == stamp {
                return (nil, hit.hash, nil, stamp, true)
            }
            var f = Fingerprint()
            f.add(path)
            let at = SourceLocation(path: path, line: 1, column: 1)
            // Too large: refused before reading, so a huge file costs no memory.
            if let size = fs.fileSize(root + "/" + path), size > FrontMatterParser.maxFileSize {
                f.add("\(size)")
                return (nil, f.value, FrontMatterParser.tooLarge(size, at: at), nil, false)
            }
            guard let bytes = try? fs.read(root + "/" + path) else {
                return (nil, f.value, .error("cannot read file", at: at), nil, false)
            }
            f.add(bytes: bytes)
            return (bytes, f.value, nil, stamp, false)
        }
        // The watcher named the changes and the listing is the last read's: that read, with the
        // named files (and those read last time) read again, is this one; nothing else is looked at.
        if let cache, let changed, var raw = cache.lastRead, raw.listing == listing.generation {
            cache.lastRead = nil  // the only other holder of its tables: they change in place
            let again = Set(changed.compactMap { listing.index[$0] }).union(raw.fresh).union(listing.links.compactMap { listing.index[$0] }).sorted()
            let reads = again.map(readOne)
            raw.fresh = []
            for (i, read) in zip(again, reads) {
                let path = jobs[i].path
                raw.files[i].bytes = read.bytes
                if let problem = read.problem { diagnostics.append(problem) }
                cache.fileHashes[i] = read.hash
                raw.hashes[path] = read.hash
                if read.reused { raw.reused.insert(path) } else { raw.reused.remove(path); raw.fresh.append(i) }
                raw.stamps[path] = read.stamp
            }
            for name in ["segmark.yml", codesRelative] { raw.hashes[name] = hashes[name] }
            for hash in cache.fileHashes { fingerprint.combine(hash) }
            for d in diagnostics { fingerprint.add(d.description) }
            raw.settings = settings
            raw.codes = codes
            raw.diagnostics = diagnostics
            raw.fingerprint = fingerprint
            cache.lastRead = raw
            return raw
        }
        let contents: [Read] = parallelMap(jobs.count, readOne)
        var reused = Set<String>()
        var stamps: [String: FileStatus] = [:]
        var files: [(kind: RecordKind, path: String, bytes: [UInt8]?)] = []
        files.reserveCapacity(jobs.count)
        for (job, read) in zip(jobs, contents) {
            files.append((job.kind, job.path, read.bytes))
            if let problem = read.problem { diagnostics.append(problem) }
            fingerprint.combine(read.hash)
            hashes[job.path] = read.hash
            if read.reused { reused.insert(job.path) }
            if let stamp = read.stamp { stamps[job.path] = stamp }
        }
        // Diagnostics of the listing are part of what a build depends on, too.
        for d in diagnostics { fingerprint.add(d.description) }
        var raw = RawWorkspace(root: root, settings: settings, codes: codes, diagnostics: diagnostics, files: files, fingerprint: fingerprint,
                               hashes: hashes, reused: reused, stamps: stamps)
        raw.fresh = contents.indices.filter { !contents[$0].reused }
        if let cache {
            raw.listing = listing.generation
            cache.fileHashes = contents.map(\.hash)
            cache.lastRead = raw
        }
        return raw
    }

    /// Whether a change a watcher reported can alter the list of content files: a path under
    /// the content folder that is not a listed file that is still a file (added, removed,
    /// renamed, a folder), unless it is a file that could never be listed (an editor's swap
    /// file) or a path that is gone and held nothing listed.
    func changesListing(_ changed: Set<String>, _ listing: DecodeCache.Listing, root: String, content: String) -> Bool {
        let prefix = content + "/"
        for path in changed where path.hasPrefix(prefix) {
            let status = fileSystem.status(root + "/" + path)
            if listing.index[path] != nil {
                if status?.kind != .file { return true }
                continue
            }
            switch status?.kind {
            case .file?: if path.hasSuffix(".md") { return true }
            case nil: if listing.jobs.contains(where: { $0.path.hasPrefix(path + "/") }) { return true }
            default: return true
            }
        }
        return false
    }

    /// The content files, the listing's warnings, and which files are symbolic links.
    func contentFilesAndLinks(root: String, content: String) -> ([(kind: RecordKind, path: String)], [Diagnostic], Set<String>) {
        let walker = ContentWalker(fileSystem: fileSystem, root: root)
        var jobs: [(kind: RecordKind, path: String)] = []
        var diagnostics: [Diagnostic] = []
        var links = Set<String>()
        for kind in RecordKind.allCases {
            let listing = walker.markdownFiles(under: content + "/" + kind.folder)
            diagnostics += listing.diagnostics
            jobs += listing.files.map { (kind, $0) }
            links.formUnion(listing.links)
        }
        return (jobs, diagnostics, links)
    }

    /// What one look at the content files found: the listing, and each file's status (`lstat`).
    public struct FileLook: Sendable {
        var content: String
        var jobs: [(kind: RecordKind, path: String)]
        var diagnostics: [Diagnostic]
        var links: Set<String>
        /// By place in `jobs`; nil where the file could not be looked at.
        var statuses: [FileStatus?]
    }

    /// A fingerprint of the input files' paths, sizes and modification times, without reading
    /// them (as make and ninja decide), the newest modification time among them, and the look
    /// it was made from (a read after it need not look at the files again). Each folder is
    /// opened once and its files looked at in it, across cores.
    public func statFingerprint(root: String, settings: Settings) -> (fingerprint: Fingerprint, newest: Int64, look: FileLook) {
        let (jobs, diagnostics, links) = contentFilesAndLinks(root: root, content: settings.content)
        let fs = fileSystem
        // The listing is sorted by kind, then path: a folder's files come in runs.
        let statuses = fs.statuses(of: jobs.map(\.path), under: root)
        // Size and time as `stat` tells them (through a link, to what it names).
        @Sendable func sizeAndTime(_ path: String, _ status: FileStatus?) -> (Int, Int64) {
            if let status, status.kind == .file { return (status.size, status.modified) }
            return (fs.fileSize(root + "/" + path) ?? -1, fs.modificationTime(root + "/" + path) ?? -1)
        }
        var fingerprint = Fingerprint()
        var newest: Int64 = 0
        func add(_ path: String, _ size: Int, _ time: Int64) {
            var f = Fingerprint()
            f.add(path)
            f.add("\(size) \(time)")
            fingerprint.combine(f.value)
            newest = max(newest, time)
        }
        for path in ["segmark.yml", settings.content + "/codes.yml"] {
            let (size, time) = sizeAndTime(path, nil)
            add(path, size, time)
        }
        let hashes: [(hash: UInt64, time: Int64)] = parallelMap(jobs.count, itemsPerWorker: 1024) { i in
            let (size, time) = sizeAndTime(jobs[i].path, statuses[i])
            var f = Fingerprint()
            f.add(jobs[i].path)
            f.add("\(size) \(time)")
            return (f.value, time)
        }
        for h in hashes {
            fingerprint.combine(h.hash)
            newest = max(newest, h.time)
        }
        for d in diagnostics { fingerprint.add(d.description) }
        return (fingerprint, newest, FileLook(content: settings.content, jobs: jobs, diagnostics: diagnostics, links: links, statuses: statuses))
    }

    /// Decoded files kept between builds of one session (`serve`): a file whose bytes hash the
    /// same as last time is not parsed again.
    public final class DecodeCache: @unchecked Sendable {
        struct Entry {
            var hash: UInt64
            /// Size and modification time when read; nil when unknown.
            var stamp: FileStatus?
            var variantOf: String?
            var decoded: Decoded?
            var diagnostics: [Diagnostic]
        }
        var entries: [String: Entry] = [:]
        /// The records as the parse cache file holds them (`build`), by path: a record still
        /// true is written back as these bytes.
        var encoded: [String: (hash: UInt64, stamp: FileStatus?, bytes: ArraySlice<UInt8>)] = [:]
        /// The content files found by the last listing of the folders.
        struct Listing {
            var content: String
            var jobs: [(kind: RecordKind, path: String)]
            var diagnostics: [Diagnostic]
            /// The files that are symbolic links: read again every time.
            var links: Set<String>
            /// Path → place in `jobs`.
            var index: [String: Int]
            /// Counts the listings of a session: the same number, the same files in the same order.
            var generation: Int
            init(content: String, jobs: [(kind: RecordKind, path: String)], diagnostics: [Diagnostic], links: Set<String>, generation: Int) {
                self.content = content
                self.jobs = jobs
                self.diagnostics = diagnostics
                self.links = links
                self.generation = generation
                var index: [String: Int] = [:]
                index.reserveCapacity(jobs.count)
                for (i, job) in jobs.enumerated() { index[job.path] = i }
                self.index = index
            }
        }
        var listing: Listing?
        /// The last read, and each listed file's hash by place: the next read after a watcher
        /// named the changes starts from them.
        var lastRead: RawWorkspace?
        var fileHashes: [UInt64] = []
        /// Files parsed by the last decode (the others came from the cache).
        public internal(set) var parsed = 0
        public init() {}
    }

    /// Decodes every file of a read workspace in parallel into the model.
    public func decode(_ raw: RawWorkspace, cache: DecodeCache? = nil) -> Result {
        var diagnostics = raw.diagnostics
        let files = raw.files
        let templatePaths = Set(files.filter { $0.kind == .interactionTemplate }.map(\.path))
        let hashes = raw.hashes
        let cached = cache.map { UncheckedBox($0.entries) }
        let reused = raw.reused
        let fs = fileSystem, root = raw.root
        let results: [(Decoded?, [Diagnostic], Bool)] = parallelMap(files.count) { i in
            let (kind, path, read) = files[i]
            let variant = kind == .interactionTemplate ? InteractionTemplateDecoder.variantOf(path, among: templatePaths) : nil
            if let hit = cached?.value[path], hit.hash == hashes[path], hit.variantOf == variant?.main {
                return (hit.decoded, hit.diagnostics, false)
            }
            // Not read again, but no longer decoded the same way (it became a language variant,
            // or stopped being one): read it now.
            var bytes = read
            if bytes == nil, reused.contains(path) { bytes = try? fs.read(root + "/" + path) }
            guard let bytes else { return (nil, [], false) }  // its diagnostic came from read()
            let (decoded, d) = Self.decodeFile(kind: kind, path: path, bytes: bytes, variantOf: variant)
            return (decoded, d, true)
        }
        if let cache {
            var entries: [String: DecodeCache.Entry] = [:]
            entries.reserveCapacity(files.count)
            let trustedBefore = (raw.stamps.values.map { max($0.modified, $0.changed) }.max() ?? 0) - 2_000_000_000
            for (i, r) in results.enumerated() where files[i].bytes != nil || reused.contains(files[i].path) {
                let path = files[i].path
                let variant = files[i].kind == .interactionTemplate ? InteractionTemplateDecoder.variantOf(path, among: templatePaths)?.main : nil
                // A stamp proves nothing for a file changed in the last moments (a write in the
                // same clock tick as the read keeps its times): those are read again next time.
                let stamp = raw.stamps[path].flatMap { max($0.modified, $0.changed) < trustedBefore ? $0 : nil }
                entries[path] = DecodeCache.Entry(hash: hashes[path] ?? 0, stamp: stamp, variantOf: variant, decoded: r.0, diagnostics: r.1)
            }
            cache.entries = entries
            cache.parsed = results.filter(\.2).count
        }
        var contacts: [Contact] = [], segments: [Segment] = [], campaigns: [Campaign] = []
        var templates: [InteractionTemplate] = [], batches: [InteractionBatch] = []
        var unreadable: [RecordKind: Set<String>] = [:]
        var variants: [String: [InteractionTemplate.Variant]] = [:]
        for (i, (decoded, d, _)) in results.enumerated() {
            diagnostics += d
            if decoded == nil {
                let name = files[i].path.split(separator: "/").last.map(String.init) ?? ""
                unreadable[files[i].kind, default: []].insert(Text.fold(name.hasSuffix(".md") ? String(name.dropLast(3)) : name))
            }
            switch decoded {
            case .contact(let c)?: contacts.append(c)
            case .segment(let s)?: segments.append(s)
            case .campaign(let c)?: campaigns.append(c)
            case .template(let t)?: templates.append(t)
            case .batch(let b)?: batches.append(b)
            case .variant(let main, let v)?: variants[main, default: []].append(v)
            case nil: break
            }
        }
        for i in templates.indices {
            templates[i].variants = (variants[templates[i].path] ?? []).sorted { Text.codePointLess($0.path, $1.path) }
        }
        var model = Model(root: raw.root, settings: raw.settings, codes: raw.codes, contacts: contacts, segments: segments,
                          campaigns: campaigns, templates: templates, batches: batches)
        model.sourceHashes = raw.hashes
        model.unreadable = unreadable
        return Result(model: model, diagnostics: diagnostics, fileCount: files.count)
    }

    public func load(root: String) -> Result {
        decode(read(root: root))
    }

    static func decodeFile(kind: RecordKind, path: String, bytes: [UInt8],
                           variantOf variant: (main: String, language: String)? = nil) -> (Decoded?, [Diagnostic]) {
        let document: SourceDocument
        switch FrontMatterParser().parse(bytes, path: path) {
        case .failure(let d): return (nil, [d])
        case .success(let doc): document = doc
        }
        // A language variant is not a record: its front matter (description, subject) is optional.
        if document.frontMatter == nil && variant == nil {
            return (nil, [.error("a record file starts with front matter: a first line '---', the record's YAML, then a line '---'; "
                                 + "this file has none, so it is not read", at: SourceLocation(path: path, line: 1, column: 1))])
        }
        let fileName = String(path.split(separator: "/").last ?? "")
        switch kind {
        case .contact:
            let (c, d) = ContactDecoder().decode(document, fileName: fileName)
            return (.contact(c), d)
        case .segment:
            let (s, d) = SegmentDecoder().decode(document, fileName: fileName)
            return (.segment(s), d)
        case .campaign:
            let (c, d) = CampaignDecoder().decode(document, fileName: fileName)
            return (.campaign(c), d)
        case .interactionTemplate:
            if let variant {
                let (v, d) = InteractionTemplateDecoder().decodeVariant(document, language: variant.language)
                return (.variant(main: variant.main, v), d)
            }
            let (t, d) = InteractionTemplateDecoder().decode(document, fileName: fileName)
            return (.template(t), d)
        case .batch:
            let (b, d) = InteractionBatchDecoder().decode(document, fileName: fileName)
            return (.batch(b), d)
        }
    }

    /// A whole-file YAML document (segmark.yml, codes.yml).
    /// The parsed file, its diagnostics, and its bytes (empty when it cannot be read).
    func readYAMLFile(_ absolute: String, relative: String) -> (YAMLNode?, [Diagnostic], [UInt8]) {
        if let size = fileSystem.fileSize(absolute), size > FrontMatterParser.maxFileSize {
            return (nil, [FrontMatterParser.tooLarge(size, at: SourceLocation(path: relative, line: 1, column: 1))], [])
        }
        if fileSystem.kind(of: absolute) == .symlink {
            return (nil, [.error("\(relative) is a symbolic link; settings and codes are read from real files only",
                                 at: SourceLocation(path: relative, line: 1, column: 1))], [])
        }
        guard let bytes = try? fileSystem.read(absolute) else {
            return (nil, [.error("cannot read file", at: SourceLocation(path: relative, line: 1, column: 1))], [])
        }
        var slice = bytes[...]
        if slice.starts(with: [0xEF, 0xBB, 0xBF]) { slice = slice.dropFirst(3) }
        if let problem = FrontMatterParser.encodingProblem(slice) {
            return (nil, [.error(problem.message, at: SourceLocation(path: relative, line: problem.line, column: problem.column))], bytes)
        }
        let text = String(decoding: slice, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        switch YAMLReader().read(text, path: relative, lineOffset: 0) {
        case .success(let node): return (node, [], bytes)
        case .failure(let d): return (nil, [d], bytes)
        }
    }
}
