/// Compares two evaluated workspaces segment by segment (`segmark diff`). Segments are matched
/// by id; a segment that disappeared and one that appeared are a rename when they come from
/// the same file, have the same criteria or the same description.
public struct SegmentDiffer: Sendable {
    public struct Side: Sendable {
        public var label: String
        public var model: Model
        public var evaluation: Evaluation

        public init(label: String, model: Model, evaluation: Evaluation) {
            self.label = label
            self.model = model
            self.evaluation = evaluation
        }
    }

    public init() {}

    public func diff(_ before: Side, _ after: Side) -> SegmentDiff {
        var pairs: [(Int?, Int?)] = []
        var unmatchedBefore: [Int] = []
        var matchedAfter = Set<Int>()
        for (bi, segment) in before.model.segments.enumerated() {
            if let ai = after.model.segmentIndex[Text.fold(segment.id)] {
                pairs.append((bi, ai))
                matchedAfter.insert(ai)
            } else {
                unmatchedBefore.append(bi)
            }
        }
        var unmatchedAfter = after.model.segments.indices.filter { !matchedAfter.contains($0) }
        // Renames: the same file first, then the same criteria, then the same description.
        for rule in 0..<3 {
            for bi in unmatchedBefore {
                let b = before.model.segments[bi]
                let found = unmatchedAfter.firstIndex { ai in
                    let a = after.model.segments[ai]
                    switch rule {
                    case 0: return a.path == b.path
                    case 1: return criteriaLines(a) == criteriaLines(b)
                    default: return !(b.description ?? "").isEmpty && a.description == b.description
                    }
                }
                if let found {
                    pairs.append((bi, unmatchedAfter[found]))
                    unmatchedAfter.remove(at: found)
                    unmatchedBefore.removeAll { $0 == bi }
                }
            }
        }
        pairs += unmatchedBefore.map { ($0, nil) }
        pairs += unmatchedAfter.map { (nil, $0) }

        var entries: [SegmentDiff.Entry] = []
        for (bi, ai) in pairs {
            let b = bi.map { before.model.segments[$0] }
            let a = ai.map { after.model.segments[$0] }
            let beforeMembers = bi.flatMap { before.evaluation.result($0) }.map { members($0.members, before.model) } ?? [:]
            let afterMembers = ai.flatMap { after.evaluation.result($0) }.map { members($0.members, after.model) } ?? [:]
            let joined = afterMembers.filter { beforeMembers[$0.key] == nil }.map(\.value).sorted(by: memberOrder)
            let left = beforeMembers.filter { afterMembers[$0.key] == nil }.map(\.value).sorted(by: memberOrder)
            let (removed, added) = lineDiff(b.map { definitionLines($0) } ?? [], a.map { definitionLines($0) } ?? [])
            let status: SegmentDiff.Status
            switch (b, a) {
            case (nil, _): status = .added
            case (_, nil): status = .removed
            case let (b?, a?): status = Text.fold(b.id) == Text.fold(a.id) ? .changed : .renamed
            }
            if status == .changed && joined.isEmpty && left.isEmpty && removed.isEmpty && added.isEmpty { continue }
            let current = a ?? b!
            entries.append(SegmentDiff.Entry(
                id: current.id,
                previousID: status == .renamed ? b?.id : nil,
                description: current.description ?? "",
                status: status,
                before: b == nil ? nil : beforeMembers.count,
                after: a == nil ? nil : afterMembers.count,
                joined: joined, left: left,
                definitionRemoved: removed, definitionAdded: added))
        }
        entries.sort { (Text.fold($0.id), $0.id, $0.previousID ?? "") < (Text.fold($1.id), $1.id, $1.previousID ?? "") }
        return SegmentDiff(from: before.label, to: after.label, asOf: after.evaluation.asOf, entries: entries)
    }

    func members(_ set: ContactSet, _ model: Model) -> [String: SegmentDiff.Member] {
        var out: [String: SegmentDiff.Member] = [:]
        set.forEach { i in
            let c = model.contacts[i]
            out[Text.fold(c.id)] = SegmentDiff.Member(id: c.id, name: c.name)
        }
        return out
    }

    func memberOrder(_ x: SegmentDiff.Member, _ y: SegmentDiff.Member) -> Bool {
        (Text.fold(x.id), x.id) < (Text.fold(y.id), y.id)
    }

    func criteriaLines(_ segment: Segment) -> [String] {
        let describer = StepDescriber()
        return segment.criteria.enumerated().map { "\($0.offset + 1). " + describer.describe($0.element) }
    }

    /// The definition in plain words: the header fields that are set, then the numbered steps.
    public func definitionLines(_ s: Segment) -> [String] {
        var lines: [String] = []
        func field(_ name: String, _ value: String?) { if let value { lines.append("\(name): \(value)") } }
        field("description", s.description)
        field("date", s.date?.description)
        field("campaign", s.campaign?.value)
        field("campaign target", s.campaignTarget.map { $0 ? "yes" : "no" })
        field("campaign response", s.campaignResponse.map { $0 ? "yes" : "no" })
        field("salesperson", s.salesperson?.value)
        field("interaction template", s.interactionTemplate?.value)
        field("subject", s.subject)
        field("language", s.language)
        field("correspondence type", s.correspondenceType?.rawValue)
        if s.ignoreContactCorrespondenceType { lines.append("ignore contact correspondence type: yes") }
        field("unit cost", s.unitCost.map { Number.format($0) })
        field("unit duration", s.unitDuration.map { Number.format($0) })
        field("information flow", s.informationFlow?.rawValue)
        field("initiated by", s.initiatedBy?.rawValue)
        return lines + criteriaLines(s)
    }

    /// Lines only in `old` and lines only in `new`, by a longest common subsequence.
    func lineDiff(_ old: [String], _ new: [String]) -> ([String], [String]) {
        let n = old.count, m = new.count
        var table = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                table[i][j] = old[i] == new[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var removed: [String] = [], added: [String] = []
        var i = 0, j = 0
        while i < n || j < m {
            if i < n, j < m, old[i] == new[j] { i += 1; j += 1 }
            else if j < m, i == n || table[i][j + 1] >= table[i + 1][j] { added.append(new[j]); j += 1 }
            else { removed.append(old[i]); i += 1 }
        }
        return (removed, added)
    }
}
