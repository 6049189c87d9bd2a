/// What a change did to segments: one entry per segment whose membership or definition
/// differs between two evaluated workspaces (`segmark diff`).
public struct SegmentDiff: Sendable, Equatable {
    public enum Status: String, Sendable, Equatable { case added, removed, renamed, changed }

    public struct Member: Sendable, Equatable {
        public var id: String
        public var name: String
    }

    public struct Entry: Sendable, Equatable {
        public var id: String
        /// The id before a rename (or of a removed segment).
        public var previousID: String?
        public var description: String
        public var status: Status
        /// Members before and after; `nil` for the side where the segment does not exist.
        public var before: Int?
        public var after: Int?
        public var joined: [Member]
        public var left: [Member]
        /// The definition in plain words, line by line: removed lines and added lines.
        public var definitionRemoved: [String]
        public var definitionAdded: [String]

        public var membershipChanged: Bool { !joined.isEmpty || !left.isEmpty }
        public var definitionChanged: Bool { !definitionRemoved.isEmpty || !definitionAdded.isEmpty }
    }

    public var from: String
    public var to: String
    public var asOf: Day
    public var entries: [Entry]

    public var membershipChanged: Bool { entries.contains { $0.membershipChanged } }
    public var joinedCount: Int { entries.reduce(0) { $0 + $1.joined.count } }
    public var leftCount: Int { entries.reduce(0) { $0 + $1.left.count } }
}
