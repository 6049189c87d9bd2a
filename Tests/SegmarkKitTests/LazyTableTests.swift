import Foundation
import Testing
@testable import SegmarkKit

/// `LazyTable`: what a build after a change uses for the few member rows it renders.
@Suite("Lazily made tables")
struct LazyTableTests {
    /// Asked for from every render thread at once, each index gives the value made for it,
    /// is made only when asked for, and is kept once made.
    @Test func eachIndexIsMadeWhenAskedForAndKept() {
        let made = NSLock()
        nonisolated(unsafe) var makes = [Int](repeating: 0, count: 1000)
        let table = LazyTable<String>(count: 1000) { i in
            made.withLock { makes[i] += 1 }
            return "row \(i)"
        }
        #expect(table.ifMade(7) == nil)
        // Every even index, four times over, from as many threads as there are cores.
        let asked = parallelMap(2000, itemsPerWorker: 1) { k in table[(k % 500) * 2] }
        #expect(asked == (0..<2000).map { "row \(($0 % 500) * 2)" })
        #expect(table.ifMade(8) == "row 8")
        #expect(table.ifMade(7) == nil)
        made.withLock {
            #expect((0..<1000).allSatisfy { $0 % 2 == 1 ? makes[$0] == 0 : makes[$0] >= 1 })
        }
        // Once kept, asking again makes nothing.
        let before = made.withLock { makes.reduce(0, +) }
        _ = (0..<500).map { table[$0 * 2] }
        #expect(made.withLock { makes.reduce(0, +) } == before)
    }
}
