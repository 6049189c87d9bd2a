import Foundation
import Testing
@testable import SegmarkKit

/// SECURITY.md's hostile-input cases, each with its whole diagnostic (never a crash or a hang).
@Suite("hostile content")
struct ReliabilityTests {
    @Test func emptyFilesAndLoneFences() throws {
        let ws = try TestWorkspace([
            "Content/contacts/EMPTY.md": "",
            "Content/contacts/FENCE.md": "---\n",
            "Content/contacts/FENCE2.md": "---",
            "Content/segments/S1.md": "---\ncriteria: hello\n---\n",
            "Content/segments/S2.md": "---\ncriteria:\n  add: {contact: {country: NO}}\n---\n",
            "Content/segments/S3.md": "---\ncriteria:\n  - add: [country]\n---\n",
        ])
        defer { ws.remove() }
        #expect(ws.diagnostics() == DIAG_EMPTY)
    }

    @Test func fencesInsideValuesAndBodiesAreText() throws {
        let ws = try TestWorkspace([
            "Content/contacts/C1.md": "---\ntype: company\nname: \"A --- B\"\n---\nBody\n---\nstill body\n",
        ])
        defer { ws.remove() }
        let check = ws.check()
        #expect(check.diagnostics.isEmpty)
        #expect(check.model.contacts[0].name == "A --- B")
        #expect(check.model.contacts[0].body == "Body\n---\nstill body\n")
    }

    @Test func pathTricksInIDsAreRefused() throws {
        let ws = try TestWorkspace([
            "Content/contacts/C1.md": "---\nid: ../../etc/passwd\ntype: company\nname: A\n---\n",
            "Content/contacts/C2.md": "---\nid: a/b\ntype: company\nname: A\n---\n",
            "Content/contacts/C3.md": "---\nid: .hidden\ntype: company\nname: A\n---\n",
        ])
        defer { ws.remove() }
        #expect(ws.diagnostics() == DIAG_IDS)
    }

    @Test func oversizedFileIsRefused() throws {
        let ws = try TestWorkspace([:])
        defer { ws.remove() }
        try FileManager.default.createDirectory(atPath: ws.root + "/Content/contacts", withIntermediateDirectories: true)
        let big = "---\ntype: company\nname: A\n---\n" + String(repeating: "x", count: FrontMatterParser.maxFileSize)
        try big.write(toFile: ws.root + "/Content/contacts/BIG.md", atomically: true, encoding: .utf8)
        #expect(ws.diagnostics() == ["Content/contacts/BIG.md:1:1: error: file is \(big.utf8.count) bytes; content files may be at most 8388608 bytes (8 MiB)"])
    }

    @Test func aTwentyThousandWayFilterWorks() throws {
        let values = (0..<20_000).map { "X\($0)" }.joined(separator: "|")
        let ws = try TestWorkspace(Dictionary(uniqueKeysWithValues: [
            contact("C1", "country: X19999"), contact("C2", "country: NO"),
            ("Content/segments/S.md", "---\ncriteria:\n  - add:\n      contact: {country: '\(values)'}\n---\n"),
        ]))
        defer { ws.remove() }
        #expect(ws.diagnostics() == [])
        #expect(ws.members("S") == ["C1"])
    }

    @Test func symlinksOutOfTheWorkspaceAreNotFollowed() throws {
        let outside = NSTemporaryDirectory() + "segmark-outside-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: outside) }
        try "---\ntype: company\nname: Secret\n---\n".write(toFile: outside + "/SECRET.md", atomically: true, encoding: .utf8)
        let ws = try TestWorkspace(Dictionary(uniqueKeysWithValues: [contact("C1")]))
        defer { ws.remove() }
        try FileManager.default.createSymbolicLink(atPath: ws.root + "/Content/contacts/SECRET.md", withDestinationPath: outside + "/SECRET.md")
        try FileManager.default.createSymbolicLink(atPath: ws.root + "/Content/contacts/dir", withDestinationPath: outside)
        try FileManager.default.createSymbolicLink(atPath: ws.root + "/Content/contacts/INSIDE.md", withDestinationPath: ws.root + "/Content/contacts/C1.md")
        let check = ws.check()
        // A link inside the workspace is followed (its id is its own file name).
        #expect(check.model.contacts.map(\.id) == ["C1", "INSIDE"])
        #expect(check.diagnostics.map(\.description) == [
            "Content/contacts/SECRET.md:1:1: error: symbolic link to a file outside the workspace, inside a hidden folder, or nowhere; not read",
            "Content/contacts/dir:1:1: error: symbolic link to a folder; content folders must be real folders, so it is not followed",
        ])
        #expect(!check.model.contacts.contains { $0.name == "Secret" })
    }
}

let DIAG_EMPTY: [String] = [
    "Content/contacts/EMPTY.md:1:1: error: a record file starts with front matter: a first line '---', the record's YAML, then a line '---'; this file has none, so it is not read",
    "Content/contacts/FENCE.md:1:1: error: front matter opened with '---' on line 1 is never closed; add a '---' line after it",
    "Content/contacts/FENCE2.md:1:1: error: front matter opened with '---' on line 1 is never closed; add a '---' line after it",
    "Content/segments/S1.md:2:11: error: 'criteria' must be a list of steps (each '- add:', '- reduce:' or '- refine:'), not a scalar",
    "Content/segments/S2.md:3:3: error: 'criteria' must be a list of steps (each '- add:', '- reduce:' or '- refine:'), not a map",
    "Content/segments/S3.md:3:10: error: 'add' must be a map of filter groups (contact, profile, mailing_groups, …), not a list",
]
let DIAG_IDS: [String] = [
    "Content/contacts/C1.md:2:5: error: invalid id '../../etc/passwd'; an id is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit",
    "Content/contacts/C2.md:2:5: error: invalid id 'a/b'; an id is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit",
    "Content/contacts/C3.md:2:5: error: invalid id '.hidden'; an id is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit",
]
