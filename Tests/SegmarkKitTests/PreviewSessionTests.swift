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
}
