/// Stage 3's result: interaction entries, contact facts and every segment's result, as of one date.
public struct Evaluation: Sendable {
    public var asOf: Day
    public var entries: [InteractionEntry]
    public var facts: ContactFacts
    /// By segment index; nil for a segment on a cycle.
    public var results: [SegmentResult?]

    public func result(_ segmentIndex: Int) -> SegmentResult? { results[segmentIndex] }

    /// Segment indices each contact is a member of, ascending.
    public func memberships(contactCount: Int) -> [[Int]] {
        // Counted first, so each contact's list is allocated once (5.5 million memberships at L).
        var counts = [Int](repeating: 0, count: contactCount)
        for r in results { r?.members.forEach { counts[$0] += 1 } }
        var out = counts.map { n -> [Int] in
            var list: [Int] = []
            list.reserveCapacity(n)
            return list
        }
        for (si, r) in results.enumerated() {
            r?.members.forEach { out[$0].append(si) }
        }
        return out
    }
}
