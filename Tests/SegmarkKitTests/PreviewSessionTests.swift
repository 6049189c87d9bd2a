import Foundation
import Testing
@testable import SegmarkKit

/// `serve`'s session reads again only the files whose size, times or inode changed, and a
/// file put back with its old modification time is still seen as changed.
@Suite("serve's session", .serialized)
struct PreviewSessionTests {
    func text(_ session: PreviewSession, _ path: String) -> String {
        session.snapshot.page(path).map { String(decoding: $0.bytes, as: UTF8.self) } ?? "<no page>"
    }

    @Test func unchangedFilesAreNotReadAgainAndAChangedOneIs() throws {
        let segment = ("Content/segments/SM1.md", "---\ncriteria:\n  - add:\n      contact: { country: NO }\n---\n")
        let ws = try TestWorkspace(Dictionary(uniqueKeysWithValues: [
            contact("CT1", "country: NO", name: "Anna Aas"), contact("CT2", "country: NO"), contact("CT3", "country: SE"), segment,
        ]))
        defer { ws.remove() }
        let session = PreviewSession(root: ws.root, asOf: Day("2026-12-01"), today: Day("2026-12-01")!, formats: [.html])
        let first = session.rebuild()
        #expect(first.errors.isEmpty)
        #expect(first.read == 4)
        #expect(text(session, "contacts/CT1.html").contains("Anna Aas"))
        #expect(text(session, "segments/SM1.html").contains("Anna Aas"))

        // Files written in the last two seconds are always read again; after that they are trusted.
        Thread.sleep(forTimeInterval: 2.2)
        try "---\ntype: company\nname: Newer\n---\n".write(toFile: ws.root + "/Content/contacts/CT4.md", atomically: false, encoding: .utf8)
        let second = session.rebuild()
        #expect(second.parsed == 1)
        #expect(second.read == 5)
        let third = session.rebuild()
        #expect(third.changed == false)
        #expect(third.read == 1, "only the newest file is read again")

        // Same size, the old modification time put back: the change time still shows it.
        let path = ws.root + "/Content/contacts/CT1.md"
        let modified = try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as! Date
        let old = try String(contentsOfFile: path, encoding: .utf8)
        try old.replacingOccurrences(of: "Anna Aas", with: "Berit Bo").write(toFile: path, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: path)
        let fourth = session.rebuild()
        #expect(fourth.changed)
        #expect(fourth.parsed == 1)
        #expect(fourth.read == 2)
        #expect(text(session, "contacts/CT1.html").contains("Berit Bo"))
        #expect(text(session, "segments/SM1.html").contains("Berit Bo"))
        #expect(!text(session, "segments/SM1.html").contains("Anna Aas"))
        #expect(session.snapshot.page("contacts/CT9.html") == nil)
    }

    /// A page that cannot be rendered (its template runs away): serve shows the error, in
    /// words, where the page would be (escaped in HTML, as text for other pages).
    @Test func aPageThatCannotRenderShowsItsError() {
        let error = ContentErrors([.error("rendering contacts/CT1.html stopped: it grew past 256 MiB; does partial 'loop' <include> itself?",
                                          at: SourceLocation(path: "Templates/html/loop.html", line: 1, column: 1))])
        let line = "Templates/html/loop.html:1:1: error: rendering contacts/CT1.html stopped: it grew past 256 MiB; does partial 'loop' <include> itself?"
        #expect(String(decoding: PreviewSession.Site.failure(error, html: true), as: UTF8.self)
                == "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>This page cannot be rendered</title></head>\n"
                + "<body><h1>This page cannot be rendered</h1><p><code>" + HTMLEscaping.text(line) + "</code></p></body></html>\n")
        #expect(HTMLEscaping.text(line).contains("&lt;include&gt;"))
        #expect(String(decoding: PreviewSession.Site.failure(error, html: false), as: UTF8.self) == line + "\n")
    }
}

