/// The segments each segment reads through its `segment` groups (R34), an evaluation order,
/// and the cycles that make an order impossible.
public struct SegmentGraph: Sendable {
    /// dependencies[i] = indices of the segments segment i reads, sorted.
    public var dependencies: [[Int]]
    /// An order in which every segment comes after those it reads (only acyclic parts).
    public var order: [Int]
    /// Each cycle as segment indices, starting from its smallest index.
    public var cycles: [[Int]]

    public init(model: Model) {
        let ids = model.segments.map(\.id)
        let asOf = Day(year: 2000, month: 1, day: 1)!
        var deps: [[Int]] = []
        for segment in model.segments {
            var set = Set<Int>()
            for step in segment.criteria {
                for group in step.groups where group.kind == .segment {
                    for (_, filter) in group.conditions {
                        for (j, id) in ids.enumerated() where filter.matches(.text(id), asOf: asOf) {
                            set.insert(j)
                        }
                    }
                }
            }
            deps.append(set.sorted())
        }
        dependencies = deps
        // Depth-first topological sort with cycle detection; deterministic by index order.
        var state = [UInt8](repeating: 0, count: ids.count)  // 0 new, 1 on stack, 2 done
        var order: [Int] = []
        var cycles: [[Int]] = []
        var seenCycles = Set<[Int]>()
        var stack: [Int] = []
        func visit(_ i: Int) {
            state[i] = 1
            stack.append(i)
            for j in deps[i] {
                if state[j] == 0 { visit(j) }
                else if state[j] == 1 {
                    let start = stack.lastIndex(of: j)!
                    var cycle = Array(stack[start...])
                    let minPos = cycle.indices.min { cycle[$0] < cycle[$1] }!
                    cycle = Array(cycle[minPos...] + cycle[..<minPos])
                    if seenCycles.insert(cycle).inserted { cycles.append(cycle) }
                }
            }
            stack.removeLast()
            state[i] = 2
            order.append(i)
        }
        for i in ids.indices where state[i] == 0 { visit(i) }
        self.order = order
        self.cycles = cycles
    }

    /// Segments on some cycle (they cannot be evaluated).
    public var cyclic: Set<Int> { Set(cycles.flatMap { $0 }) }
}
