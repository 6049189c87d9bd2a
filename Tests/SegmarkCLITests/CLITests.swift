import Foundation
import Testing

/// The `segmark` binary run as a user runs it: exit statuses, stdout and stderr (README, "Commands").
struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
}

enum CLI {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static var binary: String {
        if let env = ProcessInfo.processInfo.environment["SEGMARK_BIN"], FileManager.default.isExecutableFile(atPath: env) { return env }
        for dir in [".build/debug", ".build/release"] where FileManager.default.isExecutableFile(atPath: repo + "/" + dir + "/segmark") {
            return repo + "/" + dir + "/segmark"
        }
        return repo + "/.build/debug/segmark"
    }

    static func run(_ args: [String], in dir: String = repo) throws -> Run {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    /// A copy of the demo workspace (Content/ and segmark.yml) in a new temporary folder.
    static func demoCopy() throws -> String {
        let root = NSTemporaryDirectory() + "segmark-demo-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: repo + "/Content", toPath: root + "/Content")
        try FileManager.default.copyItem(atPath: repo + "/segmark.yml", toPath: root + "/segmark.yml")
        return root
    }

    static func workspace(_ files: [String: String]) throws -> String {
        let root = NSTemporaryDirectory() + "segmark-cli-" + UUID().uuidString
        for (path, text) in files {
            let full = root + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: true, encoding: .utf8)
        }
        return root
    }
}

@Suite("segmark as a process", .serialized)
struct CLITests {
    @Test func checkOnTheDemoIsClean() throws {
        let r = try CLI.run(["check", "--strict"])
        #expect(r.status == 0)
        #expect(r.stdout == "")
        #expect(r.stderr == "checked 88 files: 0 warnings\n")
    }

