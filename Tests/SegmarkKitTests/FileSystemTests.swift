import Foundation
import Testing
@testable import SegmarkKit

/// The real file system's writes: a new file is created whole or not at all, and never
/// replaces one that exists (two `log` runs, an import over a file someone just added).
@Suite("Writing files")
struct FileSystemTests {
    func listing(_ dir: String) -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted() }

    @Test func createExclusivelyNeverReplacesAndLeavesNoTemporaryFile() throws {
        let dir = NSTemporaryDirectory() + "segmark-fs-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fs = LocalFileSystem()
        try fs.createExclusively(Array("first\n".utf8), at: dir + "/A.md")
        #expect(throws: FileSystemError.exists(dir + "/A.md")) {
            try fs.createExclusively(Array("second\n".utf8), at: dir + "/A.md")
        }
        #expect(try fs.read(dir + "/A.md") == Array("first\n".utf8))
        // A symbolic link in the way is not followed or replaced either.
        try FileManager.default.createSymbolicLink(atPath: dir + "/B.md", withDestinationPath: dir + "/elsewhere.md")
        #expect(throws: FileSystemError.exists(dir + "/B.md")) {
            try fs.createExclusively(Array("x\n".utf8), at: dir + "/B.md")
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/elsewhere.md"))
        #expect(listing(dir) == ["A.md", "B.md"])
    }

    /// How a build puts a staged page in place: over a page (swapped, then the old one
    /// unlinked), where none is, over a link (the link goes, its target stays), and never
    /// over a folder.
    @Test func replaceFileReplacesFilesAndLinksButNeverAFolder() throws {
        let dir = NSTemporaryDirectory() + "segmark-fs-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir + "/staging", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/out/page.html", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fs = LocalFileSystem()
        for name in ["a", "b", "c", "d"] { try fs.writeNew(Array("new \(name)\n".utf8), to: dir + "/staging/\(name).html") }
        try fs.writeNew(Array("old a\n".utf8), to: dir + "/out/a.html")
        try fs.writeNew(Array("kept\n".utf8), to: dir + "/out/target.txt")
        try FileManager.default.createSymbolicLink(atPath: dir + "/out/c.html", withDestinationPath: dir + "/out/target.txt")
        try fs.writeNew(Array("inside\n".utf8), to: dir + "/out/page.html/inside.txt")

        // The page and the link replaced are left at the staged names, for the caller to remove.
        #expect(try fs.replaceFile(dir + "/staging/a.html", to: dir + "/out/a.html"))
        #expect(try fs.read(dir + "/staging/a.html") == Array("old a\n".utf8))
        #expect(try !fs.replaceFile(dir + "/staging/b.html", to: dir + "/out/b.html"))
        #expect(try fs.replaceFile(dir + "/staging/c.html", to: dir + "/out/c.html"))
        #expect(fs.kind(of: dir + "/staging/c.html") == .symlink)
        #expect(throws: FileSystemError.io(dir + "/out/page.html", String(cString: strerror(EISDIR)))) {
            _ = try fs.replaceFile(dir + "/staging/d.html", to: dir + "/out/page.html")
        }
        let remover = BackgroundRemover(fileSystem: fs, threads: 2)
        remover.remove(dir + "/staging/a.html")
        remover.remove(dir + "/staging/c.html")
        remover.finish()
        #expect(try fs.read(dir + "/out/a.html") == Array("new a\n".utf8))
        #expect(try fs.read(dir + "/out/b.html") == Array("new b\n".utf8))
        #expect(fs.kind(of: dir + "/out/c.html") == .file)
        #expect(try fs.read(dir + "/out/c.html") == Array("new c\n".utf8))
        #expect(try fs.read(dir + "/out/target.txt") == Array("kept\n".utf8))
        #expect(try fs.read(dir + "/out/page.html/inside.txt") == Array("inside\n".utf8))
        #expect(listing(dir + "/staging") == ["d.html"])
        #expect(listing(dir + "/out") == ["a.html", "b.html", "c.html", "page.html", "target.txt"])
    }

    /// The remover takes files from any number of callers' queues on a few threads; `finish`
    /// returns once every file queued is gone, and the remover can be used again after.
    @Test func theBackgroundRemoverRemovesEveryFileQueuedBeforeFinishReturns() throws {
        let dir = NSTemporaryDirectory() + "segmark-fs-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fs = LocalFileSystem()
        let remover = BackgroundRemover(fileSystem: fs, threads: 3)
        for round in 0..<2 {
            for i in 0..<500 { try fs.writeNew([UInt8(i & 0xFF)], to: dir + "/\(round)-\(i).html") }
            for i in 0..<500 { remover.remove(dir + "/\(round)-\(i).html") }
            remover.remove(dir + "/missing.html")  // a file already gone is no error
            remover.finish()
            #expect(listing(dir) == [], "round \(round)")
        }
        remover.finish()  // nothing queued: returns at once
    }

    /// A folder with `pages/a.html`, `pages/sub/b.html`, `top.html`, a link `pages/link.html`
    /// to a.html and a link `linked` to pages/.
    func pagesFolder() throws -> String {
        let dir = NSTemporaryDirectory() + "segmark-fs-" + UUID().uuidString
        let fm = FileManager.default, fs = LocalFileSystem()
        try fm.createDirectory(atPath: dir + "/pages/sub", withIntermediateDirectories: true)
        try fs.writeAtomically(Array("page\n".utf8), to: dir + "/pages/a.html")
        try fs.writeAtomically(Array("x\n".utf8), to: dir + "/pages/sub/b.html")
        try fs.writeAtomically(Array("top\n".utf8), to: dir + "/top.html")
        try fm.createSymbolicLink(atPath: dir + "/pages/link.html", withDestinationPath: dir + "/pages/a.html")
        try fm.createSymbolicLink(atPath: dir + "/linked", withDestinationPath: dir + "/pages")
        return dir
    }

    /// The looks an incremental build makes at the pages it keeps, a folder at a time: the
    /// same answers as one `lstat` a path, never through a symbolic link (not a linked folder,
    /// not a linked name, not a name with a `/` that would reach into another folder).
    @Test func statusesInAFolderAnswerAsLstatAndFollowNoLink() throws {
        let dir = try pagesFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fs = LocalFileSystem()
        let names = ["a.html", "link.html", "sub", "gone.html", "sub/b.html", "", "..", "."]
        let got = fs.statuses(in: dir + "/pages", names: names)
        #expect(got.count == names.count)
        #expect(got[0] == fs.status(dir + "/pages/a.html") && got[0]?.kind == .file && got[0]?.size == 5)
        #expect(got[1]?.kind == .symlink)
        #expect(got[2]?.kind == .directory)
        #expect(got[3] == nil && got[4] == nil && got[5] == nil)
        #expect(fs.statuses(in: dir + "/linked", names: ["a.html"]) == [nil], "a linked folder is not opened")
        #expect(fs.statuses(in: dir + "/nowhere", names: ["a.html", "b"]) == [nil, nil])
    }

    /// The same look on a path table's bytes (an incremental build's) answers as the look by
    /// `String`s: folders in runs and cut every 2,048 names, top-level paths, missing folders,
    /// a linked folder, and paths no plain name can reach.
    @Test func statusesOfATableAnswerAsTheLookByStrings() throws {
        let dir = try pagesFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fs = LocalFileSystem()
        var paths = ["pages/a.html", "pages/link.html", "pages/sub", "pages/gone.html", "pages/sub/b.html", "top.html", "linked/a.html",
                     "nowhere/x.html", "pages/", "/top.html", "../x", "pages//a.html", "pages/sub/../a.html", "top.html/x", "sub/b.html"]
        for n in 0..<2_100 { paths.append(n % 700 == 0 ? "pages/a.html" : "pages/p\(n).html") }
        paths += ["pages/sub/b.html", "top.html"]
        var table = PathTable()
        var indices: [Int] = []
        for (n, path) in paths.enumerated() {
            let (i, inserted) = table.insert(path)
            if inserted, n % 5 != 3 { indices.append(i) }  // some paths are not looked at
        }
        let expected = fs.statuses(of: indices.map { table[$0] }, under: dir)
        let got = fs.statuses(of: table, at: indices, under: dir)
        #expect(got == expected)
        // a.html, the link, sub, sub/b.html and top.html; and a.html and top.html again through
        // `//`, `..` and a leading `/` (the build asks only for plain relative paths).
        #expect(got.compactMap { $0 }.count == 8)
    }

    /// A temporary file is made beside the file it becomes (a rename never crosses folders),
    /// hidden, and for a bare name in the current folder.
    @Test func aTemporaryFileIsMadeInTheSameFolder() {
        let fs = LocalFileSystem()
        for (path, folder, name) in [("/w/Content/contacts/CT1.md", "/w/Content/contacts/", "CT1.md"),
                                     ("rel/øre.md", "rel/", "øre.md"), ("bare.md", "./", "bare.md"), ("/top.md", "/", "top.md")] {
            let tmp = fs.temporaryPath(for: path)
            #expect(tmp.hasPrefix(folder + "." + name + "."), "\(path) → \(tmp)")
            #expect(tmp.hasSuffix(".tmp") && !tmp.dropFirst(folder.count).contains("/"), "\(path) → \(tmp)")
        }
    }

    /// A staged page is written in place, but never over a file or through a link that is there.
    @Test func writeNewCreatesOnlyAndFollowsNoLink() throws {
        let dir = NSTemporaryDirectory() + "segmark-fs-" + UUID().uuidString
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? fm.removeItem(atPath: dir) }
        let fs = LocalFileSystem()
        try fs.writeNew(Array("page\n".utf8), to: dir + "/a.html")
        #expect(try fs.read(dir + "/a.html") == Array("page\n".utf8))
        #expect(throws: FileSystemError.self) { try fs.writeNew(Array("again\n".utf8), to: dir + "/a.html") }
        #expect(try fs.read(dir + "/a.html") == Array("page\n".utf8))
        try fm.createSymbolicLink(atPath: dir + "/b.html", withDestinationPath: dir + "/target.html")
        #expect(throws: FileSystemError.self) { try fs.writeNew(Array("x\n".utf8), to: dir + "/b.html") }
        #expect(!fm.fileExists(atPath: dir + "/target.html"), "a dangling link is not followed")
        #expect(listing(dir) == ["a.html", "b.html"], "no temporary file is left")
    }

    /// `build --force` compares each page with the file on disk on the thread that rendered it:
    /// only a regular file of the same size, reached from the output folder through real
    /// folders, is read; a link (to the file or to a folder on the way), a missing file, a
    /// folder, a FIFO, a path that is not plain, answer false. The file systems of tests answer
    /// alike through `status` and `read`.
    @Test func holdsReadsOnlyARealFileOfTheSameSizeThroughRealFolders() throws {
        let dir = try pagesFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let big = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }  // over three chunks
        try LocalFileSystem().writeAtomically(big, to: dir + "/pages/big.bin")
        #expect(mkfifo(dir + "/pages/fifo", 0o644) == 0)
        var bigLastChanged = big
        bigLastChanged[big.count - 1] &+= 1
        let cases: [(String, [UInt8], Bool)] = [
            ("pages/a.html", Array("page\n".utf8), true),
            ("pages/sub/b.html", Array("x\n".utf8), true),
            ("top.html", Array("top\n".utf8), true),
            ("pages/big.bin", big, true),
            ("pages/big.bin", bigLastChanged, false),
            ("pages/big.bin", Array(big.dropLast()), false),
            ("pages/a.html", Array("pagE\n".utf8), false),
            ("pages/a.html", Array("page\n\n".utf8), false),
            ("pages/a.html", [], false),
            ("pages/link.html", Array("page\n".utf8), false),
            ("linked/a.html", Array("page\n".utf8), false),
            ("pages/gone.html", [], false),
            ("pages/sub", [], false),
            ("pages/fifo", [], false),
            ("pages//a.html", Array("page\n".utf8), false),
            ("pages/sub/../a.html", Array("page\n".utf8), false),
            ("./top.html", Array("top\n".utf8), false),
            ("/top.html", Array("top\n".utf8), false),
            ("top.html/", Array("top\n".utf8), false),
        ]
        let local = LocalFileSystem(), other = AgedFileSystem()
        for (path, bytes, expected) in cases {
            #expect(local.holds(bytes, at: path, under: dir) == expected, "\(path), \(bytes.count) bytes")
            // The protocol's own answer (no `holds` of its own), except for paths that are not
            // plain, which the build never asks about and `status` would resolve, and the FIFO
            // (a test's file system has none; opening one for reading waits for a writer).
            if path != "pages/fifo", !path.contains("..") && !path.contains("//") && !path.hasPrefix(".") && !path.hasPrefix("/") && !path.hasSuffix("/") {
                #expect(other.holds(bytes, at: path, under: dir) == expected, "\(path), \(bytes.count) bytes (protocol)")
            }
        }
    }
}
