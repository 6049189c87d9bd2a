import Foundation
import Testing
@testable import SegmarkKit

/// The records a build leaves in the output folder are read back exactly as written: a page
/// whose record reads back wrong is rendered again on every build (slow, but silent).
@Suite("Build records")
struct BuildRecordTests {
    @Test func stateReadsBackWhatWasWritten() {
        var state = BuildState()
        state.inputs = "00ff"
        state.stat = "abcd"
        // Modification times in nanoseconds have 19 digits; a path may hold spaces.
        let pages: [(path: String, page: BuildState.Page)] = [
            ("contacts/CT2.html", .init(signature: 0xFFFF_FFFF_FFFF_FFFF, size: 1234, modified: 1_764_498_000_123_456_789)),
            ("segments/A B.md", .init(signature: 1, size: 0, modified: -5)),
            ("index.html", .init(signature: 0x0123_4567_89AB_CDEF, size: 9, modified: Int64.max)),
        ]
        var paths = PathTable()
        for (path, _) in pages { paths.insert(path) }
        state.setPages(paths, pages.map(\.page))
        state.folders = [.init(path: "contacts", changed: 1_764_498_000_123_456_789, inode: UInt64.max),
                         .init(path: "interactions/B 1-mail", changed: -1, inode: 7)]
        let back = BuildState(state.bytes)
        #expect(back.folders == state.folders)
        #expect(back.inputs == "00ff")
        #expect(back.stat == "abcd")
        #expect(back.pageOrder == ["contacts/CT2.html", "segments/A B.md", "index.html"])
        for (path, page) in pages { #expect(back.page(path) == page, "\(path)") }
        #expect(back.bytes == state.bytes)
        // Read for its fingerprints only: those, and no page.
        let header = BuildState(state.bytes, pages: false)
        #expect(header.inputs == "00ff" && header.stat == "abcd" && header.pageOrder.isEmpty)
        #expect(header.folders == state.folders)
    }

    /// A page is staged by the thread that rendered it, before the build's thread checks
    /// the folders on its way: that check still refuses a linked folder, nothing reaches
    /// the folder the link points to, and the staged copy goes with the staging folder.
    @Test func aPageStagedEarlyStillNeverGoesThroughALinkedFolder() throws {
        let fm = FileManager.default, fs = LocalFileSystem()
        let (base, out, away) = try outputAndElsewhere("stage")
        try fm.createSymbolicLink(atPath: out + "/segments", withDestinationPath: away)
        defer { try? fm.removeItem(atPath: base) }
        let writer = OutputWriter(fileSystem: fs, directory: out)
        let prepared = try writer.prepare("segments/S.html", Array("sheet\n".utf8), intactHash: nil)
        #expect(throws: Confinement.Violation.self) { try writer.add(prepared) }
        writer.abort()
        #expect(try fm.contentsOfDirectory(atPath: away) == [])
        #expect(!fm.fileExists(atPath: out + "/" + OutputWriter.stagingName))
        #expect(try fm.contentsOfDirectory(atPath: out) == ["segments"])
    }

    /// A folder Output/ lacks moves into place whole; files in folders it has move one by one,
    /// next to the files already there, which stay untouched; nothing is left in staging.
    @Test func aNewFolderMovesWholeAndAnExistingOneFileByFile() throws {
        let fm = FileManager.default, fs = LocalFileSystem()
        let out = NSTemporaryDirectory() + "segmark-move-" + UUID().uuidString
        try fm.createDirectory(atPath: out + "/interactions/B1-mail", withIntermediateDirectories: true)
        try fs.writeAtomically(Array("mine\n".utf8), to: out + "/interactions/B1-mail/C1.eml")
        try fs.writeAtomically(Array("keep\n".utf8), to: out + "/interactions/other.txt")
        defer { try? fm.removeItem(atPath: out) }
        let writer = OutputWriter(fileSystem: fs, directory: out)
        let files = ["index.html", "interactions/B1.html", "interactions/B1-mail/C2.eml", "interactions/B2-mail/C1.eml",
                     "interactions/B2.html", "interactions/B2-mail/C2.eml", "segments/S1.html", "segments/deep/S2.html", "index.md"]
        for path in files { try writer.add(try writer.prepare(path, Array("\(path)\n".utf8), intactHash: nil)) }
        let summary = try writer.commit()
        #expect(summary.changed == files.count)
        for path in files { #expect(try fs.read(out + "/" + path) == Array("\(path)\n".utf8), "\(path)") }
        #expect(try fs.read(out + "/interactions/B1-mail/C1.eml") == Array("mine\n".utf8))
        #expect(try fs.read(out + "/interactions/other.txt") == Array("keep\n".utf8))
        #expect(!fm.fileExists(atPath: out + "/" + OutputWriter.stagingName))
        #expect(try fm.contentsOfDirectory(atPath: out + "/interactions/B2-mail").sorted() == ["C1.eml", "C2.eml"])
        #expect(try fm.contentsOfDirectory(atPath: out + "/segments").sorted() == ["S1.html", "deep"])
        #expect(writer.readManifest().list.map(\.path) == files)
    }

    /// A folder that appears as a link between staging and moving into place is refused:
    /// nothing reaches the folder it points to.
    @Test func aFolderLinkedAfterStagingIsRefusedWhenMoving() throws {
        let fm = FileManager.default, fs = LocalFileSystem()
        let (base, out, away) = try outputAndElsewhere("late-link")
        defer { try? fm.removeItem(atPath: base) }
        let writer = OutputWriter(fileSystem: fs, directory: out)
        try writer.add(try writer.prepare("segments/S.html", Array("sheet\n".utf8), intactHash: nil))
        try fm.createSymbolicLink(atPath: out + "/segments", withDestinationPath: away)
        #expect(throws: Confinement.Violation.self) { _ = try writer.commit() }
        writer.abort()
        #expect(try fm.contentsOfDirectory(atPath: away) == [])
    }

    /// A temporary folder holding an `Output` folder and a folder beside it (`away`).
    func outputAndElsewhere(_ name: String) throws -> (base: String, out: String, away: String) {
        let base = NSTemporaryDirectory() + "segmark-\(name)-" + UUID().uuidString
        let out = base + "/Output", away = base + "/away"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: away, withIntermediateDirectories: true)
        return (base, out, away)
    }

    /// A forged state and output record naming a file outside Output/ (`../away/x.html`) with
    /// its true size, time and hash: the page is never kept, and a build that does not make
    /// it leaves the file alone.
    @Test func forgedRecordsOfAFileOutsideOutputProveNothing() throws {
        let fm = FileManager.default, fs = LocalFileSystem()
        let (base, out, away) = try outputAndElsewhere("forged")
        defer { try? fm.removeItem(atPath: base) }
        let bytes = Array("not Segmark's\n".utf8)
        try fs.writeAtomically(bytes, to: away + "/x.html")
        let status = try #require(fs.status(away + "/x.html"))
        let hash = Fingerprint.ofFile(bytes)
        try fs.writeAtomically(OutputWriter.manifestBytes([("../away/x.html", hash), ("index.html", hash)]), to: out + "/" + OutputWriter.manifestName)
        let state = BuildState(Array("page 1 \(status.size) \(status.modified) ../away/x.html\npage 1 \(status.size) \(status.modified) index.html\n".utf8))
        #expect(state.pageOrder == ["../away/x.html", "index.html"])
        let writer = OutputWriter(fileSystem: fs, directory: out)
        #expect(writer.recordedHash("../away/x.html") == nil)
        #expect(writer.recordedHash("index.html") == hash)
        // By place (the record's paths in the state's order) and by path (another order).
        #expect(writer.recordedHashes(state.paths) == [nil, hash])
        var reversed = PathTable()
        for path in ["index.html", "../away/x.html", "segments/S.html"] { reversed.insert(path) }
        #expect(writer.recordedHashes(reversed) == [hash, nil, nil])
        let kept = KeptPages(previous: state, recorded: writer.recordedHashes, directory: out, fileSystem: fs)
        #expect(kept.keep("../away/x.html", 1) == nil)
        try writer.add(try writer.prepare("segments/S.html", Array("sheet\n".utf8), intactHash: nil))
        let summary = try writer.commit()
        #expect(summary.removed == 0 && summary.leftAlone == ["../away/x.html"])
        #expect(try fs.read(away + "/x.html") == bytes)
    }

    @Test func damagedStateLinesProveNothing() {
        let text = "page zz 1 2 a.html\npage 1 x 2 b.html\npage 1 2 99999999999999999999 c.html\npage 1 2 3\npage 1 2 3 d.html\nstat\n"
        let state = BuildState(Array(text.utf8))
        #expect(state.pageOrder == ["d.html"])
        #expect(state.stat == nil)
        // A folder record outside the output, or damaged, vouches for nothing.
        let folders = "folder 5 6 ../away\nfolder 5 6 /etc\nfolder 5 6 a/./b\nfolder x 6 c\nfolder 5 6\nfolder 5 6 contacts\n"
        #expect(BuildState(Array(folders.utf8)).folders == [.init(path: "contacts", changed: 5, inode: 6)])
    }

    /// A damaged state listing a page twice: the page keeps its first place and its last record.
    @Test func aPageListedTwiceKeepsItsFirstPlaceAndItsLastRecord() {
        let text = "page 1 2 3 a.html\npage 4 5 6 b.html\npage 7 8 9 a.html\n"
        let state = BuildState(Array(text.utf8))
        #expect(state.pageOrder == ["a.html", "b.html"])
        #expect(state.page("a.html") == BuildState.Page(signature: 7, size: 8, modified: 9))
        #expect(String(decoding: state.bytes, as: UTF8.self) == "page 7 8 9 a.html\npage 4 5 6 b.html\n")
    }

    /// The table of paths answers as a dictionary and an array would, through its growth, for
    /// paths that differ in their last byte, in length only, or in bytes beyond ASCII.
    @Test func aPathsFolderIsUpToItsLastSlash() {
        var table = PathTable()
        for path in ["index.html", "contacts/CT1.html", "interactions/B 1-mail/CT2.eml", "a/", "/x"] { table.insert(path) }
        let folders = table.indices.map { String(decoding: table.bytes[table.folderRange($0)], as: UTF8.self) }
        #expect(folders == ["", "contacts", "interactions/B 1-mail", "a", ""])
    }

    @Test func pathTableAnswersAsADictionaryWould() {
        var table = PathTable()
        var order: [String] = [], places: [String: Int] = [:]
        var generator = SystemRandomNumberGenerator()
        let parts = ["a", "b", "ab", "æ", "ø/", "contacts/", "interactions/B1-mail/", "CT0", "CT00", ".html", ".eml", "\u{301}"]
        for _ in 0..<20_000 {
            let path = (0..<Int.random(in: 0...6, using: &generator)).map { _ in parts.randomElement(using: &generator)! }.joined()
            let (index, inserted) = table.insert(path)
            if let known = places[path] {
                #expect(!inserted && index == known, "\(path)")
            } else {
                #expect(inserted && index == order.count, "\(path)")
                places[path] = order.count
                order.append(path)
            }
        }
        #expect(table.count == order.count)
        for (i, path) in order.enumerated() {
            #expect(table[i] == path)
            #expect(table.index(of: path) == i)
        }
        #expect(table.index(of: "not/there.html") == nil || order.contains("not/there.html"))
        var copy = PathTable()
        for path in order { copy.insert(path) }
        #expect(copy == table)
        copy.insert("one more")
        #expect(copy != table)
    }

    @Test func manifestReadsBackInItsOrderAndDropsForgedHashes() throws {
        let fs = LocalFileSystem()
        let out = NSTemporaryDirectory() + "segmark-record-" + UUID().uuidString
        try fs.createDirectory(out)
        defer { try? FileManager.default.removeItem(atPath: out) }
        let entries: [(path: String, hash: UInt64?)] = [("segments/B.html", 0xAB), ("index.html", nil), ("a b.md", 0xFFFF_FFFF_FFFF_FFFF)]
        try fs.writeAtomically(OutputWriter.manifestBytes(entries) + Array("xyz\n0123456789abcdeg c.html\nsegments/B.html\n".utf8),
                               to: out + "/" + OutputWriter.manifestName)
        let read = OutputWriter(fileSystem: fs, directory: out).readManifest().list
        #expect(read.map(\.path) == ["segments/B.html", "index.html", "a b.md", "xyz", "0123456789abcdeg c.html"])
        #expect(read.map(\.hash) == [0xAB, nil, 0xFFFF_FFFF_FFFF_FFFF, nil, nil])
    }

    @Test func safeRelativePathsAreThoseOfPlainParts() {
        let safe = ["index.html", "contacts/CT1.html", "a/b/c.md", ".hidden", "...", "a/..b", "a/b..", "æ/ø.html", "a b/c"]
        let unsafe = ["", "/etc/passwd", "../x", "a/../b", "a/./b", ".", "..", "a/", "a//b", "a/..", "a/.", "a\u{1}b", "a\nb", "a\u{7F}"]
        for p in safe { #expect(OutputWriter.isSafeRelative(p), "\(p)") }
        for p in unsafe { #expect(!OutputWriter.isSafeRelative(p), "\(p.debugDescription)") }
    }

    /// The writer skips its folder check for a path in the folder it checked last: only a
    /// path whose folder is exactly that one may skip it.
    @Test func aPathIsInAFolderOnlyWhenItsFolderIsThatFolder() {
        let inside = [("segments/SM1.html", "segments"), ("interactions/B1-mail/CT1.eml", "interactions/B1-mail"), ("æ/ø.html", "æ")]
        let outside = [("segments/SM1.html", "segment"), ("segments/SM1.html", "segments/SM1"), ("segmentsX/a.html", "segments"),
                       ("interactions/B1-mail/CT1.eml", "interactions"), ("interactions/B1.html", "interactions/B1-mail"),
                       ("index.html", "index"), ("segments", "segments"), ("a/b", ""), ("/a", "a")]
        for (path, folder) in inside { #expect(OutputWriter.isIn(path, folder: folder), "\(path) in \(folder)") }
        for (path, folder) in outside { #expect(!OutputWriter.isIn(path, folder: folder), "\(path) not in \(folder)") }
    }

    /// The records are written as bytes: the same text `String(radix:)` and `\(Int64)` give.
    @Test func numbersAreWrittenAsTextWouldBe() {
        for v: UInt64 in [0, 1, 9, 10, 15, 16, 255, 0xABCDEF, 0x0123_4567_89AB_CDEF, UInt64.max] {
            var out: [UInt8] = []
            RecordLines.appendHex(v, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == String(v, radix: 16))
            out = []
            RecordLines.appendHex(v, width: 16, to: &out)
            let plain = String(v, radix: 16)
            #expect(String(decoding: out, as: UTF8.self) == String(repeating: "0", count: 16 - plain.count) + plain)
        }
        for v: Int64 in [0, 7, -7, 10, -10, 1_764_498_000_123_456_789, Int64.max, Int64.min] {
            var out: [UInt8] = []
            RecordLines.appendInteger(v, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == "\(v)")
            // After what the buffer holds already (a CSV row's cells).
            out = Array("x,".utf8)
            RecordLines.appendInteger(v, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == "x,\(v)")
        }
    }
}

extension BuildState {
    /// The record of the page at `path`.
    func page(_ path: String) -> Page? { paths.index(of: path).flatMap { pages[$0] } }

    /// The paths in the order the file lists them, each once.
    var pageOrder: [String] { paths.indices.filter { pages[$0] != nil }.map { paths[$0] } }
}

extension OutputWriter.Record {
    /// Each file with its hash, in the record's order.
    var list: [(path: String, hash: UInt64?)] { paths.indices.map { (paths[$0], hashes[$0]) } }
}