    @Test func checkAndBuildReportBrokenTemplatesWithTheirPositions() throws {
        let root = try CLI.workspace([
            "Content/contacts/C1.md": "---\nname: A\n---\n",
            "Templates/html/contact.html": "{{> head}}\n<h1>{{name}}</h1>\n  {{#segments}}\n<p>{{memberCount}</p>\n",
            "Templates/md/index.md": "# {{siteTitle}}\n{{> footer}}\n{{/counts}}\n",
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let expected = """
            Templates/html/contact.html:4:4: error: tag '{{' is never closed with '}}'
            Templates/md/index.md:3:1: error: closing tag 'counts' has no section to close

            """
        let check = try CLI.run(["check", "--root", root])
        #expect(check.status == 1)
        #expect(check.stderr == expected + "2 errors, 0 warnings\n")
        let build = try CLI.run(["build", "--root", root])
        #expect(build.status == 1)
        #expect(build.stderr.hasPrefix(expected))
        #expect(!FileManager.default.fileExists(atPath: root + "/Output"))

        try "{{> head}}\n  {{#segments}}\n{{/segments}}{{> foot}}{{> footer}}\n".write(toFile: root + "/Templates/html/contact.html", atomically: true, encoding: .utf8)
        try "# {{siteTitle}}\n".write(toFile: root + "/Templates/md/index.md", atomically: true, encoding: .utf8)
        let unknown = try CLI.run(["check", "--root", root])
        #expect(unknown.stderr == "Templates/html/contact.html:3:24: error: unknown partial 'footer'; did you mean 'foot'?\n1 error, 0 warnings\n")
        try "{{> head}}\n  {{#segments}}\nx\n".write(toFile: root + "/Templates/html/contact.html", atomically: true, encoding: .utf8)
        let unclosed = try CLI.run(["check", "--root", root])
        #expect(unclosed.stderr == "Templates/html/contact.html:2:3: error: section 'segments' opened at 2:3 is never closed\n1 error, 0 warnings\n")

        // A partial that does not parse is one error, at the partial: the seven pages that
        // include it do not each report it as unknown.
        try "{{> head}}\n".write(toFile: root + "/Templates/html/contact.html", atomically: true, encoding: .utf8)
        try "<footer>{{#a}}</footer>\n".write(toFile: root + "/Templates/html/foot.html", atomically: true, encoding: .utf8)
        let brokenPartial = try CLI.run(["check", "--root", root])
        #expect(brokenPartial.status == 1)
        #expect(brokenPartial.stderr == "Templates/html/foot.html:1:9: error: section 'a' opened at 1:9 is never closed\n1 error, 0 warnings\n")
    }

    /// A template that includes itself (content arrives in pull requests) makes `build` fail
    /// within seconds with an error at that template, and leaves Output/ as it was; a
    /// runaway in a template of many pages stops at the first of them.
    @Test func aRunawayTemplateFailsTheBuildAndKeepsOutput() throws {
        let root = try CLI.demoCopy()
        let fm = FileManager.default
        defer { try? fm.removeItem(atPath: root) }
        #expect(try CLI.run(["build", "--root", root, "--quiet"]).status == 0)
        let listing = { (try? fm.subpathsOfDirectory(atPath: root + "/Output"))?.sorted() ?? [] }
        let before = listing()
        let index = fm.contents(atPath: root + "/Output/index.html")
        try fm.createDirectory(atPath: root + "/Templates/html", withIntermediateDirectories: true)
        try "<footer>{{> foot}}{{> foot}}</footer>\n".write(toFile: root + "/Templates/html/foot.html", atomically: true, encoding: .utf8)
        let check = try CLI.run(["check", "--root", root])
        #expect(check.status == 0, "a partial may include itself (recursive data ends it)")
        let build = try CLI.run(["build", "--root", root])
        #expect(build.status == 1)
        #expect(build.stderr == "Templates/html/foot.html:1:1: error: rendering index.html stopped: partials nested more than 64 deep, "
                + "far deeper than any real page; does partial 'foot' include itself?\n1 error; Output/ was left as it was\n")
        #expect(listing() == before)
        #expect(fm.contents(atPath: root + "/Output/index.html") == index)

        // Only the contact pages run away (there are 88): the build stops at the first, with
        // the error at `template`, and leaves Output/ as it was.
        func aContactPageRunsAway(at template: String, _ what: String) throws {
            let build = try CLI.run(["build", "--root", root])
            #expect(build.status == 1)
            #expect(build.stderr.hasPrefix("Templates/html/\(template):1:1: error: rendering contacts/CT"))
            #expect(build.stderr.hasSuffix(".html stopped: \(what)\n1 error; Output/ was left as it was\n"))
            #expect(listing() == before)
        }
        try fm.removeItem(atPath: root + "/Templates/html/foot.html")
        try "{{> head}}{{#segments}}{{> deep}}{{/segments}}{{> foot}}\n".write(toFile: root + "/Templates/html/contact.html", atomically: true, encoding: .utf8)
        try "{{#segments}}{{> deep}}{{/segments}}".write(toFile: root + "/Templates/html/deep.html", atomically: true, encoding: .utf8)
        try aContactPageRunsAway(at: "deep.html", "partials nested more than 64 deep, far deeper than any real page; does partial 'deep' include itself?")

        // Lists nested in themselves, no partial: a contact on 4 segments makes 4^14 rows.
        try fm.removeItem(atPath: root + "/Templates/html/deep.html")
        let nested = String(repeating: "{{#segments}}", count: 14) + "{{id}}" + String(repeating: "{{/segments}}", count: 14)
        try "{{> head}}\(nested){{> foot}}\n".write(toFile: root + "/Templates/html/contact.html", atomically: true, encoding: .utf8)
        try aContactPageRunsAway(at: "contact.html", "it took more than 20 million list rows and partial calls, "
                                 + "far more than any real page; does a section repeat a list inside itself?")
    }

    @Test func checkReportsErrorsWithExitOne() throws {
        let root = try CLI.workspace(["Content/contacts/C1.md": "---\nname: A\nname: B\n---\n"])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let r = try CLI.run(["check", "--root", root])
        #expect(r.status == 1)
        #expect(r.stderr == "Content/contacts/C1.md:3:1: error: key 'name' is given twice (first at line 2); YAML would keep only one value\n1 error, 0 warnings\n")
    }

    @Test func strictTurnsWarningsIntoErrors() throws {
        let root = try CLI.workspace(["Content/contacts/C1.md": "---\nname: A\nnmae: B\n---\n"])
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(try CLI.run(["check", "--root", root]).status == 0)
        let r = try CLI.run(["check", "--strict", "--root", root])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("Content/contacts/C1.md:3:1: warning: unknown key 'nmae'; did you mean 'name'?\n"))
    }

