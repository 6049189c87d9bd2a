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
}
