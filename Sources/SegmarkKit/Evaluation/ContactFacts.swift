/// Per-contact facts the groups read, computed once per run: company numbers, the
/// contacts sharing each company number, own interaction entries and computed fields.
public struct ContactFacts: Sendable {
    /// Index of the contact's company-number contact (itself for a company), or nil.
    public var companyNumber: [Int?]
    /// By contact: for a company, the company and all its persons, ascending; else empty.
    public var companyMembers: [[Int]]
    /// Entry indices per contact, in batch then file order.
    public var entriesByContact: IndexLists
    public var lastInteractionDate: [Day?]
    public var lastAttemptDate: [Day?]
    /// The persons (the rest are companies), in one bitset: reading a contact's type from its
    /// record costs a cache miss per contact, a hundred thousand times per step.
    public var persons: ContactSet

    public init(model: Model, entries: [InteractionEntry]) {
        let n = model.contacts.count
        var companyNumber = [Int?](repeating: nil, count: n)
        var members = [[Int]](repeating: [], count: n)
        var persons = ContactSet(capacity: n)
        for (i, c) in model.contacts.enumerated() {
            if c.type == .person { persons.insert(i) }
            if c.type == .company {
                companyNumber[i] = i
            } else if let company = c.company, let ci = model.contactIndex(of: company.value),
                      model.contacts[ci].type == .company {
                companyNumber[i] = ci
            }
            if let cn = companyNumber[i] { members[cn].append(i) }
        }
        var last = [Day?](repeating: nil, count: n)
        var attempt = [Day?](repeating: nil, count: n)
        // By place, not by copies of the entries (each copy would retain its shared values).
        var owners = [Int](repeating: 0, count: entries.count)
        entries.withUnsafeBufferPointer { all in
            for k in all.indices {
                let c = all[k].contact
                owners[k] = c
                let shared = all[k].shared
                guard !shared.canceled else { continue }
                let date = shared.date
                if !shared.attemptFailed, last[c].map({ date > $0 }) ?? true { last[c] = date }
                if shared.initiatedBy == .us, attempt[c].map({ date > $0 }) ?? true { attempt[c] = date }
            }
        }
        self.companyNumber = companyNumber
        self.companyMembers = members
        self.entriesByContact = IndexLists(count: n, owners)
        self.lastInteractionDate = last
        self.lastAttemptDate = attempt
        self.persons = persons
    }

    /// The facts of an earlier evaluation after contacts `changed` changed and nothing else
    /// (same ids and types in the same places, the same batches, so the same entry dates): a
    /// changed person may have another company now.
    func patched(changed: [Int], model: Model) -> ContactFacts {
        var out = self
        for i in changed where model.contacts[i].type == .person {
            var cn: Int?
            if let company = model.contacts[i].company, let ci = model.contactIndex(of: company.value), model.contacts[ci].type == .company {
                cn = ci
            }
            guard cn != out.companyNumber[i] else { continue }
            if let old = out.companyNumber[i] { out.companyMembers[old].removeAll { $0 == i } }
            if let cn {
                let at = out.companyMembers[cn].firstIndex { $0 > i } ?? out.companyMembers[cn].count
                out.companyMembers[cn].insert(i, at: at)
            }
            out.companyNumber[i] = cn
        }
        return out
    }

    /// Every contact sharing a company number with `i` (itself alone when it has none).
    public func sharing(_ i: Int) -> [Int] {
        guard let cn = companyNumber[i], !companyMembers[cn].isEmpty else { return [i] }
        return companyMembers[cn]
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
        var counts = [Int](repeating: 0, count: count + 1)
        var total = 0
        for owner in owners {
            counts[owner + 1] += 1
            total += 1
        }
        for i in 0..<count { counts[i + 1] += counts[i] }
        offsets = counts
        var next = counts
        var items = [Int](repeating: 0, count: total)
        items.withUnsafeMutableBufferPointer { out in
            next.withUnsafeMutableBufferPointer { next in
                for (k, owner) in owners.enumerated() {
                    out[next[owner]] = k
                    next[owner] += 1
                }
            }
        }
        self.items = items
    }

    /// Contact `i`'s indices, ascending.
    public subscript(i: Int) -> ArraySlice<Int> { items[offsets[i]..<offsets[i + 1]] }
}
