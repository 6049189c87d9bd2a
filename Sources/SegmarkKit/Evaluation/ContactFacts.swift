/// Per-contact facts the groups read, computed once per run: company numbers, the
/// contacts sharing each company number, own interaction entries and computed fields.
public struct ContactFacts: Sendable {
    /// Index of the contact's company-number contact (itself for a company), or nil.
    public var companyNumber: [Int?]
    /// By contact: for a company, the company and all its persons, ascending; else empty. One
    /// array with offsets: widening a set to whole companies reads it for every member
    /// company, and a hundred thousand small arrays were a cache miss and a reference count each.
    public var companyMembers: IndexLists
    /// Entry indices per contact, in batch then file order.
    public var entriesByContact: IndexLists
    public var lastInteractionDate: [Day?]
    public var lastAttemptDate: [Day?]
    /// The persons (the rest are companies), in one bitset: reading a contact's type from its
    /// record costs a cache miss per contact, a hundred thousand times per step.
    public var persons: ContactSet

    public init(model: Model, entries: [InteractionEntry]) {
        let n = model.contacts.count
        // Each contact's company found on every core (a record and an id look-up each).
        let companyNumber = parallelMap(n, itemsPerWorker: 4096) { i -> Int? in
            let c = model.contacts[i]
            if c.type == .company { return i }
            guard let company = c.company, let ci = model.contactIndex(of: company.value), model.contacts[ci].type == .company else { return nil }
            return ci
        }
        var persons = ContactSet(capacity: n)
        for i in 0..<n where companyNumber[i] != i { persons.insert(i) }
        // Dates as numbers (year, month, day in one Int; 0 for none) while a million entries
        // are visited; a batch's entries share one values object, read once per run of them.
        var last = [Int](repeating: 0, count: n)
        var attempt = [Int](repeating: 0, count: n)
        var dayOf: [Int: Day] = [:]
        // By place, not by copies of the entries (each copy would retain its shared values).
        var owners = [Int](repeating: 0, count: entries.count)
        entries.withUnsafeBufferPointer { all in
            last.withUnsafeMutableBufferPointer { last in
                attempt.withUnsafeMutableBufferPointer { attempt in
                    owners.withUnsafeMutableBufferPointer { owners in
                        var k = 0
                        while k < all.count {
                            let shared = all[k].shared
                            var end = k + 1
                            while end < all.count, all[end].shared === shared { end += 1 }
                            let date = shared.date
                            let key = date.year * 10_000 + date.month * 100 + date.day
                            let counts = !shared.canceled
                            let interaction = counts && !shared.attemptFailed, ours = counts && shared.initiatedBy == .us
                            if interaction || ours, dayOf[key] == nil { dayOf[key] = date }
                            for j in k..<end {
                                let c = all[j].contact
                                owners[j] = c
                                if interaction, key > last[c] { last[c] = key }
                                if ours, key > attempt[c] { attempt[c] = key }
                            }
                            k = end
                        }
                    }
                }
            }
        }
        self.companyNumber = companyNumber
        self.companyMembers = IndexLists(count: n, owners: companyNumber)
        self.entriesByContact = IndexLists(count: n, owners)
        self.lastInteractionDate = last.map { dayOf[$0] }
        self.lastAttemptDate = attempt.map { dayOf[$0] }
        self.persons = persons
    }

    /// The facts of an earlier evaluation after contacts `changed` changed and nothing else
    /// (same ids and types in the same places, the same batches, so the same entry dates): a
    /// changed person may have another company now.
    func patched(changed: [Int], model: Model) -> ContactFacts {
        var out = self
        var moved = false
        for i in changed where model.contacts[i].type == .person {
            var cn: Int?
            if let company = model.contacts[i].company, let ci = model.contactIndex(of: company.value), model.contacts[ci].type == .company {
                cn = ci
            }
            guard cn != out.companyNumber[i] else { continue }
            out.companyNumber[i] = cn
            moved = true
        }
        if moved { out.companyMembers = IndexLists(count: model.contacts.count, owners: out.companyNumber) }
        return out
    }

    /// Every contact sharing a company number with `i` (itself alone when it has none).
    public func sharing(_ i: Int) -> [Int] {
        guard let cn = companyNumber[i], !companyMembers[cn].isEmpty else { return [i] }
        return Array(companyMembers[cn])
    }
}

/// A list of indices per contact, all in one array (each contact's run found by offsets): a
/// million entries are one allocation instead of a hundred thousand arrays grown an append at
/// a time.
public struct IndexLists: Sendable {
    private var offsets: [Int]
    private var items: [Int]

    /// The lists of `count` contacts, where item `k` (an index, in ascending order) belongs to
    /// contact `owners[k]`.
    init(count: Int, _ owners: [Int]) {
        self.init(count: count, items: owners.count) { owners[$0] }
    }

    /// The lists of `owners.count` contacts, where contact `k` is an item of contact
    /// `owners[k]`'s list (and of none when that is nil).
    init(count: Int, owners: [Int?]) {
        self.init(count: count, items: owners.count) { owners[$0] }
    }

    /// A counting sort: item `k` of `0..<items` goes to the list of `owner(k)`, in order.
    private init(count: Int, items total: Int, owner: (Int) -> Int?) {
        var counts = [Int](repeating: 0, count: count + 1)
        for k in 0..<total { if let o = owner(k) { counts[o + 1] += 1 } }
        for i in 0..<count { counts[i + 1] += counts[i] }
        offsets = counts
        var next = counts
        var items = [Int](repeating: 0, count: counts[count])
        items.withUnsafeMutableBufferPointer { out in
            next.withUnsafeMutableBufferPointer { next in
                for k in 0..<total {
                    guard let o = owner(k) else { continue }
                    out[next[o]] = k
                    next[o] += 1
                }
            }
        }
        self.items = items
    }

    /// Contact `i`'s indices, ascending.
    public subscript(i: Int) -> ArraySlice<Int> { items[offsets[i]..<offsets[i + 1]] }

    /// Reads every list in place: `body` gets the offsets (list `i` is `items[offsets[i]..<offsets[i + 1]]`) and the items.
    func withLists<R>(_ body: (UnsafeBufferPointer<Int>, UnsafeBufferPointer<Int>) throws -> R) rethrows -> R {
        try offsets.withUnsafeBufferPointer { o in try items.withUnsafeBufferPointer { try body(o, $0) } }
    }
}