    @Test func usageErrorsExitTwo() throws {
        #expect(try CLI.run(["members"]).status == 2)
        #expect(try CLI.run(["check", "--as-of", "tomorrow"]).status == 2)
        #expect(try CLI.run(["nonsense"]).status == 2)
        #expect(try CLI.run(["--help"]).status == 0)
    }

    @Test func membersPrintsIdsSortedAndNothingElse() throws {
        let r = try CLI.run(["members", "SM10004"])
        #expect(r.status == 0)
        #expect(r.stdout == "CT111\nCT151\nCT900\n")
        #expect(r.stderr == "")
        let json = try CLI.run(["members", "sm10004", "--format", "json"])
        #expect(json.stdout.contains("\"as_of\" : \"2026-12-01\""))
        #expect(json.stdout.contains("\"count\" : 3"))
        let csv = try CLI.run(["members", "SM10004", "--format", "csv"])
        #expect(csv.stdout.hasPrefix("id,name,type,company,added_by_step\r\nCT111,Ola Dahl,person,CT110,1\r\n"))
    }

    @Test func membersOfAnUnknownSegment() throws {
        let r = try CLI.run(["members", "SM99999"])
        #expect(r.status == 1)
        #expect(r.stderr == "error: no segment 'SM99999'; did you mean 'SM10001'?\n" || r.stderr.hasPrefix("error: no segment 'SM99999'"))
    }

    @Test func asOfChangesRelativeDates() throws {
        // SM10004 reduces contacts met on site in the last year; a year later CT101's meeting is out of range.
        let now = try CLI.run(["members", "SM10004"]).stdout
        let later = try CLI.run(["members", "SM10004", "--as-of", "2027-07-01"]).stdout
        #expect(now == "CT111\nCT151\nCT900\n")
        #expect(later == "CT101\nCT111\nCT151\nCT900\n")
    }

