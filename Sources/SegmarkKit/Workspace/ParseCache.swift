/// The decoded contact and batch files of the last build, kept on disk between builds in
/// `.segmark-cache/parsed` under the workspace folder (not in Output/, which is published).
/// A build reads a content file again only when its size, modification and change times (to
/// the nanosecond) or inode differ from what the cache saw; the others come from the cache
/// with the hash and the diagnostics they had. At L (100,000 contacts, 11,000 batches) that
/// saves reading and parsing 111,000 files after one of them changed.
///
/// The cache is only ever a shortcut: a cache made by another program (`toolIdentity`), or
/// one that does not read back whole, is ignored, and the files are parsed. A cache folder
/// that is a symbolic link (content arrives in pull requests) is neither read nor written.
struct ParseCache {
    static let folderName = ".segmark-cache"
    static let fileName = "parsed"
    static let magic = Array("segmark parse cache 1\n".utf8)
    /// A cache file larger than this is not read (it would be a cache of far more than 10M contacts).
    static let maxSize = 4 << 30

    let fileSystem: FileSystem
    let root: String
    /// Identifies the program: another build of `segmark` may decode files differently.
    let toolIdentity: String

    /// How many files a build may parse again, beside the cache, before it writes the cache
    /// anew. A file edited since the cache was written is simply parsed again by each build
    /// (a few microseconds); writing the whole cache after every edit of one contact cost 0.6 s
    /// of a core at L (73 MB). Files added or removed always rewrite it.
    static func reparsedBeforeRewrite(records: Int) -> Int { max(64, records / 256) }

    var folder: String { root + "/" + Self.folderName }
    var path: String { folder + "/" + Self.fileName }

    /// The cached records as a decode cache for `WorkspaceLoader.read(root:reusing:)`, or nil
    /// when there is no usable cache.
    func load() -> WorkspaceLoader.DecodeCache? {
        guard fileSystem.kind(of: folder) == .directory, fileSystem.kind(of: path) == .file,
              let size = fileSystem.fileSize(path), size <= Self.maxSize,
              let bytes = try? fileSystem.read(path) else { return nil }
        return try? decode(bytes)
    }

    /// Writes the cache's contact and batch records whose file stamps can be trusted. Failing
    /// to write is not an error of the build: the next build parses the files.
    func save(_ cache: WorkspaceLoader.DecodeCache, order: [String]? = nil) {
        switch fileSystem.kind(of: folder) {
        case nil: guard (try? fileSystem.createDirectory(folder)) != nil, fileSystem.kind(of: folder) == .directory else { return }
        case .directory?: break
        default: return
        }
        try? fileSystem.writeAtomically(encode(cache, order: order), to: path)
    }

    // MARK: the file

    /// - Parameter order: the paths in the order to write them (the listing's); sorted when nil.
    func encode(_ cache: WorkspaceLoader.DecodeCache, order: [String]? = nil) -> [UInt8] {
        var w = ByteWriter()
        w.bytes = Self.magic
        w.string(toolIdentity)
        let kept = Self.kept(cache, order: order)
        // Each entry behind its length, so that reading can split the file across cores. An
        // entry read from the cache file and still true (same stamp, same hash) is copied as it
        // was; the others are encoded first, so that the buffer is made at its final size (grown
        // by doubling, the buffer of a cache at L, 73 MB, took 157 MB beside the whole model).
        let records: [ArraySlice<UInt8>] = kept.map { path, entry in
            if let old = cache.encoded[path], old.hash == entry.hash, old.stamp == entry.stamp { return old.bytes }
            var e = ByteWriter()
            RecordCoding.entry(path, entry, into: &e)
            return e.bytes[...]
        }
        w.bytes.reserveCapacity(w.bytes.count + 10 + records.reduce(0) { $0 + 10 + $1.count })
        w.unsigned(UInt64(records.count))
        for record in records {
            w.unsigned(UInt64(record.count))
            w.bytes += record
        }
        return w.bytes
    }