/// After each random edit, `serve`'s session — told which files changed, as the watcher tells
/// it, and patching its model when only contacts changed — shows exactly the pages and the
/// diagnostics of a cold load of the same files.
@Suite("serve's session after random edits", .serialized)
struct PreviewSessionEditTests {
    func compare(_ session: PreviewSession, _ outcome: PreviewSession.Outcome, root: String, asOf: Day?, after log: [String]) throws {
        let today = Day("2026-12-01")!
        let check = WorkspaceCheck(root: root)
        #expect((outcome.errors + outcome.warnings).sortedForOutput().map(\.description) == check.diagnostics.map(\.description), "after \(log)")
        let out = NSTemporaryDirectory() + "segmark-session-cold-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: out) }
        _ = try SiteBuilder().build(root: root, options: .init(asOf: asOf, today: today, output: out, formats: [.html, .md]))
        let built = SitePagesTests().files(out)
        #expect(built.count > 10)
        var differing: [String] = []
        for (path, bytes) in built.sorted(by: { $0.key < $1.key }) where session.snapshot.page(path)?.bytes != bytes {
            differing.append(path)
        }
        #expect(differing.isEmpty, "after \(log): \(differing.prefix(5))")
    }

    /// A company's industry groups, business relations and name are its people's too: an edit
    /// of the company alone changes which of its people segments hold.
    @Test func aCompanysEditReachesItsPeople() throws {
        let ws = try TestWorkspace(Dictionary(uniqueKeysWithValues: [
            contact("CO1", "industry_groups: [TECH]\nbusiness_relations: [PARTNER]", name: "Acme"),
            contact("P1", "company: CO1", type: "person"), contact("P2", "company: CO1", type: "person"),
            contact("CO2", "industry_groups: [RETAIL]", name: "Bolt"), contact("P3", "company: CO2", type: "person"),
            segment("TECH", "  - add:\n      industry_groups: TECH"),
            segment("PARTNERS", "  - add:\n      business_relations: PARTNER"),
            segment("ACME", "  - add:\n      contact: { company_name: 'Acme*', type: person }"),
            segment("ALL", "  - add:\n      segment: TECH|ACME\n  - reduce:\n      contact: { id: P2 }"),
        ]))
        defer { ws.remove() }
        let session = PreviewSession(root: ws.root, asOf: nil, today: Day("2026-12-01")!, formats: [.html, .md])
        #expect(session.rebuild().errors.isEmpty)
        let tech = { String(decoding: session.snapshot.page("segments/TECH.md")?.bytes ?? [], as: UTF8.self) }
        #expect(tech().contains("P1") && !tech().contains("P3"))
        let path = "Content/contacts/CO1.md"
        try "---\ntype: company\nname: Zeta\nindustry_groups: [RETAIL]\n---\n".write(toFile: ws.root + "/" + path, atomically: true, encoding: .utf8)
        let outcome = session.rebuild(changed: [path])
        #expect(outcome.patched)
        #expect(!tech().contains("P1") && !tech().contains("CO1"))
        try compare(session, outcome, root: ws.root, asOf: nil, after: ["CO1 edited"])
    }

    /// An interaction entry without a salesperson of its own has its contact's: a contact's
    /// new salesperson changes which `interactions` groups its entries meet.
    @Test func aContactsSalespersonReachesItsEntries() throws {
        let ws = try TestWorkspace(Dictionary(uniqueKeysWithValues: [
            contact("P1", "salesperson: AB", type: "person"), contact("P2", "salesperson: JO", type: "person"),
            ("Content/interaction-templates/CALL.md", "---\ndescription: A call\ngroup: SALES\n---\n"),
            ("Content/interactions/CALLS.md", "---\ndate: 2026-10-14\ntemplate: CALL\ncontacts: [P1, P2]\n---\n"),
            segment("BYJO", "  - add:\n      interactions: { salesperson: JO }"),
        ]))
        defer { ws.remove() }
        let session = PreviewSession(root: ws.root, asOf: nil, today: Day("2026-12-01")!, formats: [.html, .md])
        #expect(session.rebuild().errors.isEmpty)
        let sheet = { String(decoding: session.snapshot.page("segments/BYJO.md")?.bytes ?? [], as: UTF8.self) }
        #expect(!sheet().contains("P1") && sheet().contains("P2"))
        let path = "Content/contacts/P1.md"
        try "---\ntype: person\nname: Name P1\nsalesperson: JO\n---\n".write(toFile: ws.root + "/" + path, atomically: true, encoding: .utf8)
        let outcome = session.rebuild(changed: [path])
        #expect(outcome.patched)
        #expect(sheet().contains("P1") && sheet().contains("P2"))
        try compare(session, outcome, root: ws.root, asOf: nil, after: ["P1's salesperson"])
    }

