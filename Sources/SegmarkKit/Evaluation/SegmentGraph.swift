/// The segments each segment reads through its `segment` groups, an evaluation order,
/// and the cycles that make an order impossible.
public struct SegmentGraph: Sendable {
    /// dependencies[i] = indices of the segments segment i reads, sorted.
    public var dependencies: [[Int]]
    /// An order in which every segment comes after those it reads (only acyclic parts).
    public var order: [Int]
    /// Each group of segments that read each other, once.
    public var cycles: [Cycle]

    public struct Cycle: Sendable, Equatable {
        /// A shortest cycle through the group's smallest index, starting there.
        public var path: [Int]
        /// The group's other segments, in index order.
        public var others: [Int]
    }

    public init(model: Model) {
        let ids = model.segments.map(\.id)
        let asOf = Day(year: 2000, month: 1, day: 1)!
        var deps: [[Int]] = []
        for segment in model.segments {
            var set = Set<Int>()
            for step in segment.criteria {
                for group in step.groups where group.kind == .segment {
                    for (_, filter) in group.conditions {
                        // Plain ids are looked up; only patterns are held against every id.
                        let plain = filter.alternatives.compactMap { terms -> String? in
                            guard terms.count == 1, case .equal = terms[0].operation, let v = terms[0].value, !v.hasWildcards else { return nil }
                            return v.text
                        }
                        if plain.count == filter.alternatives.count {
                            for id in plain { if let j = model.segmentIndex[Text.fold(id)] { set.insert(j) } }
                            continue
                        }
                        for (j, id) in ids.enumerated() where filter.matches(.text(id), asOf: asOf) {
                            set.insert(j)
                        }
                    }
                }
            }
            deps.append(set.sorted())
        }
        dependencies = deps
        (order, cycles) = Self.stronglyConnected(deps)
    }

    /// Tarjan's algorithm without recursion (a chain of thousands of segments must not exhaust
    /// the stack), in time linear in segments + references. `order` lists the segments that
    /// are on no cycle, each after those it reads; `cycles` holds one entry per group of
    /// segments that read each other (a shortest cycle through its first segment first, then
    /// the rest of the group), so a group is reported once however many cycles it holds.
    static func stronglyConnected(_ deps: [[Int]]) -> (order: [Int], cycles: [Cycle]) {
        let n = deps.count
        var index = [Int](repeating: -1, count: n), low = [Int](repeating: 0, count: n)
        var onStack = [Bool](repeating: false, count: n)
        var stack: [Int] = [], order: [Int] = [], cycles: [Cycle] = []
        var counter = 0
        for start in 0..<n where index[start] < 0 {
            var work: [(node: Int, edge: Int)] = [(start, 0)]
            index[start] = counter; low[start] = counter; counter += 1
            stack.append(start); onStack[start] = true
            while let (v, e) = work.last {
                if e < deps[v].count {
                    work[work.count - 1].edge += 1
                    let w = deps[v][e]
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
                if component.count == 1 && !deps[v].contains(v) {
                    order.append(v)
                } else {
                    cycles.append(shortestCycle(in: Set(component), deps))
                }
            }
        }
        cycles.sort { $0.path[0] < $1.path[0] }
        return (order, cycles)
    }

    /// A shortest cycle through the group's smallest segment (breadth-first), then the group's
    /// other segments in index order.
    static func shortestCycle(in group: Set<Int>, _ deps: [[Int]]) -> Cycle {
        let first = group.min()!
        var previous: [Int: Int] = [:]
        var queue = [first], head = 0
        var end: Int?
        search: while head < queue.count {
            let v = queue[head]; head += 1
            for w in deps[v] where group.contains(w) {
                if w == first { end = v; break search }
                if previous[w] == nil { previous[w] = v; queue.append(w) }
            }
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
