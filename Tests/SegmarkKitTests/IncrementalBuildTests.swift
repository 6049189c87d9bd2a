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

    func replaceLine(_ text: String, key: String, with value: String) -> String {
        var lines = text.components(separatedBy: "\n")
        if let i = lines.firstIndex(where: { $0.hasPrefix(key + ":") }) { lines[i] = key + ": " + value } else { lines.insert(key + ": " + value, at: 1) }
        return lines.joined(separator: "\n")
    }

    @Test(arguments: [11, 12])
    func incrementalEqualsCold(seed: Int) throws {
        let root = try TestWorkspace.generated(contacts: 80, segments: 8, entries: 400, seed: seed)
        let incremental = NSTemporaryDirectory() + "segmark-inc-" + UUID().uuidString
        defer { try? fm.removeItem(atPath: root); try? fm.removeItem(atPath: incremental) }
        let rng = Random(seed: UInt64(seed))
        var asOf: Day? = nil
        var log: [String] = []
        for step in 0..<14 {
            let contacts = files(root + "/Content/contacts")
            let segments = files(root + "/Content/segments")
            let batches = files(root + "/Content/interactions")
            switch rng.next() % 11 {
            case 0:
                let c = contacts[Int(rng.next() % UInt64(contacts.count))]
                try edit(c) { replaceLine($0, key: "name", with: "\"Renamed \(step)\"") }
                log.append("rename \(c)")
            case 1:
                let c = contacts[Int(rng.next() % UInt64(contacts.count))]
                try edit(c) { replaceLine($0, key: "country", with: ["NO", "GB", "SE"][step % 3]) }
                log.append("country \(c)")
            case 2:
                try "---\nname: \"New \(step)\"\ncountry: NO\nsalesperson: HR\n---\nAdded.\n"
                    .write(toFile: root + "/Content/contacts/NEW\(step).md", atomically: true, encoding: .utf8)
                log.append("add contact")
            case 3:
                // Remove a contact that no batch names (else the workspace has an error).
                if let c = contacts.last(where: { $0.contains("/NEW") }) { try fm.removeItem(atPath: c); log.append("remove \(c)") }
            case 4:
                let s = segments[Int(rng.next() % UInt64(segments.count))]
                try edit(s) { replaceLine($0, key: "description", with: "\"Edited \(step)\"") }
                log.append("describe \(s)")
            case 5:
                try "---\ndescription: \"Added \(step)\"\ncriteria:\n  - add:\n      contact: { country: NO|GB }\n---\n"
                    .write(toFile: root + "/Content/segments/ADD\(step).md", atomically: true, encoding: .utf8)
                log.append("add segment")
            case 6:
                if let b = batches.first { try edit(b) { replaceLine($0, key: "canceled", with: step % 2 == 0 ? "true" : "false") }; log.append("cancel \(b)") }
            case 7:
                try fm.createDirectory(atPath: root + "/Templates/html", withIntermediateDirectories: true)
                let builtIn = BuiltinTemplates.files.first { $0.0 == "html/contact.html" }!.1
                try builtIn.replacingOccurrences(of: "<h2>Notes</h2>", with: "<h2>Notes (\(step))</h2>")
                    .write(toFile: root + "/Templates/html/contact.html", atomically: true, encoding: .utf8)
                log.append("template")
            case 8:
                try edit(root + "/Content/codes.yml") { $0 + "\n# \(step)\n" }
                try edit(root + "/Content/codes.yml") { $0.replacingOccurrences(of: "salespeople:", with: "salespeople:\n  ZZ\(step): Someone \(step)") }
                log.append("codes")
            case 9:
                try edit(root + "/segmark.yml") { replaceLine($0, key: "title", with: "\"Title \(step)\"") }
                log.append("title")
            default:
                asOf = Day(year: 2026, month: 1 + Int(rng.next() % 12), day: 1)
                log.append("as of \(asOf!)")
            }
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
        try edit(contact) { replaceLine($0, key: "email", with: "someone.else@example.com") }
        let second = try SiteBuilder().build(root: root, options: options)
        let rendered = second.counts.first { $0.what == "files rendered" }!.count
        // Its own page in two formats, the sheets it is on, its directory page, the overview and the stylesheet.
        #expect(rendered * 5 < all, "\(rendered) of \(all)")
        #expect(second.summary.changed >= 1)
    }
}