    /// A segment's new criteria reach the segments made of it, and the diagnostics that cross
    /// segments (a missing segment, a cycle) come and go with the edits that make them.
    @Test func aSegmentsEditReachesSegmentsOfIt() throws {
        let ws = try TestWorkspace(Dictionary(uniqueKeysWithValues: [
            contact("NOR1", "country: NO"), contact("SWE1", "country: SE"),
            segment("A", "  - add:\n      contact: { country: NO }"),
            segment("B", "  - add:\n      segment: A"),
        ]))
        defer { ws.remove() }
        let session = PreviewSession(root: ws.root, asOf: nil, today: Day("2026-12-01")!, formats: [.html, .md])
        #expect(session.rebuild().errors.isEmpty)
        let b = { String(decoding: session.snapshot.page("segments/B.md")?.bytes ?? [], as: UTF8.self) }
        #expect(b().contains("NOR1") && !b().contains("SWE1"))
        let a = "Content/segments/A.md"
        let edits: [(String, String)] = [
            ("  - add:\n      contact: { country: SE }", "A on SE"),
            ("  - add:\n      segment: MISSING", "A names a missing segment"),
            ("  - add:\n      segment: B", "A and B a cycle"),
            ("  - add:\n      contact: { country: NO|SE }", "A on NO|SE"),
        ]
        var log: [String] = []
        for (criteria, what) in edits {
            try segment("A", criteria).1.write(toFile: ws.root + "/" + a, atomically: true, encoding: .utf8)
            log.append(what)
            let outcome = session.rebuild(changed: [a])
            #expect(outcome.patched, "\(what)")
            if outcome.errors.isEmpty { try compare(session, outcome, root: ws.root, asOf: nil, after: log) }
            #expect(outcome.errors.map(\.description) == WorkspaceCheck(root: ws.root).diagnostics.filter { $0.severity == .error }.map(\.description))
            if what == "A on SE" { #expect(b().contains("SWE1") && !b().contains("NOR1")) }
        }
        #expect(b().contains("SWE1") && b().contains("NOR1"))
    }

    @Test(arguments: [21, 22])
    func sessionEqualsColdLoad(seed: Int) throws {
        let root = try TestWorkspace.generated(contacts: 80, segments: 8, entries: 400, seed: seed)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let edits = RandomEdits(root: root, seed: seed)
        var asOf: Day? = nil
        let session = { (asOf: Day?) in PreviewSession(root: root, asOf: asOf, today: Day("2026-12-01")!, formats: [.html, .md]) }
        var current = session(nil)
        var outcome = current.rebuild()
        var log: [String] = []
        var patched = 0
        for step in 0..<16 {
            // Mostly contact and segment edits (what `serve` patches), then any edit.
            let edit = try edits.apply(step: step, kinds: step % 3 == 2 ? RandomEdits.kinds : 5)
            log.append(edit.log)
            if let moved = edit.asOf {
                // The as-of date is the session's own setting: a new session, as a restarted `serve`.
                asOf = moved
                current = session(asOf)
            }
            outcome = current.rebuild(changed: Set(edit.touched))
            if outcome.patched { patched += 1 }
            try compare(current, outcome, root: root, asOf: asOf, after: log)
        }
        #expect(patched >= 5, "the contact edits were patched, not checked whole")
    }
}
