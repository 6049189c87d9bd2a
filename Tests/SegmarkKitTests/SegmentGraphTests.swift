import Foundation
import Testing
@testable import SegmarkKit

/// `segment:` groups: which segments a filter names, the order they are evaluated in, and the
/// cycles, with work that grows with the segments and what their filters name.
@Suite("Segments reading segments")
struct SegmentGraphTests {
    static func segment(_ id: String, reads filter: String) -> (String, String) {
        ("Content/segments/\(id).md", "---\ndescription: \(id)\ncriteria:\n  - add:\n      segment: \"\(filter)\"\n---\n")
    }

    static func workspace(_ segments: [(String, String)]) throws -> TestWorkspace {
        var files = Dictionary(uniqueKeysWithValues: segments)
        files["Content/contacts/C1.md"] = "---\nname: One\n---\n"
        files["Content/contacts/C2.md"] = "---\nname: Two\n---\n"
        files["Content/segments/BASE.md"] = "---\ndescription: base\ncriteria:\n  - add: { contact: { id: C1 } }\n---\n"
        return try TestWorkspace(files)
    }

    /// 2,000 segments that each read `S*` are one group reading each other: one filter matched
    /// once, 4,000 edges (not 4,000,000), and one error.
    @Test func oneSharedPatternIsOneNode() throws {
        let ws = try Self.workspace((0..<2000).map { Self.segment(String(format: "S%04d", $0), reads: "S*") })
        defer { ws.remove() }
        let check = ws.check()
        let graph = SegmentGraph(model: check.model)
        #expect(graph.edges == 4000)
        #expect(graph.cycles.count == 1)
        #expect(graph.cycles.first?.path.map { check.model.segments[$0].id } == ["S0000"])
        #expect(graph.cycles.first?.others.count == 1999)
        #expect(graph.evaluable.map { check.model.segments[$0].id } == ["BASE"])
        let lines = check.diagnostics.map(\.description)
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("Content/segments/S0000.md:5:7: error: segments form a cycle: S0000 → S0000; 1999 more segments read each other with them: S0001,") == true)
    }

    /// A chain of 3,000 segments, each reading the one before by id: evaluated in order, every
    /// link one lookup.
    @Test func aLongChainOfIdsIsEvaluatedInOrder() throws {
        var segments = [Self.segment("L0000", reads: "BASE")]
        for i in 1..<3000 { segments.append(Self.segment(String(format: "L%04d", i), reads: String(format: "L%04d", i - 1))) }
        let ws = try Self.workspace(segments)
        defer { ws.remove() }
        let model = ws.check().model
        let graph = SegmentGraph(model: model)
        #expect(graph.edges == 2 * 3000)
        #expect(graph.cycles.isEmpty)
        let position = Dictionary(uniqueKeysWithValues: graph.evaluable.enumerated().map { (model.segments[$1].id, $0) })
        #expect(position.count == 3001)
        #expect((1..<3000).allSatisfy { position[String(format: "L%04d", $0)]! > position[String(format: "L%04d", $0 - 1)]! })
        #expect(ws.members("L2999") == ["C1"])
    }

    /// A segment that reads one on a cycle, even through a pattern that also names good
    /// segments, is not evaluated; segments beside the cycle are.
    @Test func whatReadsACycleIsNotEvaluated() throws {
        let ws = try Self.workspace([
            Self.segment("A", reads: "B"), Self.segment("B", reads: "A|BASE"),
            Self.segment("DOWN", reads: "A*|BASE"), Self.segment("FINE", reads: "BA*"),
            Self.segment("FINE2", reads: "FINE|BASE"),
        ])
        defer { ws.remove() }
        let check = ws.check()
        let graph = SegmentGraph(model: check.model)
        let ids = { (list: [Int]) in list.map { check.model.segments[$0].id } }
        #expect(ids(graph.evaluable).sorted() == ["BASE", "FINE", "FINE2"])
        #expect(graph.cycles.map { ids($0.path) } == [["A", "B"]])
        #expect(check.diagnostics.map(\.description) == ["Content/segments/A.md:5:7: error: segments form a cycle: A → B → A (none of them can be evaluated)"])
        let fine = check.model.segmentIndex["fine2"]!
        #expect(ids(graph.dependencies(of: fine)) == ["BASE", "FINE"])
        #expect(ws.members("FINE2") == ["C1"])
    }

    /// Of two shortest cycles, the one through the lower segment comes first, whichever
    /// filter names it.
    @Test func theShortestCycleTakesTheFirstSegmentOfEachStep() throws {
        let ws = try Self.workspace([
            Self.segment("A", reads: "D|C"), Self.segment("C", reads: "A"), Self.segment("D", reads: "A"),
        ])
        defer { ws.remove() }
        #expect(ws.diagnostics() == ["Content/segments/A.md:5:7: error: segments form a cycle: A → C → A; 1 more segment read each other with them: D (none of them can be evaluated)"])
    }
}
