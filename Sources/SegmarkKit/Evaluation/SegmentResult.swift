/// The outcome of evaluating one segment: members, "added by step N", and the count
/// before and after every step.
public struct SegmentResult: Sendable {
    public struct StepCount: Sendable, Equatable {
        public var before: Int
        public var after: Int
        /// Contacts this step matched (add: after options).
        public var matched: Int
    }

    public var members: ContactSet
    /// Contact index → the 1-based step that last added it (members only).
    public var addedBy: StepNumbers
    public var steps: [StepCount]
    /// Contacts an add step dropped because of `exclude_from_segments`, that are not members.
    public var droppedByExclusion: ContactSet

    public var memberIndices: [Int] { members.indices }
}

/// "Added by step N" for a segment's members, kept compact (a sorted list of contact indices
/// and their step numbers): 200 segments of 20,000 members would take hundreds of megabytes
/// as dictionaries.
public struct StepNumbers: Sendable {
    var contacts: [Int32] = []
    var steps: [UInt16] = []

    public init() {}

    mutating func reserve(_ count: Int) {
        contacts.reserveCapacity(count)
        steps.reserveCapacity(count)
    }

    /// Appends contacts in increasing index order.
    mutating func append(_ contact: Int, step: Int) {
        contacts.append(Int32(contact))
        steps.append(UInt16(clamping: step))
    }

    /// Each of `members` (ascending) with its step, 0 for a member without one: one walk, no searches.
    func forEachStep(of members: ContactSet, _ body: (_ contact: Int, _ step: Int) -> Void) {
        var walk = Walk(self)
        members.forEach { ci in body(ci, walk.step(ci)) }
    }

    /// The steps of `members` (ascending), 0 for a member without one.
    func steps(of members: [Int]) -> [Int] {
        var walk = Walk(self)
        return members.map { walk.step($0) }
    }

    /// Steps looked up for ascending contacts in one pass over the list.
    private struct Walk {
        let contacts: [Int32], steps: [UInt16]
        var k = 0
        init(_ numbers: StepNumbers) { (contacts, steps) = (numbers.contacts, numbers.steps) }

        mutating func step(_ ci: Int) -> Int {
            while k < contacts.count, Int(contacts[k]) < ci { k += 1 }
            return k < contacts.count && Int(contacts[k]) == ci ? Int(steps[k]) : 0
        }
    }

    public subscript(_ contact: Int) -> Int? {
        var lo = 0, hi = contacts.count
        let key = Int32(contact)
        while lo < hi {
            let mid = (lo + hi) / 2
            if contacts[mid] < key { lo = mid + 1 } else { hi = mid }
        }
        return lo < contacts.count && contacts[lo] == key ? Int(steps[lo]) : nil
    }
}