    @Test func explainSaysWhy() throws {
        let r = try CLI.run(["explain", "SM10001", "CT170"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("dropped: the contact has exclude_from_segments: true"))
        #expect(r.stdout.hasSuffix("Verdict: CT170 is not a member of SM10001: it was dropped by exclusion (exclude_from_segments: true)\n"))
        let p = try CLI.run(["explain", "SM10001", "CT171"])
        #expect(p.stdout.contains("added by expand_companies: company CT170 (Hav & Fjell Sport AS)"))
        #expect(p.stdout.hasSuffix("Verdict: CT171 is a member of SM10001 (added by step 1)\n"))
        let json = try CLI.run(["explain", "SM10002", "CT172", "--format", "json"])
        #expect(json.stdout.contains("\"member\" : true"))
    }

    /// A manual list (BC's segment lines typed in) of 2,000 ids among 3,000 contacts: each
    /// contact's id is looked up in the list, not compared with each of its values (13 s for
    /// 5,000 ids over 20,000 contacts before), and the sheet and `explain` sum it up.
    @Test func aManualListOfThousandsOfIds() throws {
        var files: [String: String] = [:]
        for i in 0..<3000 { files[String(format: "Content/contacts/C%04d.md", i)] = "---\nname: Person \(i)\n---\n" }
        let listed = (0..<2000).map { String(format: "c%04d", ($0 * 7) % 3000) }  // lower case: ids are codes
        files["Content/segments/LIST.md"] = "---\ndescription: Typed in\ncriteria:\n  - add:\n      contact:\n        id: [" + listed.joined(separator: ", ") + "]\n---\n"
        let root = try CLI.workspace(files)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let members = try CLI.run(["members", "LIST", "--root", root])
        #expect(members.status == 0)
        #expect(members.stdout == listed.map { $0.uppercased() }.sorted().joined(separator: "\n") + "\n")
        let out = try CLI.run(["explain", "LIST", "C0001", "--root", root])
        #expect(out.stdout.contains("\n  [no] id is one of 2000 values (c0000, c0007, c0014, c0021, c0028, …)\n"
                                    + "        id is 'C0001'; does not match the list of 2000 values\n"))
        #expect(try CLI.run(["build", "--root", root, "--format", "md", "--quiet"]).status == 0)
        let sheet = try String(contentsOfFile: root + "/Output/segments/LIST.md", encoding: .utf8)
        #expect(sheet.contains("Add contacts where id is one of 2000 values (c0000, c0007, c0014, c0021, c0028, …)"))
    }

    @Test func buildRefusesContentErrorsAndKeepsOutput() throws {
        let root = try CLI.workspace([
            "Content/contacts/C1.md": "---\nname: A\n---\n",
            "Content/segments/S.md": "---\ndescription: D\ncriteria:\n  - add: {}\n---\n",
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let first = try CLI.run(["build", "--root", root, "--as-of", "2026-12-01"])
        #expect(first.status == 0)
        #expect(first.stdout.hasPrefix("rendered 11 files as of 2026-12-01, 11 changed, 0 removed, in "))
        let again = try CLI.run(["build", "--root", root, "--as-of", "2026-12-01"])
        #expect(again.stdout.hasPrefix("11 files up to date as of 2026-12-01 (no input changed), in "))
        let forced = try CLI.run(["build", "--root", root, "--as-of", "2026-12-01", "--force"])
        #expect(forced.stdout.hasPrefix("rendered 11 files as of 2026-12-01, 0 changed, 0 removed, in "))
        try "---\nname: A\ncompany: X\n---\n".write(toFile: root + "/Content/contacts/C1.md", atomically: true, encoding: .utf8)
        let broken = try CLI.run(["build", "--root", root])
        #expect(broken.status == 1)
        #expect(broken.stderr == "Content/contacts/C1.md:3:1: error: a company cannot have a 'company'; only persons belong to a company, and a contact without 'type' is a company (add 'type: person')\n1 error; Output/ was left as it was\n")
        #expect(broken.stdout == "")
    }

    /// `build --force` trusts no record: each page is compared with its file, and only files
    /// whose bytes differ are written (a page edited by hand, one cut short, one deleted, one
    /// replaced by a link); the others keep their inode and time.
    @Test func forceWritesOnlyTheFilesThatDiffer() throws {
        let root = try CLI.demoCopy()
        let fm = FileManager.default
        defer { try? fm.removeItem(atPath: root) }
        #expect(try CLI.run(["build", "--root", root, "--quiet"]).status == 0)
        let out = root + "/Output/"
        func bytes(_ path: String) -> Data? { fm.contents(atPath: path) }
        /// Kind, inode and time, as `lstat` tells them.
        func look(_ path: String) -> String {
            guard let a = try? fm.attributesOfItem(atPath: path) else { return "none" }
            let kind = (a[.type] as? FileAttributeType) == .typeRegular ? "file" : "other"
            return "\(kind) \(a[.systemFileNumber] ?? "?") \(a[.modificationDate] ?? "?")"
        }
        let changed = ["index.html", "contacts/CT100.html", "segments/SM10001.md", "contacts.html"]
        let pristine = changed.map { bytes(out + $0)! }
        try Data("edited by hand\n".utf8).write(to: URL(fileURLWithPath: out + "index.html"))
        try pristine[1].dropLast().write(to: URL(fileURLWithPath: out + "contacts/CT100.html"))
        try fm.removeItem(atPath: out + "segments/SM10001.md")
        try pristine[3].write(to: URL(fileURLWithPath: root + "/elsewhere.html"))
        try fm.removeItem(atPath: out + "contacts.html")
        try fm.createSymbolicLink(atPath: out + "contacts.html", withDestinationPath: root + "/elsewhere.html")
        let others = ["segments/SM10001.html", "contacts/CT101.html", "interactions/CALL-CT210-2026-10.html"]
        let untouched = others.map { look(out + $0) }
        #expect(untouched.allSatisfy { $0.hasPrefix("file ") }, "\(untouched)")
        let forced = try CLI.run(["build", "--root", root, "--force"])
        #expect(forced.status == 0)
        #expect(forced.stdout.contains(" 4 changed, 0 removed, in "), "\(forced.stdout)")
        for (path, expected) in zip(changed, pristine) {
            #expect(look(out + path).hasPrefix("file ") && bytes(out + path) == expected, "\(path)")
        }
        #expect(others.map { look(out + $0) } == untouched)
        #expect(bytes(root + "/elsewhere.html") == pristine[3])
    }

    /// With no input changed, a build is done once it sees every file it wrote in place; a
    /// page deleted, or replaced by a link, is made again (a folder replaced by a link is
    /// refused: see the confinement tests).
    @Test func aBuildWithNothingChangedPutsBackMissingPages() throws {
        let root = try CLI.demoCopy()
        let fm = FileManager.default
        defer { try? fm.removeItem(atPath: root) }
        #expect(try CLI.run(["build", "--root", root, "--quiet"]).status == 0)
        let out = root + "/Output/"
        #expect(try CLI.run(["build", "--root", root]).stdout.contains("up to date"))
        let pages = ["segments/SM10001.md", "contacts/CT101.html"]
        let pristine = pages.map { fm.contents(atPath: out + $0)! }
        try fm.removeItem(atPath: out + "segments/SM10001.md")
        try fm.removeItem(atPath: out + "contacts/CT101.html")
        try fm.createSymbolicLink(atPath: out + "contacts/CT101.html", withDestinationPath: out + "contacts/CT100.html")
        let run = try CLI.run(["build", "--root", root])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!run.stdout.contains("up to date"), "\(run.stdout)")
        let kinds = pages.map { (try? fm.attributesOfItem(atPath: out + $0)[.type] as? FileAttributeType) ?? nil }
        #expect(kinds == [.typeRegular, .typeRegular])
        #expect(pages.map { fm.contents(atPath: out + $0)! } == pristine)
        #expect(try CLI.run(["build", "--root", root]).stdout.contains("up to date"))
    }

    @Test func timingsListEachPhaseAndEachKindOfPage() throws {
        let root = try CLI.demoCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let run = try CLI.run(["build", "--root", root, "--output", root + "/Out", "--timings", "--quiet"])
        #expect(run.status == 0)
        #expect(run.stdout == "")
        // Each line: a name, spaces, a figure; the kinds of page indented under "render".
        let names = run.stderr.split(separator: "\n").map { line in
            String(line.prefix { !$0.isNumber }).replacingOccurrences(of: " +$", with: "", options: .regularExpression)
        }
        #expect(names == ["read the last build's state", "look at the files", "read the parse cache", "read", "parse and validate",
                          "evaluate", "look at the last build's pages", "render", "  contacts directory", "  segments", "  campaigns",
                          "  batches", "  contacts", "write", "files read", "contacts", "segments", "interaction entries", "files",
                          "files rendered", "files written"])
    }
}

