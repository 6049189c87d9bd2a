/// The outcome of evaluating one segment (R38): members, "added by step N", and the count
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
    public var addedBy: [Int: Int]
    public var steps: [StepCount]
    /// Contacts an add step dropped because of `exclude_from_segments`, that are not members.
    public var droppedByExclusion: ContactSet

    public var memberIndices: [Int] { members.indices }
}
