import Foundation
import Testing

/// A throw-away git repository holding a workspace made by `segmark init`.
struct GitRepo {
    let root: String

    init(workspaceFolder: String = "") throws {
        root = NSTemporaryDirectory() + "segmark-git-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try git("init", "-q", "-b", "main")
        let ws = workspaceFolder.isEmpty ? root + "/ws-tmp" : root + "/" + workspaceFolder
        let r = try CLI.run(["init", ws], in: root)
        #expect(r.status == 0, "\(r.stderr)")
        if workspaceFolder.isEmpty {
            // Move the workspace to the repository's top.
            for name in try FileManager.default.contentsOfDirectory(atPath: ws) {
                try FileManager.default.moveItem(atPath: ws + "/" + name, toPath: root + "/" + name)
            }
            try FileManager.default.removeItem(atPath: ws)
        }
        try commit("Sample workspace")
    }

    var workspace: String { root }

    @discardableResult
    func git(_ args: String...) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git"] + args
        p.currentDirectoryURL = URL(fileURLWithPath: root)
        var env = ProcessInfo.processInfo.environment
        env["GIT_AUTHOR_NAME"] = "Test"; env["GIT_AUTHOR_EMAIL"] = "test@example.com"
        env["GIT_COMMITTER_NAME"] = "Test"; env["GIT_COMMITTER_EMAIL"] = "test@example.com"
        env["GIT_AUTHOR_DATE"] = "2026-11-20T12:00:00Z"; env["GIT_COMMITTER_DATE"] = "2026-11-20T12:00:00Z"
        p.environment = env
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "git \(args) failed")
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func commit(_ message: String) throws {
        try git("add", "-A")
        try git("commit", "-q", "-m", message)
    }

    func short(_ rev: String = "HEAD") throws -> String { try git("rev-parse", "--short=7", rev) }

    func edit(_ path: String, _ transform: (String) -> String) throws {
        let full = root + "/" + path
        let text = try String(contentsOfFile: full, encoding: .utf8)
        let changed = transform(text)
        #expect(changed != text, "edit of \(path) changed nothing")
        try changed.write(toFile: full, atomically: true, encoding: .utf8)
    }

    func write(_ path: String, _ text: String) throws {
        try text.write(toFile: root + "/" + path, atomically: true, encoding: .utf8)
    }

    func remove() { try? FileManager.default.removeItem(atPath: root) }
}

