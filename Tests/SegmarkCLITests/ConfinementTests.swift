import Foundation
import SegmarkKit
import Testing

/// A build writes and deletes only its own files inside its output folder, whatever the
/// content, the settings or a committed Output/ say (SECURITY.md). Each case is a hostile
/// workspace that once made Segmark write, read or delete where it must not.
@Suite("Confinement", .serialized)
struct ConfinementTests {
    let fm = FileManager.default

    func write(_ text: String, _ path: String) throws {
        try fm.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    func read(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    func outside() throws -> String {
        let dir = NSTemporaryDirectory() + "segmark-outside-" + UUID().uuidString
        try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func anOutputFolderThatIsOrHoldsTheWorkspaceIsRefused() throws {
        let root = try CLI.demoCopy()
        defer { try? fm.removeItem(atPath: root) }
        let contact = read(root + "/Content/contacts/CT100.md")
        let settings = read(root + "/segmark.yml")!
        let reason = "; a build writes only into a folder of its own (the default is Output)\n"

        try write(settings + "output: Content\n", root + "/segmark.yml")
        var r = try CLI.run(["build", "--root", root])
        #expect(r.status == 1)
        #expect(r.stderr == "error: the output folder Content is the content folder Content/" + reason)

        try write(settings, root + "/segmark.yml")
        r = try CLI.run(["build", "--output", "Content/contacts"], in: root)
        #expect(r.status == 1)
        #expect(r.stderr == "error: the output folder \(root)/Content/contacts lies inside the content folder Content/" + reason)

        r = try CLI.run(["build", "--output", "..", "--root", root], in: root)
        #expect(r.status == 1)
        #expect(r.stderr == "error: the output folder \(root)/.. contains the workspace" + reason)

        try write(settings.replacingOccurrences(of: "content:", with: "old_content:") + "content: Content\noutput: .\n", root + "/segmark.yml")
        r = try CLI.run(["build", "--root", root])
        #expect(r.status == 1)
        #expect(r.stderr.hasSuffix("error: the output folder . is the workspace folder itself" + reason))
        #expect(read(root + "/Content/contacts/CT100.md") == contact)
        #expect(!fm.fileExists(atPath: root + "/index.html"))
    }

    @Test func aForgedRecordDeletesNothing() throws {
        let root = try CLI.demoCopy()
        defer { try? fm.removeItem(atPath: root) }
        try write("# my workspace\n", root + "/README.md")
        #expect(try CLI.run(["build", "--root", root]).status == 0)
        try write("example.org\n", root + "/Output/CNAME")
        let record = read(root + "/Output/.segmark-manifest")!
        // A path without a hash, a wrong hash, and paths leaving Output/.
        try write(record + "CNAME\n0123456789abcdef CNAME2\n0123456789abcdef ../README.md\n/etc/hostname\n", root + "/Output/.segmark-manifest")
        try write("kept\n", root + "/Output/CNAME2")
        let r = try CLI.run(["build", "--root", root, "--force"])
        #expect(r.status == 0)
        #expect(read(root + "/Output/CNAME") == "example.org\n")
        #expect(read(root + "/Output/CNAME2") == "kept\n")
        #expect(read(root + "/README.md") == "# my workspace\n")
        #expect(r.stderr == "note: left alone 4 files that the output record lists but this build cannot prove it wrote: ../README.md, /etc/hostname, CNAME, CNAME2\n")
        // The record is rewritten with what this build wrote only.
        #expect(read(root + "/Output/.segmark-manifest") == record)

        // A file the build did write and no longer produces is removed, with proof.
        try write("---\nname: Short-lived\n---\n", root + "/Content/contacts/TMP0.md")
        #expect(try CLI.run(["build", "--root", root]).status == 0)
        try fm.removeItem(atPath: root + "/Content/contacts/TMP0.md")
        let again = try CLI.run(["build", "--root", root])
        #expect(again.status == 0)
        #expect(again.stdout.contains("2 removed"))
        #expect(!fm.fileExists(atPath: root + "/Output/contacts/TMP0.html"))
        // Changed by hand after the build: no longer provably ours, so kept.
        try write("---\nname: Temporary\n---\n", root + "/Content/contacts/TMP1.md")
        #expect(try CLI.run(["build", "--root", root]).status == 0)
        try write("edited by hand\n", root + "/Output/contacts/TMP1.md")
        try fm.removeItem(atPath: root + "/Content/contacts/TMP1.md")
        let third = try CLI.run(["build", "--root", root])
        #expect(third.status == 0)
        #expect(read(root + "/Output/contacts/TMP1.md") == "edited by hand\n")
        #expect(!fm.fileExists(atPath: root + "/Output/contacts/TMP1.html"))
        #expect(third.stderr.hasSuffix("cannot prove it wrote: contacts/TMP1.md\n"))
    }

    @Test func symbolicLinksInOutputAreNeverFollowed() throws {
        let root = try CLI.demoCopy()
        let away = try outside()
        defer { try? fm.removeItem(atPath: root); try? fm.removeItem(atPath: away) }
        #expect(try CLI.run(["build", "--root", root]).status == 0)
        try write("mine\n", away + "/SM10001.html")
        try write("mine too\n", away + "/keep.txt")
        try fm.removeItem(atPath: root + "/Output/segments")
        try fm.createSymbolicLink(atPath: root + "/Output/segments", withDestinationPath: away)
        let r = try CLI.run(["build", "--root", root, "--force"])
        #expect(r.status == 1)
        #expect(r.stderr == "error: Output/segments is a symbolic link; a build never writes, reads or deletes through one (remove it)\n")
        #expect(read(away + "/SM10001.html") == "mine\n")
        #expect(read(away + "/keep.txt") == "mine too\n")
        #expect(try fm.contentsOfDirectory(atPath: away).sorted() == ["SM10001.html", "keep.txt"])

        try fm.removeItem(atPath: root + "/Output")
        try fm.createSymbolicLink(atPath: root + "/Output", withDestinationPath: away)
        let whole = try CLI.run(["build", "--root", root])
        #expect(whole.status == 1)
        #expect(whole.stderr == "error: Output is a symbolic link, not a folder; a build never writes or deletes through one (output folder: Output)\n")
        #expect(try fm.contentsOfDirectory(atPath: away).sorted() == ["SM10001.html", "keep.txt"])
    }

    /// An incremental build keeps pages by looking at the files the last build wrote: a folder
    /// of Output/ replaced by a link to the very same files (moved, so sizes and times match)
    /// is not looked through, kept or written through either.
    @Test func anIncrementalBuildKeepsNothingThroughALinkedFolder() throws {
        let root = try CLI.demoCopy()
        let away = try outside()
        defer { try? fm.removeItem(atPath: root); try? fm.removeItem(atPath: away) }
        #expect(try CLI.run(["build", "--root", root]).status == 0)
        try fm.moveItem(atPath: root + "/Output/segments", toPath: away + "/segments")
        try fm.createSymbolicLink(atPath: root + "/Output/segments", withDestinationPath: away + "/segments")
        let before = try fm.contentsOfDirectory(atPath: away + "/segments").sorted().map { ($0, read(away + "/segments/" + $0)) }
        let contact = root + "/Content/contacts/CT100.md"
        try write(read(contact)!.replacingOccurrences(of: "\nname: ", with: "\nname: Renamed "), contact)
        let r = try CLI.run(["build", "--root", root])
        #expect(r.status == 1)
        #expect(r.stderr == "error: Output/segments is a symbolic link; a build never writes, reads or deletes through one (remove it)\n")
        let after = try fm.contentsOfDirectory(atPath: away + "/segments").sorted().map { ($0, read(away + "/segments/" + $0)) }
        #expect(after.map(\.0) == before.map(\.0))
        #expect(after.map(\.1) == before.map(\.1))
    }

    /// The same for a batch's e-mail drafts, which a build keeps a whole batch at a time: a
    /// drafts folder replaced by a link to the very same files is not kept through.
    @Test func anIncrementalBuildKeepsNoBatchThroughALinkedFolder() throws {
        let root = try CLI.demoCopy()
        let away = try outside()
        defer { try? fm.removeItem(atPath: root); try? fm.removeItem(atPath: away) }
        #expect(try CLI.run(["build", "--root", root]).status == 0)
        let drafts = "Output/interactions/CALL-CT210-2026-10-mail"
        try fm.moveItem(atPath: root + "/" + drafts, toPath: away + "/mail")
        try fm.createSymbolicLink(atPath: root + "/" + drafts, withDestinationPath: away + "/mail")
        let before = try fm.contentsOfDirectory(atPath: away + "/mail").sorted().map { ($0, read(away + "/mail/" + $0)) }
        let contact = root + "/Content/contacts/CT100.md"
        try write(read(contact)!.replacingOccurrences(of: "\nname: ", with: "\nname: Renamed "), contact)
        let r = try CLI.run(["build", "--root", root])
        #expect(r.status == 1)
        #expect(r.stderr == "error: \(drafts) is a symbolic link; a build never writes, reads or deletes through one (remove it)\n")
        let after = try fm.contentsOfDirectory(atPath: away + "/mail").sorted().map { ($0, read(away + "/mail/" + $0)) }
        #expect(after.map(\.0) == before.map(\.0) && after.map(\.0) == ["CT211.eml"])
        #expect(after.map(\.1) == before.map(\.1))
    }

    @Test func contentIsReadOnlyFromRealFoldersInsideTheWorkspace() throws {
        let root = try CLI.demoCopy()
        let away = try outside()
        defer { try? fm.removeItem(atPath: root); try? fm.removeItem(atPath: away) }
        try write("---\nname: Outsider\n---\n", away + "/X1.md")
        try fm.moveItem(atPath: root + "/Content/interactions", toPath: away + "/interactions")
        let batches = try fm.contentsOfDirectory(atPath: away + "/interactions").sorted()
        try fm.createSymbolicLink(atPath: root + "/Content/interactions", withDestinationPath: away + "/interactions")
        try fm.createSymbolicLink(atPath: root + "/Content/contacts/X1.md", withDestinationPath: away + "/X1.md")
        try write("[core]\n\ttoken = secret\n", root + "/.git/config")
        try fm.createSymbolicLink(atPath: root + "/Content/segments/leak.md", withDestinationPath: "../../.git/config")
        try write("Just notes, no front matter.\n", root + "/Content/campaigns/NOTES.md")
        let r = try CLI.run(["check", "--root", root])
        #expect(r.status == 1)
        #expect(r.stderr == """
            Content/campaigns/NOTES.md:1:1: error: a record file starts with front matter: a first line '---', the record's YAML, then a line '---'; this file has none, so it is not read
            Content/contacts/X1.md:1:1: error: symbolic link to a file outside the workspace, inside a hidden folder, or nowhere; not read
            Content/interactions:1:1: error: Content/interactions is a symbolic link, not a folder; content and templates are read from real folders inside the workspace only
            Content/segments/leak.md:1:1: error: symbolic link to a file outside the workspace, inside a hidden folder, or nowhere; not read
            4 errors, 0 warnings

            """)
        let build = try CLI.run(["build", "--root", root])
        #expect(build.status == 1)
        #expect(!fm.fileExists(atPath: root + "/Output"))
        let log = try CLI.run(["log", "SM10005", "--root", root])
        #expect(log.status == 1)
        #expect(try fm.contentsOfDirectory(atPath: away + "/interactions").sorted() == batches)
    }

    @Test func outputPathsThatCollideAreAnError() throws {
        let root = try CLI.workspace([
            "Content/contacts/C1.md": "---\nname: A\n---\n",
            "Content/segments/S001.md": "---\ndescription: one\ncriteria:\n  - add: {}\n---\n",
            "Content/segments/S001-labels.md": "---\ndescription: two\n---\n",
        ])
        defer { try? fm.removeItem(atPath: root) }
        let r = try CLI.run(["check", "--root", root])
        #expect(r.status == 1)
        #expect(r.stderr == "Content/segments/S001-labels.md:1:1: error: segment 'S001-labels' would write its sheet to segments/S001-labels.html, the labels page of segment S001 (Content/segments/S001.md); rename one of the two\n1 error, 0 warnings\n")
    }

    @Test func oneBuildAtATime() throws {
        let root = try CLI.demoCopy()
        defer { try? fm.removeItem(atPath: root) }
        var lock: WorkspaceLock? = try WorkspaceLock(root: root) {}
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLI.binary)
        p.arguments = ["build", "--root", root]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        var waited = ""
        for _ in 0..<100 where waited.isEmpty {
            Thread.sleep(forTimeInterval: 0.05)
            if p.isRunning, fm.fileExists(atPath: root + "/Output") { break }
            waited = p.isRunning ? "" : "exited"
        }
        #expect(p.isRunning)
        #expect(!fm.fileExists(atPath: root + "/Output/index.html"))
        withExtendedLifetime(lock) {}
        lock = nil
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(stderr == "waiting for another segmark build, log or cancel in this workspace to finish…\n")
        #expect(fm.fileExists(atPath: root + "/Output/index.html"))
    }

    @Test func markdownReportsEscapeEveryContentValue() throws {
        let root = try CLI.workspace([
            "segmark.yml": "currency: \"[pay](http://evil.example)\"\n",
            "Content/codes.yml": "profile:\n  \"# Q\":\n    description: \"<b>x</b>\"\n    answers: { A: yes }\n",
            "Content/contacts/C1.md": """
                ---
                name: "**Bold** | pipe"
                profile: { "# Q": A }
                fields: { "[x](http://evil.example)": "1", "![i](http://evil.example/p.png)": "2" }
                ---
                Hi <img src=x onerror=alert(1)> and [click](javascript:alert(1)).

                <!-- unclosed

                ![pic](javascript:alert(2))
                """,
            "Content/campaigns/CP1.md": "---\ndescription: Camp\nbudget: 10\n---\n",
        ])
        defer { try? fm.removeItem(atPath: root) }
        let r = try CLI.run(["build", "--root", root])
        #expect(r.status == 0, "\(r.stderr)")
        let page = read(root + "/Output/contacts/C1.md") ?? ""
        #expect(page.contains("| \\[x\\](http://evil.example) | 1 |"))
        #expect(page.contains("| !\\[i\\](http://evil.example/p.png) | 2 |"))
        #expect(page.contains("| Profile: \\<b\\>x\\</b\\> | A (yes) |"))
        #expect(!page.contains("<img"))
        #expect(!page.contains("javascript:"))
        #expect(!page.contains("<!--"))
        #expect(page.contains("[click]()"))
        let campaign = read(root + "/Output/campaigns/CP1.md") ?? ""
        #expect(campaign.contains("| Budget | 10.00 \\[pay\\](http://evil.example) |"))
        #expect(!campaign.contains(" [pay]("))
    }

    @Test func controlCharactersNeverReachTheTerminal() throws {
        let root = try CLI.workspace([
            "Content/codes.yml": "countries: { NO: Norway }\n",
            "Content/contacts/C1.md": "---\nname: \"Evil\\e[2J\\nsegment SM1 joined: fake\"\ncountry: \"X\\e[31m\"\n---\n",
            "Content/segments/S1.md": "---\ndescription: one\ncriteria:\n  - add: {}\n---\n",
        ])
        defer { try? fm.removeItem(atPath: root) }
        let check = try CLI.run(["check", "--root", root])
        #expect(check.stderr == "Content/contacts/C1.md:3:11: warning: country 'X\\x1b[31m' is not in the countries table of codes.yml\nchecked 2 files: 1 warning\n")
        let explain = try CLI.run(["explain", "S1", "C1", "--root", root])
        #expect(explain.status == 0)
        #expect(!explain.stdout.unicodeScalars.contains { $0.value == 0x1B })
        #expect(explain.stdout.contains("Evil\\x1b[2J\\nsegment SM1 joined: fake"))
    }

    @Test func logWritesOnlyWhatCheckAccepts() throws {
        let root = try CLI.demoCopy()
        defer { try? fm.removeItem(atPath: root) }
        let path = root + "/Content/segments/SM10006.md"
        let text = read(path)!
        let description = text.split(separator: "\n").first { $0.hasPrefix("description:") }!
        try write(text.replacingOccurrences(of: description, with: "description: \"DEL \\x7F and CSI \\u009B\""), path)
        let log = try CLI.run(["log", "SM10006", "--root", root])
        #expect(log.status == 0, "\(log.stderr)")
        let check = try CLI.run(["check", "--strict", "--root", root])
        #expect(check.status == 0, "\(check.stderr)")
    }
}
