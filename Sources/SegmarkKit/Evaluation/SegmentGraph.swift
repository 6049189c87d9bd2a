/// The segments each segment reads through its `segment` groups, an evaluation order,
/// and the cycles that make an order impossible.
///
/// A `segment:` filter is a node of its own between the segments that use it and the segments
/// it names, matched against every segment id once however many segments use it. So 3,000
/// segments that each read `S*` make 6,000 edges, not 9,000,000, and the work stays linear in
/// segments + filters + what each filter names.
public struct SegmentGraph: Sendable {
    /// What each distinct filter (by its text) names: segment indices, sorted.
    private var named: [[Int]]
    private var filterNode: [String: Int]
    /// reads[i] = the filters segment i reads through (indices into `named`), sorted.
    private var reads: [[Int]]
    /// An order in which every segment comes after those it reads (only acyclic parts).
    public var order: [Int]
    /// Each group of segments that read each other, once.
    public var cycles: [Cycle]
    /// `order` without the segments that read, directly or not, a segment on a cycle: the
    /// segments that can be evaluated, each after those it reads.
    public var evaluable: [Int]

    public struct Cycle: Sendable, Equatable {
        /// A shortest cycle through the group's smallest index, starting there.
        public var path: [Int]
        /// The group's other segments, in index order.
        public var others: [Int]
    }

    public init(model: Model) {
        var named: [[Int]] = [], filterNode: [String: Int] = [:], reads: [[Int]] = []
        for segment in model.segments {
            var through: [Int] = []
            for step in segment.criteria {
                for group in step.groups where group.kind == .segment {
                    for (_, filter) in group.conditions {
                        if let node = filterNode[filter.source] {
                            through.append(node)
                        } else {
                            filterNode[filter.source] = named.count
                            through.append(named.count)
                            named.append(Self.match(filter, in: model))
                        }
                    }
                }
            }
            reads.append(Array(Set(through)).sorted())
        }
        (self.named, self.filterNode, self.reads) = (named, filterNode, reads)
        (order, cycles, evaluable) = Self.stronglyConnected(reads: reads, named: named)
    }

    /// The segments a `segment:` filter names, in index order.
    public func segments(matching filter: Filter, in model: Model) -> [Int] {
        filterNode[filter.source].map { named[$0] } ?? Self.match(filter, in: model)
    }

    /// The segments segment `i` reads, in index order.
    public func dependencies(of i: Int) -> [Int] {
        reads[i].count == 1 ? named[reads[i][0]] : Array(Set(reads[i].flatMap { named[$0] })).sorted()
    }

    /// Edges between segments and filters (for tests: it grows with what the filters name, not
    /// with segments × segments).
    var edges: Int { reads.reduce(0) { $0 + $1.count } + named.reduce(0) { $0 + $1.count } }

    /// Plain ids are looked up; only patterns are held against every id.
    static func match(_ filter: Filter, in model: Model) -> [Int] {
        let plain = filter.alternatives.compactMap { terms -> String? in
            guard terms.count == 1, case .equal = terms[0].operation, let v = terms[0].value, !v.hasWildcards else { return nil }
            return v.text
        }
        if plain.count == filter.alternatives.count {
            return Array(Set(plain.compactMap { model.segmentIndex[Text.fold($0)] })).sorted()
        }
        let asOf = Day(year: 2000, month: 1, day: 1)!  // segment ids are codes: no date reads it
        return model.segments.indices.filter { filter.matches(.text(model.segments[$0].id), asOf: asOf) }
    }

    /// Tarjan's algorithm without recursion (a chain of thousands of segments must not exhaust
    /// the stack), over segments (nodes 0..<n) and filters (nodes n...), in time linear in
    /// segments + filters + edges. `order` lists the segments that are on no cycle, each after
    /// those it reads; `cycles` holds one entry per group of segments that read each other (a
    /// shortest cycle through its first segment first, then the rest of the group), so a group
    /// is reported once however many cycles it holds.
    static func stronglyConnected(reads: [[Int]], named: [[Int]]) -> (order: [Int], cycles: [Cycle], evaluable: [Int]) {
        let n = reads.count, total = n + named.count
        func next(_ v: Int, _ e: Int) -> Int? {
            if v < n { return e < reads[v].count ? n + reads[v][e] : nil }
            let targets = named[v - n]
            return e < targets.count ? targets[e] : nil
        }
        var index = [Int](repeating: -1, count: total), low = [Int](repeating: 0, count: total)
        var onStack = [Bool](repeating: false, count: total)
        // A node is blocked when it is on a cycle or reads (through filters) one that is;
        // components come out of Tarjan's algorithm after every component they read.
        var blocked = [Bool](repeating: false, count: total)
        var stack: [Int] = [], order: [Int] = [], cycles: [Cycle] = []
        var counter = 0
        for start in 0..<n where index[start] < 0 {
            var work: [(node: Int, edge: Int)] = [(start, 0)]
            index[start] = counter; low[start] = counter; counter += 1
            stack.append(start); onStack[start] = true
            while let (v, e) = work.last {
                if let w = next(v, e) {
                    work[work.count - 1].edge += 1
                    if index[w] < 0 {
                        index[w] = counter; low[w] = counter; counter += 1
                        stack.append(w); onStack[w] = true
                        work.append((w, 0))
                    } else if onStack[w] {
                        low[v] = min(low[v], index[w])
                    }
                    continue
                }
                work.removeLast()
                if let parent = work.last { low[parent.node] = min(low[parent.node], low[v]) }
                guard low[v] == index[v] else { continue }
                var component: [Int] = []
                while true {
                    let w = stack.removeLast()
                    onStack[w] = false
                    component.append(w)
                    if w == v { break }
                }
                // Every edge joins a segment and a filter, so a group of more than one node
                // holds a cycle of segments, and a single node holds none.
                if component.count == 1 {
                    var reached = 0
                    while let w = next(v, reached) {
                        if blocked[w] { blocked[v] = true; break }
                        reached += 1
                    }
                    if v < n { order.append(v) }
                } else {
                    for w in component { blocked[w] = true }
                    cycles.append(shortestCycle(in: component.filter { $0 < n }, reads: reads, named: named))
                }
            }
        }
        cycles.sort { $0.path[0] < $1.path[0] }
        return (order, cycles, order.filter { !blocked[$0] })
    }

    /// A shortest cycle through the group's smallest segment (breadth-first, a segment's
    /// neighbours in index order, each filter opened once), then the group's other segments in
    /// index order.
    static func shortestCycle(in group: [Int], reads: [[Int]], named: [[Int]]) -> Cycle {
        let members = Set(group)
        let first = group.min()!
        var previous: [Int: Int] = [:], opened = Set<Int>()
        var queue = [first], head = 0
        var end: Int?
        search: while head < queue.count {
            let v = queue[head]; head += 1
            var found: [Int] = []
            for f in reads[v] where opened.insert(f).inserted {
                for w in named[f] where members.contains(w) {
                    if w == first { end = v; break search }
                    if previous[w] == nil { previous[w] = v; found.append(w) }
                }
            }
            queue += found.sorted()
        }
        var cycle: [Int] = []
        var v = end ?? first
        while v != first { cycle.append(v); v = previous[v]! }
        cycle.append(first)
        cycle.reverse()
        let onCycle = Set(cycle)
        return Cycle(path: cycle, others: group.filter { !onCycle.contains($0) }.sorted())
    }

    /// Segments on some cycle (they cannot be evaluated).
    public var cyclic: Set<Int> { Set(cycles.flatMap { $0.path + $0.others }) }
}