    /// The records the file keeps, by path: contacts and batches read from a file whose stamp
    /// can be trusted (not one changed in the moments before it was read).
    static func kept(_ cache: WorkspaceLoader.DecodeCache, order: [String]? = nil) -> [(String, WorkspaceLoader.DecodeCache.Entry)] {
        (order ?? cache.entries.keys.sorted(by: Text.codePointLess)).compactMap { path in
            cache.entries[path].flatMap { keeps($0, at: path) ? (path, $0) : nil }
        }
    }

    static func keptCount(_ cache: WorkspaceLoader.DecodeCache) -> Int {
        cache.entries.count { keeps($1, at: $0) }
    }

    /// Whether the file keeps this entry: a contact or batch of that path, read while its stamp
    /// could be trusted.
    private static func keeps(_ entry: WorkspaceLoader.DecodeCache.Entry, at path: String) -> Bool {
        guard entry.stamp != nil, entry.variantOf == nil else { return false }
        switch entry.decoded {
        case .contact(let c)?: return c.path == path
        case .batch(let b)?: return b.path == path
        default: return false
        }
    }

    func decode(_ bytes: [UInt8]) throws -> WorkspaceLoader.DecodeCache {
        guard bytes.starts(with: Self.magic) else { throw ByteReader.Malformed() }
        var r = ByteReader(bytes, from: Self.magic.count)
        guard try r.string() == toolIdentity else { throw ByteReader.Malformed() }
        let count = try r.count()
        var spans: [Range<Int>] = []
        for _ in 0..<count {
            let length = try r.count()
            spans.append(r.offset..<r.offset + length)
            r.offset += length
        }
        guard r.atEnd else { throw ByteReader.Malformed() }
        let all = spans
        let decoded = parallelMap(all.count, itemsPerWorker: 256) { i -> UncheckedBox<(String, WorkspaceLoader.DecodeCache.Entry)?> in
            var reader = ByteReader(bytes, from: all[i].lowerBound, to: all[i].upperBound)
            guard let entry = try? RecordCoding.entry(from: &reader), reader.atEnd else { return UncheckedBox(nil) }
            return UncheckedBox(entry)
        }
        let cache = WorkspaceLoader.DecodeCache()
        cache.entries.reserveCapacity(decoded.count)
        cache.encoded.reserveCapacity(decoded.count)
        for (box, span) in zip(decoded, all) {
            guard let (path, entry) = box.value, cache.entries[path] == nil else { throw ByteReader.Malformed() }
            cache.entries[path] = entry
            cache.encoded[path] = (entry.hash, entry.stamp, bytes[span])
        }
        return cache
    }
}

/// The binary form of the records the parse cache keeps: contacts and batches, each with its
/// file's hash, stamp and diagnostics. A location in the record's own file is written without
/// its path.
enum RecordCoding {
    static func entry(_ path: String, _ entry: WorkspaceLoader.DecodeCache.Entry, into w: inout ByteWriter) {
        w.string(path)
        w.fixed64(entry.hash)
        let stamp = entry.stamp ?? FileStatus(kind: .file, size: 0, modified: 0)
        w.unsigned(UInt64(max(0, stamp.size)))
        w.int64(stamp.modified)
        w.int64(stamp.changed)
        w.fixed64(stamp.inode)
        w.unsigned(UInt64(entry.diagnostics.count))
        for d in entry.diagnostics {
            w.bool(d.severity == .error)
            w.string(d.message)
            location(d.location, file: path, into: &w)
        }
        switch entry.decoded {
        case .contact(let c)?:
            w.byte(1)
            contact(c, into: &w)
        case .batch(let b)?:
            w.byte(2)
            batch(b, into: &w)
        default:
            w.byte(0)
        }
    }

