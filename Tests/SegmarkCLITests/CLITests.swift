import Foundation
import Testing

/// The `segmark` binary run as a user runs it: exit statuses, stdout and stderr (SPEC §7).
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
        #expect(r.stderr == "checked 86 files: 0 warnings\n")
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

    @Test func buildRefusesContentErrorsAndKeepsOutput() throws {
        let root = try CLI.workspace([
            "Content/contacts/C1.md": "---\nname: A\n---\n",
            "Content/segments/S.md": "---\ndescription: D\ncriteria:\n  - add: {}\n---\n",
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let first = try CLI.run(["build", "--root", root, "--as-of", "2026-12-01"])
        #expect(first.status == 0)
        #expect(first.stdout.hasPrefix("rendered 9 files as of 2026-12-01, 9 changed, 0 removed, in "))
        let again = try CLI.run(["build", "--root", root, "--as-of", "2026-12-01"])
        #expect(again.stdout.hasPrefix("rendered 9 files as of 2026-12-01, 0 changed, 0 removed, in "))
        try "---\nname: A\ncompany: X\n---\n".write(toFile: root + "/Content/contacts/C1.md", atomically: true, encoding: .utf8)
        let broken = try CLI.run(["build", "--root", root])
        #expect(broken.status == 1)
        #expect(broken.stderr == "Content/contacts/C1.md:3:1: error: a company cannot have a 'company'; only persons belong to a company\n1 error; Output/ was left as it was\n")
        #expect(broken.stdout == "")
    }
}
