/// What each page reads, folded into one number per page, so an incremental build re-renders
/// only the pages whose inputs changed: a page's signature mixes the hashes of the files it
/// shows (a contact's own file and its company's, a segment's file, the batch files of its
/// entries) with the evaluation results it shows (members, "added by step", counts) and a
/// global part (settings, code tables, templates, interaction templates, campaigns, the as-of
/// date, the formats, the program, file history). Same signature, same bytes.
struct PageSignatures: Sendable {
    let global: UInt64
    /// Per contact: its file and, for a person, its company's file.
    let contact: [UInt64]
    let segmentFile: [UInt64]
    let batchFile: [UInt64]
    let memberships: Memberships
    /// Per segment, the batches logged from it (found once, not once a segment and batch).
    let batchesOfSegment: [[Int]]

    init(model: Model, evaluation: Evaluation, global: UInt64) {
        self.global = global
        let hashes = model.sourceHashes
        let own = model.contacts.map { hashes[$0.path] ?? 0 }
        contact = model.contacts.indices.map { ci in
            var f = Fingerprint()
            f.combine(own[ci])
            if model.contacts[ci].type == .person, let company = evaluation.facts.companyNumber[ci] { f.combine(own[company]) }
            return f.value
        }
        segmentFile = model.segments.map { hashes[$0.path] ?? 0 }
        batchFile = model.batches.map { hashes[$0.path] ?? 0 }
        var bySegment = [[Int]](repeating: [], count: model.segments.count)
        for (bi, b) in model.batches.enumerated() {
            if let s = b.segment, let si = model.segmentIndex[Text.fold(s.value)] { bySegment[si].append(bi) }
        }
        batchesOfSegment = bySegment
        memberships = evaluation.memberships(contactCount: model.contacts.count)
    }

    /// The part every page shares: what is not a contact, segment or batch file.
    static func global(model: Model, context: UInt64) -> UInt64 {
        var f = Fingerprint()
        f.combine(context)
        for path in ["segmark.yml", model.settings.content + "/codes.yml"] { f.combine(model.sourceHashes[path] ?? 0) }
        for t in model.templates {
            f.combine(model.sourceHashes[t.path] ?? 0)
            for v in t.variants { f.combine(model.sourceHashes[v.path] ?? 0) }
        }
        for c in model.campaigns { f.combine(model.sourceHashes[c.path] ?? 0) }
        // Not the number of contacts: only the overview (always rendered), the directory and
        // the sheets' step counts show it, and their signatures hold it. A contact added or
        // removed leaves every other contact's page, and most batches, as they were.
        return f.value
    }

    /// A page of the contacts directory: its contacts' files and segment counts, and the page count.
    func directoryPage(contacts: Range<Int>, pages: Int) -> UInt64 {
        var f = Fingerprint()
        f.combine(global)
        f.combine(UInt64(pages))
        f.combine(UInt64(contact.count))  // the total it shows
        for ci in contacts {
            f.combine(contact[ci])
            f.combine(UInt64(memberships.count(ci)))
        }
        return f.value
    }

    func contactPage(_ ci: Int, evaluation: Evaluation) -> UInt64 {
        var f = Fingerprint()
        f.combine(global)
        f.combine(contact[ci])
        memberships.forEach(ci) { si, step in
            f.combine(segmentFile[si])
            f.combine(UInt64(step))
        }
        f.combine(0xFFFF)
        for ei in evaluation.facts.entriesByContact[ci] { f.combine(batchFile[evaluation.entries[ei].batch]) }
        return f.value
    }

    /// The sheet, its CSV and its labels.
    func segmentPages(_ si: Int, model: Model, evaluation: Evaluation) -> UInt64 {
        var f = Fingerprint()
        f.combine(global)
        f.combine(segmentFile[si])
        guard let result = evaluation.results[si] else { return f.value }
        for step in result.steps {
            f.combine(UInt64(step.before))
            f.combine(UInt64(step.after))
        }
        // The members in order, by their files (not their places among all contacts, which a
        // contact added before them moves).
        result.addedBy.forEachStep(of: result.members) { ci, step in
            f.combine(contact[ci])
            f.combine(UInt64(step))
        }
        f.combine(0xFFFF)
        result.droppedByExclusion.forEach { ci in f.combine(contact[ci]) }
        for bi in batchesOfSegment[si] { f.combine(batchFile[bi]) }
        return f.value
    }

    /// A batch's page, CSV, labels, letters and e-mails: its file and its contacts' (and their companies').
    /// The batch's segment file too: the page shows its description.
    func batchPages(_ bi: Int, model: Model, entries: [InteractionEntry]) -> UInt64 {
        var f = Fingerprint()
        f.combine(global)
        f.combine(batchFile[bi])
        if let s = model.batches[bi].segment, let si = model.segmentIndex[Text.fold(s.value)] { f.combine(segmentFile[si]) }
        for e in entries { f.combine(contact[e.contact]) }
        return f.value
    }

    /// One e-mail draft: the batch file and the contact's (and its company's) file.
    func mailDraft(_ bi: Int, contact ci: Int) -> UInt64 {
        var f = Fingerprint()
        f.combine(global)
        f.combine(batchFile[bi])
        f.combine(contact[ci])
        return f.value
    }

    func campaignPage(_ ci: Int, model: Model, evaluation: Evaluation, entries: [Int]) -> UInt64 {
        var f = Fingerprint()
        f.combine(global)
        let id = Text.fold(model.campaigns[ci].id)
        for (si, s) in model.segments.enumerated() {
            guard s.campaign.map({ Text.fold($0.value) == id }) ?? false else { continue }
            f.combine(segmentFile[si])
            f.combine(UInt64(evaluation.results[si]?.members.count ?? 0))
        }
        f.combine(0xFFFF)
        // An entry's segment is its batch's: looked up once a run of entries of one batch.
        var fold = FoldMemo()
        var lastBatch = -1
        var segment: (file: UInt64, members: UInt64)?
        evaluation.entries.withUnsafeBufferPointer { all in
            for ei in entries {
                let entry = all[ei]
                f.combine(batchFile[entry.batch])
                // Which contact (distinct counts), and its file only where the page shows the
                // contact: in the list of responses. Editing any other contact leaves the page as
                // it is (a campaign can have a million entries and a handful of responses).
                f.combine(UInt64(entry.contact))
                if entry.campaignResponse && !entry.canceled { f.combine(contact[entry.contact]) }
                if entry.batch != lastBatch {
                    lastBatch = entry.batch
                    segment = entry.segment.flatMap { model.segmentIndex[fold($0)] }.map { si in
                        (segmentFile[si], UInt64(evaluation.results[si]?.members.count ?? 0))
                    }
                }
                if let segment {
                    f.combine(segment.file)
                    f.combine(segment.members)
                }
            }
        }
        return f.value
    }
}
