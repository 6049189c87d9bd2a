/// `serve`'s load and validate, kept between rebuilds. After a save that only edits contacts
/// (the common case: a name, an address, a code), the last check's model takes the new
/// contacts in their places and only those contacts are validated again, instead of decoding,
/// sorting, indexing and validating the whole workspace. That holds when every file read again
/// is a contact file that was a contact before and keeps its id, type and custom field names:
/// then no other record's diagnostics can change (persons check their company's type; segments
/// check custom field names; batches check that ids exist). Anything else (a file added or
/// removed, a segment, a batch, codes.yml, segmark.yml, a file that does not parse) goes through
/// a whole `WorkspaceCheck`. A test compares the two after random edits.
final class IncrementalCheck: @unchecked Sendable {
    private var last: WorkspaceCheck?
    /// What the last check was made from: every file's path in order, the settings' and code
    /// tables' hashes, the listing's and settings' diagnostics.
    private var paths: [String] = []
    private var settingsAndCodes: [UInt64?] = []
    private var rawDiagnostics: [String] = []
    /// Contact file path → the contact's place in the last model.
    private var contactAt: [String: Int] = [:]
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
        settingsAndCodes = inputs(raw)
        rawDiagnostics = raw.diagnostics.map(\.description)
        contactAt = [:]
        contactAt.reserveCapacity(result.model.contacts.count)
        for (i, c) in result.model.contacts.enumerated() { contactAt[c.path] = i }
        return result
    }

    private func inputs(_ raw: WorkspaceLoader.RawWorkspace) -> [UInt64?] {
        [raw.hashes["segmark.yml"], raw.hashes[raw.settings.content + "/codes.yml"]]
    }

    private func patch(_ raw: WorkspaceLoader.RawWorkspace, _ cache: WorkspaceLoader.DecodeCache) -> WorkspaceCheck? {
        guard var result = last, inputs(raw) == settingsAndCodes, raw.files.count == paths.count,
              raw.diagnostics.map(\.description) == rawDiagnostics else { return nil }
        var fresh: [(index: Int, contact: Contact, diagnostics: [Diagnostic], hash: UInt64)] = []
        for (n, file) in raw.files.enumerated() {
            guard file.path == paths[n] else { return nil }
            guard let bytes = file.bytes else {
                if raw.reused.contains(file.path) { continue }
                return nil  // it could not be read: its diagnostic comes from a whole check
            }
            guard file.kind == .contact, let i = contactAt[file.path] else { return nil }
            let hash = raw.hashes[file.path] ?? 0
            // Read again but the same bytes (a save without a change): the model has its record.
            if let hit = cache.entries[file.path], hit.hash == hash { continue }
            guard case (.contact(let c)?, let d) = WorkspaceLoader.decodeFile(kind: .contact, path: file.path, bytes: bytes) else { return nil }
            let old = result.model.contacts[i]
            guard c.id == old.id, c.type == old.type, c.fields.map(\.name) == old.fields.map(\.name) else { return nil }
            fresh.append((i, c, d, hash))
        }
        let freshPaths = Set(fresh.map(\.contact.path))
        var diagnostics = result.diagnostics.filter { !freshPaths.contains($0.location.path) }
        for f in fresh { result.model.contacts[f.index] = f.contact }
        let validator = ModelValidator()
        for f in fresh {
            diagnostics += f.diagnostics
            diagnostics += validator.diagnostics(ofContact: f.index, result.model)
            // Read again next time the watcher cannot say what changed (its times are fresh).
            cache.entries[f.contact.path] = .init(hash: f.hash, stamp: nil, variantOf: nil, decoded: .contact(f.contact), diagnostics: f.diagnostics)
        }
        cache.parsed = fresh.count
        changedSinceMark? += fresh.map(\.index)
        result.model.sourceHashes = raw.hashes
        result.diagnostics = diagnostics.sortedForOutput()
        return result
    }
}