@Suite("log and cancel", .serialized)
struct LogTests {
    func demoCopy() throws -> String { try CLI.demoCopy() }

    @Test func logRoundTripWithFollowUp() throws {
        let root = try demoCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let members = try CLI.run(["members", "SM10006", "--root", root]).stdout
        let r = try CLI.run(["log", "SM10006", "--follow-up", "--root", root])
        #expect(r.status == 0)
        #expect(r.stdout == "logged 16 entries in Content/interactions/SM10006-2026-12-01.md; follow-up segment Content/segments/SM10006-FU.md\n")
        #expect(try CLI.run(["check", "--strict", "--root", root]).status == 0)
        #expect(try CLI.run(["members", "SM10006-FU", "--root", root]).stdout == members)
        // Logged already: refused, nothing written.
        let again = try CLI.run(["log", "SM10006", "--root", root])
        #expect(again.status == 1)
        #expect(again.stderr == "error: segment SM10006 was already logged as batch SM10006-2026-12-01 (Content/interactions/SM10006-2026-12-01.md); cancel it or use --again\n")
        // Again the same day (with --again, or after canceling that day's batch): the file of
        // that name is never written over; another date logs it.
        let first = try String(contentsOfFile: root + "/Content/interactions/SM10006-2026-12-01.md", encoding: .utf8)
        let refusal = "error: batch SM10006-2026-12-01 exists already (Content/interactions/SM10006-2026-12-01.md); "
            + "a segment is logged once a day: give this batch another date with --date\n"
        let sameDay = try CLI.run(["log", "SM10006", "--again", "--root", root])
        #expect(sameDay.status == 1)
        #expect(sameDay.stderr == refusal)
        #expect(try String(contentsOfFile: root + "/Content/interactions/SM10006-2026-12-01.md", encoding: .utf8) == first)
        #expect(try CLI.run(["cancel", "SM10006-2026-12-01", "--root", root]).status == 0)
        let canceled = try String(contentsOfFile: root + "/Content/interactions/SM10006-2026-12-01.md", encoding: .utf8)
        let afterCancel = try CLI.run(["log", "SM10006", "--root", root])
        #expect(afterCancel.status == 1)
        #expect(afterCancel.stderr == refusal)
        #expect(try String(contentsOfFile: root + "/Content/interactions/SM10006-2026-12-01.md", encoding: .utf8) == canceled)
        let nextDay = try CLI.run(["log", "SM10006", "--date", "2026-12-02", "--root", root])
        #expect(nextDay.stdout == "logged 16 entries in Content/interactions/SM10006-2026-12-02.md\n")
        #expect(try CLI.run(["check", "--strict", "--root", root]).status == 0)
    }

