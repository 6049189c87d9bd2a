import Foundation
import Testing
@testable import SegmarkKit

/// Every input `make fuzz` ever crashed on is kept in Tests/Fixtures/fuzz/TARGET-HASH and replayed here.
@Suite("fuzz regressions")
struct FuzzRegressionTests {
    static let folder = TestWorkspace.repositoryRoot + "/Tests/Fixtures/fuzz"

    static var fixtures: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    @Test func thereAreFixtures() {
        #expect(!Self.fixtures.isEmpty)
    }

    @Test(arguments: fixtures)
    func replay(fixture: String) throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.folder + "/" + fixture)))
        let target = String(fixture.prefix { $0 != "-" })
        if target == "plainyaml" {
            // The fast path either declines or equals Yams (recorded as a test issue, not a crash).
            if FrontMatterParser.encodingProblem(bytes[...]) == nil {
                PlainYAMLTests.compare(String(decoding: bytes, as: UTF8.self))
            }
        } else {
            let entry = try #require(FuzzEntry.targets.first { $0.name == target }, "unknown fuzz target in \(fixture)")
            entry.run(bytes)
        }
        // The whole loader path must survive every fixture, whatever target found it.
        FuzzEntry.frontMatter(bytes)
        FuzzEntry.frontMatter(Array("---\n".utf8) + bytes + Array("\n---\n".utf8))
    }
}