    static func entry(from r: inout ByteReader) throws -> (String, WorkspaceLoader.DecodeCache.Entry) {
        let path = try r.string()
        let hash = try r.fixed64()
        let size = try r.unsigned()
        guard size <= UInt64(Int.max) else { throw ByteReader.Malformed() }
        let stamp = FileStatus(kind: .file, size: Int(size), modified: try r.int64(), changed: try r.int64(), inode: try r.fixed64())
        var diagnostics: [Diagnostic] = []
        for _ in 0..<(try r.count()) {
            let error = try r.bool()
            let message = try r.string()
            diagnostics.append(Diagnostic(error ? .error : .warning, message, at: try location(from: &r, file: path)))
        }
        let decoded: WorkspaceLoader.Decoded
        switch try r.byte() {
        case 1: decoded = .contact(try contact(from: &r, file: path))
        case 2: decoded = .batch(try batch(from: &r, file: path))
        default: throw ByteReader.Malformed()
        }
        return (path, .init(hash: hash, stamp: stamp, variantOf: nil, decoded: decoded, diagnostics: diagnostics))
    }

    // MARK: parts

    static func location(_ l: SourceLocation, file: String, into w: inout ByteWriter) {
        if l.path == file {
            w.byte(0)
        } else {
            w.byte(1)
            w.string(l.path)
        }
        w.int(l.line)
        w.int(l.column)
    }

    static func location(from r: inout ByteReader, file: String) throws -> SourceLocation {
        let path = try r.byte() == 0 ? file : try r.string()
        return SourceLocation(path: path, line: try r.int(), column: try r.int())
    }

    static func located(_ l: Located<String>?, file: String, into w: inout ByteWriter) {
        guard let l else { return w.byte(0) }
        w.byte(1)
        w.string(l.value)
        location(l.location, file: file, into: &w)
    }

    static func located(from r: inout ByteReader, file: String) throws -> Located<String>? {
        guard try r.byte() != 0 else { return nil }
        let value = try r.string()
        return Located(value, at: try location(from: &r, file: file))
    }

    static func day(_ d: Day?, into w: inout ByteWriter) {
        guard let d else { return w.byte(0) }
        w.byte(1)
        w.int(d.year)
        w.int(d.month)
        w.int(d.day)
    }

    static func day(from r: inout ByteReader) throws -> Day? {
        guard try r.byte() != 0 else { return nil }
        guard let d = Day(year: try r.int(), month: try r.int(), day: try r.int()) else { throw ByteReader.Malformed() }
        return d
    }

    /// An optional case of a fixed list: 0 for nil, else its place plus one.
    static func choice<T: CaseIterable & Equatable>(_ v: T?, into w: inout ByteWriter) {
        w.unsigned(v.map { value in UInt64(Array(T.allCases).firstIndex(of: value)! + 1) } ?? 0)
    }

    static func choice<T: CaseIterable>(from r: inout ByteReader) throws -> T? {
        try r.choice([nil] + T.allCases.map { Optional($0) })
    }

    // MARK: contacts

    static func contact(_ c: Contact, into w: inout ByteWriter) {
        w.string(c.id)
        location(c.idLocation, file: c.path, into: &w)
        w.bool(c.type == .company)
        w.string(c.name)
        located(c.company, file: c.path, into: &w)
        for field in ContactField.allCases { w.string(c.values[field]) }
        let keys = c.locations.keys
        w.unsigned(UInt64(keys.count))
        for key in keys {
            w.string(key)
            location(c.locations[key]!, file: c.path, into: &w)
        }
        choice(c.correspondenceType, into: &w)
        for list in [c.industryGroups, c.businessRelations, c.mailingGroups, c.jobResponsibilities] { w.strings(list) }
        w.unsigned(UInt64(c.profile.count))
        for (question, answers) in c.profile {
            w.string(question)
            w.strings(answers)
        }
        w.bool(c.excludeFromSegments)
        day(c.created, into: &w)
        w.unsigned(UInt64(c.fields.count))
        for (name, value) in c.fields {
            w.string(name)
            w.string(value)
        }
        w.string(c.body)
    }

