/// Each contact's segments and the step that added it to each, in one piece: 5.5 million
/// memberships at L, which as a list per contact took 100,000 allocations and, for the step,
/// a binary search per membership on every build.
public struct Memberships: Sendable {
    /// Contact `ci`'s memberships are at `starts[ci]..<starts[ci + 1]`.
    private let starts: [Int32]
    private let segments: [Int32]
    private let steps: [UInt16]

    public init(results: [SegmentResult?], contactCount: Int) {
        var starts = [Int32](repeating: 0, count: contactCount + 1)
        for r in results { r?.members.forEach { starts[$0 + 1] += 1 } }
        for ci in 0..<contactCount { starts[ci + 1] += starts[ci] }
        var next = starts
        var segments = [Int32](repeating: 0, count: Int(starts[contactCount]))
        var steps = [UInt16](repeating: 0, count: segments.count)
        // Segment by segment, in order: each contact's list comes out ascending.
        for (si, r) in results.enumerated() {
            guard let r else { continue }
            r.addedBy.forEachStep(of: r.members) { ci, step in
                let at = Int(next[ci])
                segments[at] = Int32(si)
                steps[at] = UInt16(clamping: step)
                next[ci] += 1
            }
        }
        (self.starts, self.segments, self.steps) = (starts, segments, steps)
    }

    /// How many segments contact `ci` is a member of.
    public func count(_ ci: Int) -> Int { Int(starts[ci + 1] - starts[ci]) }

    /// Contact `ci`'s segments, ascending, each with the step that added the contact (0 for none).
    public func forEach(_ ci: Int, _ body: (_ segment: Int, _ step: Int) -> Void) {
        for at in Int(starts[ci])..<Int(starts[ci + 1]) { body(Int(segments[at]), Int(steps[at])) }
    }
}