    @Test func refusalsWriteNothing() throws {
        let root = try demoCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try "---\ndescription: Nobody\ninteraction_template: BUS\ncriteria:\n  - add:\n      contact: { country: ZZ }\n---\n"
            .write(toFile: root + "/Content/segments/EMPTY.md", atomically: true, encoding: .utf8)
        try "---\ninteraction_template: BUS\ncriteria:\n  - add: {}\n---\n"
            .write(toFile: root + "/Content/segments/NODESC.md", atomically: true, encoding: .utf8)
        let before = try FileManager.default.subpathsOfDirectory(atPath: root).sorted()
        let empty = try CLI.run(["log", "EMPTY", "--root", root, "--date", "2026-12-01"])
        #expect(empty.status == 1)
        #expect(empty.stderr == "error: segment EMPTY has no members as of 2026-12-01; nothing to log\n")
        let noDescription = try CLI.run(["log", "NODESC", "--root", root])
        #expect(noDescription.status == 1)
        #expect(noDescription.stderr == "error: segment NODESC has no description; add one before logging\n")
        let noSalesperson = try CLI.run(["log", "SM10007", "--root", root])
        #expect(noSalesperson.status == 1)
        #expect(noSalesperson.stderr == "error: no salesperson for CT101, CT102, CT104, CT111, CT113, CT131, CT161, CT221: set one on segment SM10007 or on these contacts\n")
        let dry = try CLI.run(["log", "SM10005", "--dry-run", "--root", root])
        #expect(dry.status == 0)
        #expect(dry.stdout.hasPrefix("---\nid: SM10005-2027-02-01\ndate: 2027-02-01\ntemplate: ABSTRACT\n"))
        #expect(try FileManager.default.subpathsOfDirectory(atPath: root).sorted() == before)
    }

    @Test func cancelChangesOnlyThatLineAndFigures() throws {
        let root = try demoCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let path = root + "/Content/interactions/SM10001-2026-11-20.md"
        let original = try String(contentsOfFile: path, encoding: .utf8)
        let undo = try CLI.run(["cancel", "SM10001-2026-11-20", "--undo", "--root", root])
        #expect(undo.status == 0)
        let restored = try String(contentsOfFile: path, encoding: .utf8)
        #expect(restored == original.replacingOccurrences(of: "canceled: true", with: "canceled: false"))
        #expect(try CLI.run(["cancel", "SM10001-2026-11-20", "--root", root]).status == 0)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == original)
        let missing = try CLI.run(["cancel", "NOPE", "--root", root])
        #expect(missing.status == 1)
        #expect(missing.stderr == "error: no interaction batch 'NOPE'\n")
    }
}