    static func contact(from r: inout ByteReader, file: String) throws -> Contact {
        let id = try r.string()
        let idLocation = try location(from: &r, file: file)
        var c = Contact(id: id, path: file, idLocation: idLocation, type: try r.bool() ? .company : .person, name: try r.string())
        c.company = try located(from: &r, file: file)
        var values = ContactValues()
        for field in ContactField.allCases { values[field] = try r.optionalString() }
        c.values = values
        let keys = try r.count()
        // Sized once, not grown key by key (a damaged count only bounds the reservation).
        var locations = FieldLocations()
        locations.reserveCapacity(min(keys, 256))
        for _ in 0..<keys {
            let key = try r.string()
            locations[key] = try location(from: &r, file: file)
        }
        c.locations = locations
        c.correspondenceType = try choice(from: &r)
        c.industryGroups = try r.strings()
        c.businessRelations = try r.strings()
        c.mailingGroups = try r.strings()
        c.jobResponsibilities = try r.strings()
        var profile: [(question: String, answers: [String])] = []
        for _ in 0..<(try r.count()) {
            let question = try r.string()
            profile.append((question, try r.strings()))
        }
        c.profile = profile
        c.excludeFromSegments = try r.bool()
        c.created = try day(from: &r)
        var fields: [(name: String, value: String)] = []
        for _ in 0..<(try r.count()) {
            let name = try r.string()
            fields.append((name, try r.string()))
        }
        c.fields = fields
        c.body = try r.string()
        return c
    }

    // MARK: batches

    static func values(_ v: InteractionValues, file: String, into w: inout ByteWriter) {
        located(v.campaign, file: file, into: &w)
        w.bool(v.campaignTarget)
        w.bool(v.campaignResponse)
        w.string(v.description)
        w.string(v.subject)
        w.string(v.salesperson)
        choice(v.informationFlow, into: &w)
        choice(v.initiatedBy, into: &w)
        choice(v.correspondenceType, into: &w)
        w.decimal(v.cost)
        w.decimal(v.duration)
        choice(v.evaluation, into: &w)
        w.bool(v.attemptFailed)
        w.string(v.language)
    }

    static func values(from r: inout ByteReader, file: String) throws -> InteractionValues {
        var v = InteractionValues()
        v.campaign = try located(from: &r, file: file)
        v.campaignTarget = try r.optionalBool()
        v.campaignResponse = try r.optionalBool()
        v.description = try r.optionalString()
        v.subject = try r.optionalString()
        v.salesperson = try r.optionalString()
        v.informationFlow = try choice(from: &r)
        v.initiatedBy = try choice(from: &r)
        v.correspondenceType = try choice(from: &r)
        v.cost = try r.decimal()
        v.duration = try r.decimal()
        v.evaluation = try choice(from: &r)
        v.attemptFailed = try r.optionalBool()
        v.language = try r.optionalString()
        return v
    }

    static func batch(_ b: InteractionBatch, into w: inout ByteWriter) {
        let file = b.path
        w.string(b.id)
        location(b.idLocation, file: file, into: &w)
        day(b.date, into: &w)
        located(b.template, file: file, into: &w)
        located(b.segment, file: file, into: &w)
        w.bool(b.canceled)
        if let l = b.canceledLocation {
            w.byte(1)
            location(l, file: file, into: &w)
        } else {
            w.byte(0)
        }
        values(b.values, file: file, into: &w)
        w.unsigned(UInt64(b.contacts.count))
        for c in b.contacts { located(c, file: file, into: &w) }
        w.unsigned(UInt64(b.entries.count))
        for e in b.entries {
            located(e.contact, file: file, into: &w)
            values(e.values, file: file, into: &w)
        }
        w.string(b.body)
    }

    static func batch(from r: inout ByteReader, file: String) throws -> InteractionBatch {
        let id = try r.string()
        var b = InteractionBatch(id: id, path: file, idLocation: try location(from: &r, file: file))
        b.date = try day(from: &r)
        b.template = try located(from: &r, file: file)
        b.segment = try located(from: &r, file: file)
        b.canceled = try r.bool()
        if try r.byte() != 0 { b.canceledLocation = try location(from: &r, file: file) }
        b.values = try values(from: &r, file: file)
        func required() throws -> Located<String> {
            guard let l = try located(from: &r, file: file) else { throw ByteReader.Malformed() }
            return l
        }
        for _ in 0..<(try r.count()) { b.contacts.append(try required()) }
        for _ in 0..<(try r.count()) {
            let contact = try required()
            b.entries.append(.init(contact: contact, values: try values(from: &r, file: file)))
        }
        b.body = try r.string()
        return b
    }
}
