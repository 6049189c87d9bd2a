import Foundation
import Testing
@testable import SegmarkKit

/// A sheet rendered again copies the rows whose keys the last build's page has, renders the
/// others, and is byte for byte the sheet a fresh render makes.
@Suite("Rows copied from the last build")
struct RowSpliceTests {
    struct Site {
        let pages: SitePages
        let signatures: PageSignatures
    }

    func site(_ root: String) throws -> Site {
        let check = WorkspaceCheck(root: root)
        #expect(!check.hasErrors)
        let templates = try TemplateLibrary.load(root: root, settings: check.model.settings, fileSystem: LocalFileSystem()).get()
        let evaluation = SegmentEvaluator(model: check.model, asOf: Day("2026-12-01")!).evaluate()
        let signatures = PageSignatures(model: check.model, evaluation: evaluation, global: 1)
        let pages = SitePages(model: check.model, evaluation: evaluation, templates: templates, formats: [.html, .md],
                              memberships: signatures.memberships, contactKeys: signatures.contact)
        return Site(pages: pages, signatures: signatures)
    }

    @Test func aSheetRenderedAgainCopiesItsUnchangedRows() throws {
        let root = try TestWorkspace.generated(contacts: 400, segments: 6, entries: 500, seed: 41)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let before = try site(root)
        let model = before.pages.model
        // The largest sheet, and a person on it (a company's edit reaches its people's rows too).
        let si = model.segments.indices.max { (before.pages.evaluation.results[$0]?.members.count ?? 0, $1) < (before.pages.evaluation.results[$1]?.members.count ?? 0, $0) }!
        let members = before.pages.evaluation.results[si]!.members
        #expect(members.count > 50)
        let person = members.indices.first { model.contacts[$0].type == .person }!
        var last: [PageRef: (RowSplice.Record, [UInt8])] = [:]
        for ref in [PageRef.sheet(si, .html), .sheet(si, .md), .sheetCSV(si), .sheetLabels(si)] {
            let splice = RowSplice(salt: 7)
            let bytes = try before.pages.bytes(ref, splice: splice)
            #expect(try bytes == before.pages.bytes(ref), "recording rows changes no byte")
            last[ref] = (try #require(splice.record(of: bytes)), bytes)
        }
        #expect(last[.sheet(si, .html)]!.0.keys.count == members.count)

        let file = root + "/" + model.contacts[person].path
        let text = try String(contentsOfFile: file, encoding: .utf8)
        try RandomEdits.replaceLine(text, key: "name", with: "\"Renamed <&> \u{e6}\u{f8}\u{e5}\"").write(toFile: file, atomically: true, encoding: .utf8)
        let after = try site(root)
        #expect(last[.sheetCSV(si)]!.0.keys.count == members.count)
        for ref in [PageRef.sheet(si, .html), .sheet(si, .md), .sheetCSV(si), .sheetLabels(si)] {
            let splice = RowSplice(salt: 7, last: last[ref]!)
            let bytes = try after.pages.bytes(ref, splice: splice)
            #expect(try bytes == after.pages.bytes(ref), "\(ref)")
            let rows = splice.record(of: bytes)!.keys.count
            #expect(rows > 0)
            // Every row but the renamed person's is copied (the labels list only those on paper).
            #expect(splice.copied >= rows - 1 && splice.copied < rows || ref == .sheetLabels(si) && splice.copied == rows, "\(ref)")
        }
        #expect(String(decoding: try after.pages.bytes(.sheet(si, .html)), as: UTF8.self).contains("Renamed &lt;&amp;&gt; \u{e6}\u{f8}\u{e5}"))

        // Another salt (the segment's file or the templates changed): nothing is copied.
        let other = RowSplice(salt: 8, last: last[.sheet(si, .html)]!)
        #expect(try after.pages.bytes(.sheet(si, .html), splice: other) == after.pages.bytes(.sheet(si, .html)))
        #expect(other.copied == 0)
        // A record that does not fit the bytes given is not used.
        var wrong = last[.sheet(si, .html)]!
        wrong.1[wrong.1.count / 2] ^= 1
        let damaged = RowSplice(salt: 7, last: wrong)
        _ = try after.pages.bytes(.sheet(si, .html), splice: damaged)
        #expect(damaged.copied == 0)
        // Bytes the caller proved (`RowRecords`: the page is as the last build left it) are
        // not hashed again: the rows are copied from them as they are.
        let proven = RowSplice(salt: 7, last: wrong, proven: true)
        _ = try after.pages.bytes(.sheet(si, .html), splice: proven)
        #expect(proven.copied > 0)
    }

    @Test func aRecordReadsBackWholeOrNotAtAll() throws {
        let record = RowSplice.Record(file: 0xABCDEF, size: 100, start: 10, keys: [1, 2, 3], ends: [20, 20, 95])
        #expect(RowSplice.Record(record.bytes) == record)
        for damaged in [Array(record.bytes.dropLast()), record.bytes + [0], Array(record.bytes.prefix(12)), []] {
            #expect(RowSplice.Record(damaged) == nil)
        }
        #expect(!record.fits([UInt8](repeating: 0, count: 99)))
        #expect(!RowSplice.Record(file: 0, size: 100, start: 10, keys: [1, 2], ends: [30, 20]).fits([UInt8](repeating: 0, count: 100)))
    }

    /// A user's template whose rows name the list itself reads every row in each row: those
    /// rows are never copied, and the page is what a fresh render makes after a row changed.
    @Test func rowsThatNameTheirListAreNotCopied() throws {
        var set = TemplateSet(contentType: .html)
        try set.add("main", source: "{{#members}}<{{name}}:{{#members}}{{name}}{{/members}}>{{/members}}")
        try set.add("plain", source: "{{#members}}<{{name}}>{{/members}}")
        #expect(set.resolvePartials().isEmpty)
        func page(_ names: [String]) -> TemplateValue {
            // The key says what a row is made of: here its name.
            ["members": .rows(TemplateRows(count: names.count, key: { UInt64(names[$0].unicodeScalars.first!.value) }) { ["name": .text(names[$0])] })]
        }
        for template in ["main", "plain"] {
            let first = RowSplice(salt: 1)
            let bytes = try set.render(template, page(["a", "b", "c"]), memo: nil, splice: first)!
            let record = try #require(first.record(of: bytes))
            let again = RowSplice(salt: 1, last: (record, bytes))
            let changed = try set.render(template, page(["a", "B", "c"]), memo: nil, splice: again)!
            #expect(try changed == set.render(template, page(["a", "B", "c"]))!, "\(template)")
            #expect(String(decoding: changed, as: UTF8.self) == (template == "main" ? "<a:aBc><B:aBc><c:aBc>" : "<a><B><c>"))
            if template == "plain" { #expect(again.copied == 2) }
        }
    }

    /// A record is used only with the page it describes, and only when it is not newer than
    /// the page (a build writes the record first): one put there afterwards, as a pull request's
    /// checkout would, is not used.
    @Test func aRecordNewerThanItsPageIsNotUsed() throws {
        let fm = FileManager.default
        let root = NSTemporaryDirectory() + "segmark-rows-" + UUID().uuidString, output = root + "-out"
        defer { for d in [root, output] { try? fm.removeItem(atPath: d) } }
        try fm.createDirectory(atPath: root, withIntermediateDirectories: true)
        try fm.createDirectory(atPath: output + "/segments", withIntermediateDirectories: true)
        let page = Array("<p>head</p><tr>a</tr><tr>b</tr>".utf8)
        let record = RowSplice.Record(file: Fingerprint.ofFile(page), size: page.count, start: 11, keys: [1, 2], ends: [20, 29])
        let fs = LocalFileSystem()
        final class OnRecord: @unchecked Sendable { var hash: UInt64? }
        let onRecord = OnRecord()
        let rows = try #require(RowRecords(fileSystem: fs, root: root, output: output, reuse: true) { _ in onRecord.hash })
        rows.save("segments/S1.html", record)
        Thread.sleep(forTimeInterval: 0.02)
        try fs.writeAtomically(page, to: output + "/segments/S1.html")
        onRecord.hash = record.file
        let found = try #require(rows.last("segments/S1.html"))
        #expect(found.record == record && found.bytes == page)
        // A page as it was on record: its record is not written again.
        let before = fs.modificationTime(rows.file("segments/S1.html"))
        Thread.sleep(forTimeInterval: 0.02)
        rows.save("segments/S1.html", record)
        #expect(fs.modificationTime(rows.file("segments/S1.html")) == before)
        // The record touched after the page: not used.
        try fm.setAttributes([.modificationDate: Date().addingTimeInterval(3600)], ofItemAtPath: rows.file("segments/S1.html"))
        #expect(rows.last("segments/S1.html") == nil)
        // Nor a record of other bytes, nor one of a page not on record.
        try fm.setAttributes([.modificationDate: Date().addingTimeInterval(-3600)], ofItemAtPath: rows.file("segments/S1.html"))
        #expect(rows.last("segments/S1.html") != nil)
        onRecord.hash = record.file ^ 1
        #expect(rows.last("segments/S1.html") == nil)
        onRecord.hash = nil
        #expect(rows.last("segments/S1.html") == nil)
    }

    /// Content arrives in pull requests: a `rows` folder that is a link (or a file) is neither
    /// read nor written, and a record that is a link is not read.
    @Test func aLinkedRowsFolderOrRecordIsNotFollowed() throws {
        let fm = FileManager.default
        let root = NSTemporaryDirectory() + "segmark-rows-" + UUID().uuidString, elsewhere = root + "-elsewhere"
        defer { for d in [root, elsewhere] { try? fm.removeItem(atPath: d) } }
        try fm.createDirectory(atPath: root + "/" + ParseCache.folderName, withIntermediateDirectories: true)
        try fm.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        let rowsFolder = root + "/" + ParseCache.folderName + "/" + RowRecords.folderName
        try fm.createSymbolicLink(atPath: rowsFolder, withDestinationPath: elsewhere)
        #expect(RowRecords(fileSystem: LocalFileSystem(), root: root, output: root + "-out", reuse: true) { _ in 1 } == nil)
        try fm.removeItem(atPath: rowsFolder)
        try "not a folder".write(toFile: rowsFolder, atomically: true, encoding: .utf8)
        #expect(RowRecords(fileSystem: LocalFileSystem(), root: root, output: root + "-out", reuse: true) { _ in 1 } == nil)
        try fm.removeItem(atPath: rowsFolder)
        // A record that is a link to a record elsewhere (of the right page) is not read.
        let page = Array("<tr>a</tr>".utf8)
        let record = RowSplice.Record(file: Fingerprint.ofFile(page), size: page.count, start: 0, keys: [1], ends: [10])
        try LocalFileSystem().writeAtomically(record.bytes, to: elsewhere + "/record")
        let output = root + "-out"
        defer { try? fm.removeItem(atPath: output) }
        try fm.createDirectory(atPath: output + "/segments", withIntermediateDirectories: true)
        let rows = try #require(RowRecords(fileSystem: LocalFileSystem(), root: root, output: output, reuse: true) { _ in record.file })
        Thread.sleep(forTimeInterval: 0.02)
        try LocalFileSystem().writeAtomically(page, to: output + "/segments/S1.html")
        try fm.createSymbolicLink(atPath: rows.file("segments/S1.html"), withDestinationPath: elsewhere + "/record")
        #expect(rows.last("segments/S1.html") == nil)
        // Saving replaces the link, and the file it named is untouched.
        let other = Array("kept as it is".utf8)
        try LocalFileSystem().writeAtomically(other, to: elsewhere + "/record")
        rows.save("segments/S1.html", record)
        #expect(LocalFileSystem().kind(of: rows.file("segments/S1.html")) == .file)
        #expect(try LocalFileSystem().read(rows.file("segments/S1.html")) == record.bytes)
        #expect(try LocalFileSystem().read(elsewhere + "/record") == other)
    }
}
