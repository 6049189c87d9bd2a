/// A set of contacts as a bitset over contact indices (the model's id order), so unions and
/// intersections over 100k contacts cost a few thousand word operations and iteration is
/// already in id order (case-folded, bytewise).
public struct ContactSet: Sendable, Equatable {
    public private(set) var words: [UInt64]
    public let capacity: Int

    public init(capacity: Int) {
        self.capacity = capacity
        self.words = [UInt64](repeating: 0, count: (capacity + 63) / 64)
    }

    public static func all(_ capacity: Int) -> ContactSet {
        var s = ContactSet(capacity: capacity)
        for i in 0..<s.words.count { s.words[i] = ~0 }
        if capacity % 64 != 0, !s.words.isEmpty { s.words[s.words.count - 1] = (1 << UInt64(capacity % 64)) - 1 }
        return s
    }

    @inline(__always) public func contains(_ i: Int) -> Bool { words[i >> 6] & (1 << UInt64(i & 63)) != 0 }
    @inline(__always) public mutating func insert(_ i: Int) { words[i >> 6] |= (1 << UInt64(i & 63)) }
    @inline(__always) public mutating func remove(_ i: Int) { words[i >> 6] &= ~(1 << UInt64(i & 63)) }

    public var count: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }
    public var isEmpty: Bool { words.allSatisfy { $0 == 0 } }

    /// The indices below `capacity` that `holds` accepts, asked in ascending order, the words
    /// written in place (one uniqueness check for the set, not one per index).
    public init(capacity: Int, where holds: (Int) -> Bool) {
        self.init(capacity: capacity)
        words.withUnsafeMutableBufferPointer { w in
            for i in 0..<capacity where holds(i) { w[i >> 6] |= (1 << UInt64(i & 63)) }
        }
    }

    /// Inserts every index of a list, with one uniqueness check for the list (not one per index).
    public mutating func insert(contentsOf list: [Int]) {
        words.withUnsafeMutableBufferPointer { w in
            for i in list { w[i >> 6] |= (1 << UInt64(i & 63)) }
        }
    }

    /// Inserts `f(i)` for every member `i` of `set` that `f` maps to a contact.
    public mutating func insert(mapping set: ContactSet, _ f: (Int) -> Int?) {
        words.withUnsafeMutableBufferPointer { w in
            set.forEach { i in if let j = f(i) { w[j >> 6] |= (1 << UInt64(j & 63)) } }
        }
    }

    /// Combines the words of two sets of the same capacity, one word at a time.
    @inline(__always) private mutating func combine(_ o: ContactSet, _ op: (UInt64, UInt64) -> UInt64) {
        o.words.withUnsafeBufferPointer { theirs in
            words.withUnsafeMutableBufferPointer { mine in
                for i in 0..<min(mine.count, theirs.count) { mine[i] = op(mine[i], theirs[i]) }
            }
        }
    }

    public mutating func formUnion(_ o: ContactSet) { combine(o) { $0 | $1 } }
    public mutating func formIntersection(_ o: ContactSet) { combine(o) { $0 & $1 } }
    public mutating func subtract(_ o: ContactSet) { combine(o) { $0 & ~$1 } }

    public func union(_ o: ContactSet) -> ContactSet { var s = self; s.formUnion(o); return s }
    public func intersection(_ o: ContactSet) -> ContactSet { var s = self; s.formIntersection(o); return s }
    public func subtracting(_ o: ContactSet) -> ContactSet { var s = self; s.subtract(o); return s }

    /// Indices in ascending order.
    public var indices: [Int] {
        var out: [Int] = []
        out.reserveCapacity(count)
        forEach { out.append($0) }
        return out
    }

    /// The `n` smallest indices, ascending (all of them when there are fewer), without visiting the rest.
    public func first(_ n: Int) -> [Int] {
        var out: [Int] = []
        guard n > 0 else { return out }
        for (w, word) in words.enumerated() where word != 0 {
            var bits = word
            while bits != 0 {
                out.append(w << 6 + bits.trailingZeroBitCount)
                if out.count == n { return out }
                bits &= bits - 1
            }
        }
        return out
    }

    @inline(__always) public func forEach(_ body: (Int) -> Void) {
        for (w, word) in words.enumerated() where word != 0 {
            var bits = word
            while bits != 0 {
                let b = bits.trailingZeroBitCount
                body(w << 6 + b)
                bits &= bits - 1
            }
        }
    }
}
