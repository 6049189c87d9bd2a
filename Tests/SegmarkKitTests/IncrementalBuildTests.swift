import Foundation
import Testing
@testable import SegmarkKit

/// An incremental build gives exactly what a cold build gives: random sequences of edits to a
/// generated workspace (contacts, segments, batches, templates, codes.yml, segmark.yml, the
/// as-of date), each followed by an incremental build in one folder and a cold build in a new
/// one, compared file by file.
@Suite("Incremental builds", .serialized)
struct IncrementalBuildTests {
    let fm = FileManager.default

    func tree(_ dir: String) -> [String: Data] { GoldenTests().files(dir) }

    func files(_ dir: String) -> [String] {
        ((try? fm.subpathsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".md") }.sorted().map { dir + "/" + $0 }
    }

    func edit(_ path: String, _ change: (String) -> String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try change(text).write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test(arguments: [11, 12])
    func incrementalEqualsCold(seed: Int) throws {
        let root = try TestWorkspace.generated(contacts: 80, segments: 8, entries: 400, seed: seed)
        let incremental = NSTemporaryDirectory() + "segmark-inc-" + UUID().uuidString
        defer { try? fm.removeItem(atPath: root); try? fm.removeItem(atPath: incremental) }
        let edits = RandomEdits(root: root, seed: seed)
        var asOf: Day? = nil
        var log: [String] = []
        for step in 0..<14 {
            let edit = try edits.apply(step: step)
            log.append(edit.log)
            asOf = edit.asOf ?? asOf
            let today = Day("2026-12-01")!
            let incReport = try SiteBuilder().build(root: root, options: .init(asOf: asOf, today: today, output: incremental))
            let cold = NSTemporaryDirectory() + "segmark-cold-" + UUID().uuidString
            defer { try? fm.removeItem(atPath: cold) }
            _ = try SiteBuilder().build(root: root, options: .init(asOf: asOf, today: today, output: cold))
            let a = tree(incremental), b = tree(cold)
            #expect(a.keys.sorted() == b.keys.sorted(), "after \(log)")
            let differing = a.keys.filter { a[$0] != b[$0] }.sorted()
            #expect(differing.isEmpty, "after \(log): \(differing.prefix(5))")
            if step > 0 { #expect(incReport.upToDate || incReport.counts.contains { $0.what == "files rendered" }) }
        }
    }

    @Test func oneContactEditedRendersOnlyWhatShowsIt() throws {
        let root = try TestWorkspace.generated(contacts: 80, segments: 8, entries: 400, seed: 5)
        let out = NSTemporaryDirectory() + "segmark-inc-" + UUID().uuidString
        defer { try? fm.removeItem(atPath: root); try? fm.removeItem(atPath: out) }
        let options = SiteBuilder.Options(today: Day("2026-12-01")!, output: out)
        let first = try SiteBuilder().build(root: root, options: options)
        let all = first.counts.first { $0.what == "files rendered" }!.count
        let contact = files(root + "/Content/contacts")[3]
        try edit(contact) { RandomEdits.replaceLine($0, key: "email", with: "someone.else@example.com") }
        let second = try SiteBuilder().build(root: root, options: options)
        let rendered = second.counts.first { $0.what == "files rendered" }!.count
        // Its own page in two formats, the sheets it is on, its directory page, the overview and the stylesheet.
        #expect(rendered * 5 < all, "\(rendered) of \(all)")
        #expect(second.summary.changed >= 1)
    }
}
