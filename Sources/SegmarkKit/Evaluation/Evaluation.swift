/// Stage 3's result: interaction entries, contact facts and every segment's result, as of one date.
public struct Evaluation: Sendable {
    public var asOf: Day
    public var entries: [InteractionEntry]
    public var facts: ContactFacts
    /// By segment index; nil for a segment on a cycle.
    public var results: [SegmentResult?]

    public func result(_ segmentIndex: Int) -> SegmentResult? { results[segmentIndex] }

    /// Each contact's segments and the step that added it.
    public func memberships(contactCount: Int) -> Memberships { Memberships(results: results, contactCount: contactCount) }
}