@Suite("segments in git: diff, history, init", .serialized)
struct GitTests {
    @Test func diffShowsWhoJoinedAndLeftAndWhy() throws {
        let repo = try GitRepo()
        defer { repo.remove() }
        let head = try repo.short()
        try repo.edit("Content/contacts/C101.md") { $0.replacingOccurrences(of: "email: emma@northwind.example\n", with: "") }
        try repo.edit("Content/segments/S002.md") { $0.replacingOccurrences(of: "country: GB }", with: "country: GB|NO }") }
        let r = try CLI.run(["diff", "--as-of", "2027-01-10"], in: repo.root)
        #expect(r.stderr == "")
        #expect(r.status == 0)
        #expect(r.stdout == """
        Segments from HEAD (\(head)) to the working tree, as of 2027-01-10

        S001 Newsletter to customers and their buyers: 5 → 4 members (+0 −1); definition unchanged
          left (1):
            - C101 Emma Clarke

        S002 Follow-up calls in the UK: 4 → 4 members (+1 −1); definition changed
          definition:
            - 2. Keep only members where country is GB
            + 2. Keep only members where country is GB or NO
          joined (1):
            + C201 Ingrid Dahl
          left (1):
            - C101 Emma Clarke

        2 segments changed: 1 joined, 2 left.

        """)
        // --exit-code: 3 when membership changed; also from a subfolder of the workspace.
        let sub = try CLI.run(["diff", "--exit-code", "--as-of", "2027-01-10"], in: repo.root + "/Content/segments")
        #expect(sub.status == 3)
        #expect(sub.stdout == r.stdout)
        // Markdown: a summary table first, then the details.
        let md = try CLI.run(["diff", "--format", "md", "--as-of", "2027-01-10"], in: repo.root)
        #expect(md.status == 0)
        #expect(md.stdout.hasPrefix("""
        ## Segment changes

        From `HEAD (\(head))` to `the working tree`, evaluated as of 2027-01-10. 2 segments changed: 1 joined, 2 left.

        | Segment | Description | Before | After | Joined | Left | Change |
        |---|---|--:|--:|--:|--:|---|
        | S001 | Newsletter to customers and their buyers | 5 | 4 | 0 | 1 | definition unchanged |
        | S002 | Follow-up calls in the UK | 4 | 4 | 1 | 1 | definition changed |

        ### S001 — Newsletter to customers and their buyers

        """))
        #expect(md.stdout.contains("```diff\n- 2. Keep only members where country is GB\n+ 2. Keep only members where country is GB or NO\n```\n"))
        // JSON carries the same facts.
        let json = try CLI.run(["diff", "--format", "json", "--as-of", "2027-01-10"], in: repo.root)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        #expect(object["membership_changed"] as? Bool == true)
        let segments = object["segments"] as! [[String: Any]]
        #expect(segments.map { $0["id"] as! String } == ["S001", "S002"])
        #expect((segments[1]["joined"] as! [[String: String]]).map { $0["id"]! } == ["C201"])
    }

    @Test func noChangeExitsZeroEvenWithExitCode() throws {
        let repo = try GitRepo()
        defer { repo.remove() }
        // A change to a brief changes no membership and no definition.
        try repo.edit("Content/segments/S001.md") { $0 + "More words in the brief.\n" }
        let r = try CLI.run(["diff", "--exit-code", "--as-of", "2027-01-10"], in: repo.root)
        #expect(r.status == 0)
        #expect(r.stdout.hasSuffix("to the working tree, as of 2027-01-10\n\nNo segment changed.\n"))
        // A definition change that moves nobody is listed, and still exits 0.
        try repo.edit("Content/segments/S002.md") { $0.replacingOccurrences(of: "description: Follow-up calls in the UK", with: "description: Calls in the UK") }
        let d = try CLI.run(["diff", "--exit-code", "--as-of", "2027-01-10"], in: repo.root)
        #expect(d.status == 0)
        #expect(d.stdout.contains("S002 Calls in the UK: 4 → 4 members (+0 −0); definition changed\n  definition:\n    - description: Follow-up calls in the UK\n    + description: Calls in the UK\n"))
    }

    @Test func addedRemovedAndRenamedSegmentsBetweenTwoRevisions() throws {
        let repo = try GitRepo()
        defer { repo.remove() }
        let first = try repo.short()
        // Rename S002 → S003 (file and id), remove S001 (S003 no longer depends on it), add S010.
        try repo.git("mv", "Content/segments/S002.md", "Content/segments/S003.md")
        try repo.edit("Content/segments/S003.md") {
            $0.replacingOccurrences(of: "id: S002", with: "id: S003").replacingOccurrences(of: "segment: S001", with: "business_relations: CUST\n    expand_companies: true")
        }
        try repo.git("rm", "-q", "Content/segments/S001.md")
        try repo.write("Content/segments/S010.md", "---\ndescription: Vendors\ncriteria:\n  - add:\n      business_relations: VEND\n---\n")
        try repo.commit("Reorganise segments")
        let second = try repo.short()
        let r = try CLI.run(["diff", "HEAD~1", "HEAD", "--as-of", "2027-01-10", "--exit-code"], in: repo.root)
        #expect(r.stderr == "")
        #expect(r.status == 3)
        #expect(r.stdout == """
        Segments from HEAD~1 (\(first)) to HEAD (\(second)), as of 2027-01-10

        S001 Newsletter to customers and their buyers: 5 → – members (+0 −5); removed
          left (5):
            - C100 Northwind Retail Ltd
            - C101 Emma Clarke
            - C201 Ingrid Dahl
            - C300 Harbour Foods Ltd
            - C301 Sam Patel

        S003 Follow-up calls in the UK: 4 → 5 members (+1 −0); renamed from S002
          definition:
            - 1. Add contacts where they are a member of segment S001
            + 1. Add contacts where their business relation (of the company) is CUST (expand each match to its whole company)
          joined (1):
            + C102 Oliver Hughes

        S010 Vendors: – → 2 members (+2 −0); added
          joined (2):
            + C200 Fjord Tools AS
            + C201 Ingrid Dahl

        3 segments changed: 3 joined, 5 left.

        """)
        // One revision: that revision against the working tree (clean here).
        let one = try CLI.run(["diff", "HEAD", "--as-of", "2027-01-10"], in: repo.root)
        #expect(one.status == 0)
        #expect(one.stdout.hasSuffix("No segment changed.\n"))
    }

    @Test func workspaceInASubfolderOfTheRepository() throws {
        let repo = try GitRepo(workspaceFolder: "crm")
        defer { repo.remove() }
        try repo.edit("crm/Content/contacts/C301.md") { $0.replacingOccurrences(of: "country: GB", with: "country: NO") }
        let r = try CLI.run(["diff", "--as-of", "2027-01-10"], in: repo.root + "/crm/Content")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("S002 Follow-up calls in the UK: 4 → 3 members (+0 −1); definition unchanged\n  left (1):\n    - C301 Sam Patel\n"))
    }

    @Test func errorsOutsideARepositoryAndForUnknownRevisions() throws {
        let dir = NSTemporaryDirectory() + "segmark-nogit-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try CLI.run(["init", dir]).status == 0)
        let r = try CLI.run(["diff"], in: dir)
        #expect(r.status == 1)
        #expect(r.stdout == "")
        #expect(r.stderr == "error: \(URL(fileURLWithPath: dir).standardizedFileURL.path) is not inside a git repository (segmark diff compares git revisions; run 'git init' and commit the workspace first)\n")

        let repo = try GitRepo()
        defer { repo.remove() }
        let u = try CLI.run(["diff", "no-such-branch"], in: repo.root)
        #expect(u.status == 2)
        #expect(u.stderr == "error: unknown revision 'no-such-branch'\n")
        let three = try CLI.run(["diff", "a", "b", "c"], in: repo.root)
        #expect(three.status == 2)
    }

    @Test func contentErrorsInARevisionNameTheRevision() throws {
        let repo = try GitRepo()
        defer { repo.remove() }
        try repo.write("Content/contacts/C999.md", "---\nname: A\nname: B\n---\n")
        try repo.commit("Broken contact")
        try repo.git("rm", "-q", "Content/contacts/C999.md")
        let r = try CLI.run(["diff"], in: repo.root)
        #expect(r.status == 1)
        #expect(r.stderr == "HEAD:Content/contacts/C999.md:3:1: error: key 'name' is given twice (first at line 2); YAML would keep only one value\nthe content has errors; nothing was compared\n")
    }

    @Test func historyOnSheetsComesFromGit() throws {
        let repo = try GitRepo()
        defer { repo.remove() }
        try repo.edit("Content/segments/S002.md") { $0 + "Call before noon.\n" }
        try repo.commit("S002: call before noon")
        let s002 = try repo.short(), first = try repo.short("HEAD~1")
        // Off by default.
        #expect(try CLI.run(["build", "--quiet", "--format", "md"], in: repo.root).status == 0)
        #expect(!(try String(contentsOfFile: repo.root + "/Output/segments/S002.md", encoding: .utf8)).contains("Last changed"))
        #expect(try CLI.run(["build", "--quiet", "--history"], in: repo.root).status == 0)
        let s2 = try String(contentsOfFile: repo.root + "/Output/segments/S002.md", encoding: .utf8)
        #expect(s2.contains("| Last changed | 2026-11-20 in \(s002): S002: call before noon |\n"))
        let s1 = try String(contentsOfFile: repo.root + "/Output/segments/S001.html", encoding: .utf8)
        #expect(s1.contains("<tr><th scope=\"row\">Last changed</th><td>2026-11-20 in \(first): Sample workspace</td></tr>"))
        let camp = try String(contentsOfFile: repo.root + "/Output/campaigns/CAMP01.md", encoding: .utf8)
        #expect(camp.contains("| Last changed | 2026-11-20 in \(first): Sample workspace |\n"))
        // Switched on in segmark.yml.
        try repo.edit("segmark.yml") { $0.replacingOccurrences(of: "# history: git ", with: "history: git   ") }
        #expect(try CLI.run(["build", "--quiet", "--format", "md"], in: repo.root).status == 0)
        #expect(try String(contentsOfFile: repo.root + "/Output/segments/S002.md", encoding: .utf8).contains("| Last changed |"))
    }

    @Test func historyOutsideARepositorySaysNothing() throws {
        let dir = NSTemporaryDirectory() + "segmark-nogit-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try CLI.run(["init", dir]).status == 0)
        let r = try CLI.run(["build", "--history", "--quiet"], in: dir)
        #expect(r.status == 0)
        #expect(r.stderr == "")
        #expect(!(try String(contentsOfFile: dir + "/Output/segments/S001.html", encoding: .utf8)).contains("Last changed"))
    }

    @Test func initMakesAWorkingWorkspaceAndRefusesAFullFolder() throws {
        let dir = NSTemporaryDirectory() + "segmark-init-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try CLI.run(["init", dir])
        #expect(r.status == 0)
        #expect(r.stdout == "created a workspace in \(dir) (34 files); next: cd \(dir) && segmark build\n")
        for file in ["segmark.yml", ".gitignore", "Content/codes.yml", "Content/segments/S001.md", "Content/campaigns/CAMP01.md",
                     "Content/interaction-templates/NEWS.md", "Templates/html/segment.html", "Templates/md/contact.md", "Templates/assets/style.css"] {
            #expect(FileManager.default.fileExists(atPath: dir + "/" + file), "missing \(file)")
        }
        let check = try CLI.run(["check", "--strict"], in: dir)
        #expect(check.status == 0)
        #expect(check.stderr == "checked 12 files: 0 warnings\n")
        let build = try CLI.run(["build"], in: dir)
        #expect(build.status == 0, "\(build.stderr)")
        #expect(try CLI.run(["members", "S001", "--as-of", "2027-01-10"], in: dir).stdout == "C100\nC101\nC201\nC300\nC301\n")
        // A folder that is not empty is refused and left alone.
        let again = try CLI.run(["init", dir])
        #expect(again.status == 1)
        #expect(again.stderr == "error: \(dir) is not empty; segmark init only writes into a new or empty folder\n")
        // An empty existing folder is fine.
        let empty = dir + "/empty"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: false)
        #expect(try CLI.run(["init", empty]).status == 0)
    }
}
