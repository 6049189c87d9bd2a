/// `serve`'s load and validate, kept between rebuilds. After a save that only edits contacts
/// or segments (the common case: a name, an address, a code, a segment's criteria), the last
/// check's model takes the new records in their places and only what they can change is
/// validated again, instead of decoding, sorting, indexing and validating the whole workspace.
/// That holds when every file read again is a contact or segment file that was one before and
/// keeps its id (a contact also its type and custom field names): then no other record's
/// diagnostics can change (persons check their company's type; segments check custom field
/// names; batches check that ids exist). A changed contact is validated again; a changed
/// segment has every segment rule run again (references, cycles and filter values cross
/// segments). Anything else (a file added or removed, a batch, a template, codes.yml,
/// segmark.yml, a file that does not parse) goes through a whole `WorkspaceCheck`. A test
/// compares the two after random edits.
final class IncrementalCheck: @unchecked Sendable {
    private var last: WorkspaceCheck?
    /// What the last check was made from: every file's path in order, the settings' and code
    /// tables' hashes, the listing's and settings' diagnostics.
    private var paths: [String] = []
    /// The listing (its number in the session) the last whole check was made from.
    private var listing = -1
    private var settingsAndCodes: [UInt64?] = []
    private var rawDiagnostics: [String] = []
    /// Contact and segment file path → the record's place in the last model.
    private var contactAt: [String: Int] = [:]
    private var segmentAt: [String: Int] = [:]
    /// Whether the last check was patched (for tests and the timings).
    private(set) var patched = false
    /// The contacts (places in the model) patched since `mark()`; nil when a whole check ran
    /// since then. An evaluation of the marked model is brought up to date by re-testing them.
    private(set) var changedSinceMark: [Int]?

    /// Notes that the current model was evaluated.
    func mark() { changedSinceMark = [] }

    func check(_ raw: WorkspaceLoader.RawWorkspace, fileSystem: FileSystem, cache: WorkspaceLoader.DecodeCache) -> WorkspaceCheck {
        if let result = patch(raw, cache) {
            last = result
            patched = true
            return result
        }
        let result = WorkspaceCheck(raw: raw, fileSystem: fileSystem, cache: cache)
        last = result
        patched = false
        changedSinceMark = nil
        paths = raw.files.map(\.path)
        listing = raw.listing
        settingsAndCodes = inputs(raw)
        rawDiagnostics = raw.diagnostics.map(\.description)
        contactAt = [:]
        contactAt.reserveCapacity(result.model.contacts.count)
        for (i, c) in result.model.contacts.enumerated() { contactAt[c.path] = i }
        segmentAt = [:]
        for (i, s) in result.model.segments.enumerated() { segmentAt[s.path] = i }
        return result
    }

    private func inputs(_ raw: WorkspaceLoader.RawWorkspace) -> [UInt64?] {
        [raw.hashes["segmark.yml"], raw.hashes[raw.settings.content + "/codes.yml"]]
    }

    private func patch(_ raw: WorkspaceLoader.RawWorkspace, _ cache: WorkspaceLoader.DecodeCache) -> WorkspaceCheck? {
        guard var result = last, inputs(raw) == settingsAndCodes, raw.files.count == paths.count,
              raw.diagnostics.map(\.description) == rawDiagnostics else { return nil }
        var fresh: [(index: Int, contact: Contact, diagnostics: [Diagnostic], hash: UInt64)] = []
        var freshSegments: [(index: Int, segment: Segment, diagnostics: [Diagnostic], hash: UInt64)] = []
        // The same listing: the same files in the same order, and only `fresh` were read.
        let sameListing = raw.listing >= 0 && raw.listing == listing
        for n in sameListing ? raw.fresh : Array(raw.files.indices) {
            let file = raw.files[n]
            guard file.path == paths[n] else { return nil }
            guard let bytes = file.bytes else {
                if raw.reused.contains(file.path) { continue }
                return nil  // it could not be read: its diagnostic comes from a whole check
            }
            let hash = raw.hashes[file.path] ?? 0
            // Read again but the same bytes (a save without a change): the model has its record.
            if let hit = cache.entries[file.path], hit.hash == hash { continue }
            guard file.kind == .contact || file.kind == .segment else { return nil }
            switch WorkspaceLoader.decodeFile(kind: file.kind, path: file.path, bytes: bytes) {
            case (.contact(let c)?, let d):
                guard let i = contactAt[file.path] else { return nil }
                let old = result.model.contacts[i]
                guard c.id == old.id, c.type == old.type, c.fields.map(\.name) == old.fields.map(\.name) else { return nil }
                fresh.append((i, c, d, hash))
            case (.segment(let s)?, let d):
                guard let i = segmentAt[file.path], s.id == result.model.segments[i].id else { return nil }
                freshSegments.append((i, s, d, hash))
            default:
                return nil
            }
        }
        // The diagnostics in the files read again are made again; after a segment changed,
        // those in every segment file.
        var remade = Set(fresh.map(\.contact.path) + freshSegments.map(\.segment.path))
        if !freshSegments.isEmpty { remade.formUnion(result.model.segments.map(\.path)) }
        var diagnostics = result.diagnostics.filter { !remade.contains($0.location.path) }
        for f in fresh { result.model.contacts[f.index] = f.contact }
        for f in freshSegments { result.model.segments[f.index] = f.segment }
        let validator = ModelValidator()
        for f in fresh {
            diagnostics += f.diagnostics
            diagnostics += validator.diagnostics(ofContact: f.index, result.model)
            // Read again next time the watcher cannot say what changed (its times are fresh).
            cache.entries[f.contact.path] = .init(hash: f.hash, stamp: nil, variantOf: nil, decoded: .contact(f.contact), diagnostics: f.diagnostics)
        }
        for f in freshSegments {
            cache.entries[f.segment.path] = .init(hash: f.hash, stamp: nil, variantOf: nil, decoded: .segment(f.segment), diagnostics: f.diagnostics)
        }
        if !freshSegments.isEmpty {
            let segmentFiles = Set(result.model.segments.map(\.path))
            diagnostics += raw.diagnostics.filter { segmentFiles.contains($0.location.path) }
            for s in result.model.segments { diagnostics += cache.entries[s.path]?.diagnostics ?? [] }
            diagnostics += validator.segmentRules(result.model).filter { segmentFiles.contains($0.location.path) }
        }
        cache.parsed = fresh.count + freshSegments.count
        changedSinceMark? += fresh.map(\.index)
        result.model.sourceHashes = raw.hashes
        result.diagnostics = diagnostics.sortedForOutput()
        return result
    }
}
