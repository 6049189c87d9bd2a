import Foundation
import Testing

/// What a new user met in their first hour on the demo: each finding as the command they ran
/// and the whole answer they need (as-of semantics, silent mistakes, messages, navigation).
@Suite("The first hour", .serialized)
struct FirstHourTests {
    let fm = FileManager.default

    func edit(_ path: String, _ change: (String) -> String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try change(text).write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test func theWorkspaceIsEvaluatedAsItStoodOnTheAsOfDate() throws {
        // Responses dated 2026-05-28 are not seen as of 2026-01-01.
        let early = try CLI.run(["members", "SM10004", "--as-of", "2026-01-01"])
        #expect(early.status == 0)
        #expect(early.stdout == "")
        #expect(try CLI.run(["members", "SM10004"]).stdout == "CT111\nCT151\nCT900\n")
    }

    @Test func logLogsWhatTheSheetShows() throws {
        let root = try CLI.demoCopy()
        defer { try? fm.removeItem(atPath: root) }
        for asOf in ["2026-12-01", "2026-03-01"] {
            let members = try CLI.run(["members", "SM10005", "--as-of", asOf, "--root", root]).stdout.split(separator: "\n").map(String.init)
            let plan = try CLI.run(["log", "SM10005", "--dry-run", "--as-of", asOf, "--root", root])
            let logged = plan.stdout.split(separator: "\n").filter { $0.hasPrefix("  - contact: ") }.map { String($0.dropFirst(13)) }
            #expect(logged == members, "as of \(asOf): \(plan.stderr)")
            // The segment's date still dates the entries.
            if !members.isEmpty { #expect(plan.stdout.contains("date: 2027-02-01\n")) }
        }
    }

    @Test func explainSaysWhereAMemberIsAddedAgain() throws {
        let r = try CLI.run(["explain", "SM10001", "CT100"])
        #expect(r.stdout.contains("""
            Step 2: Add contacts where their mailing group is X-CARD
              members: 35 before, 39 after
              [yes] their mailing group is X-CARD
                    mailing_groups: X-CARD; matches filter 'X-CARD'
              → matched every group of this step
              → already a member; matched again, so it now counts as added by step 2
              IN after step 2
            """))
        #expect(r.stdout.hasSuffix("Verdict: CT100 is a member of SM10001 (added by step 2)\n"))
        #expect(!r.stdout.contains("R12"))
    }

    @Test func silentMistakesAreWarnings() throws {
        let root = try CLI.demoCopy()
        defer { try? fm.removeItem(atPath: root) }
        try edit(root + "/Content/segments/SM10001.md") {
            $0.replacingOccurrences(of: "country: NO|GB }", with: "country: NO OR GB, fields.annual_revnue: '>1000' }")
        }
        try fm.createDirectory(atPath: root + "/Templates/html", withIntermediateDirectories: true)
        try "{{> head}}\n<h1>{{name}} ({{memberCont}})</h1>\n{{> foot}}\n".write(toFile: root + "/Templates/html/contact.html", atomically: true, encoding: .utf8)
        let check = try CLI.run(["check", "--root", root])
        #expect(check.status == 0)
        #expect(check.stderr == """
            Content/segments/SM10001.md:12:42: warning: 'NO OR GB' is not a country code (not in the countries table of codes.yml), so it matches nothing; for any of them, write NO|GB
            Content/segments/SM10001.md:12:75: warning: no contact has the custom field 'annual_revnue', so this filter sees it empty everywhere; did you mean 'fields.annual_revenue'?
            Templates/html/contact.html:2:15: warning: no contact page has a value named 'memberCont', so it renders empty
            checked 88 files: 3 warnings

            """)
        let build = try CLI.run(["build", "--root", root])
        #expect(build.status == 0)
        #expect(build.stderr.hasPrefix("Content/segments/SM10001.md:12:42: warning: 'NO OR GB' is not a country code"))
        #expect(build.stderr.contains("2 warnings; run 'segmark check' to see them all\n"))
    }

    /// A command run where there is no workspace says so, in the words of every other error,
    /// without the usage of `segmark` itself; `serve` refuses a bad address before building.
    @Test func usageMistakesFoundWhileRunningReadLikeOtherErrors() throws {
        let empty = NSTemporaryDirectory() + "segmark-empty-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let none = try CLI.run(["build"], in: empty)
        #expect(none.status == 2)
        #expect(none.stderr == "error: no workspace found: no segmark.yml or Content/ here or in any parent folder; use --root DIR, or start one with 'segmark init DIR'\n")
        let missing = try CLI.run(["members", "SM10001", "--root", empty + "/nope"])
        #expect(missing.status == 2)
        #expect(missing.stderr == "error: --root: no such folder '\(empty)/nope'\n")
        let host = try CLI.run(["serve", "--host", "999.1.1.1", "--port", "4999"])
        #expect(host.status == 2)
        #expect(host.stdout == "")
        #expect(host.stderr.hasPrefix("Error: cannot listen on '999.1.1.1': give an IPv4 address such as 127.0.0.1 or 0.0.0.0\nUsage: segmark serve "))
    }

    @Test func oneMistakeIsReportedOnce() throws {
        let root = try CLI.demoCopy()
        defer { try? fm.removeItem(atPath: root) }
        try edit(root + "/Content/segments/SM10001.md") { $0.replacingOccurrences(of: "campaign_target: true", with: "campaign_target: [true") }
        let check = try CLI.run(["check", "--root", root])
        #expect(check.status == 1)
        #expect(!check.stderr.contains("does not exist"))
        #expect(check.stderr.components(separatedBy: "\n").filter { $0.contains("error:") }.count == 1)
    }

    @Test func messagesSayWhatToDo() throws {
        let root = try CLI.workspace([
            "Content/contacts/C1.md": "---\nname: A\ncompany: C2\ncreated: 2020-02-30\n---\n",
            "Content/contacts/C2.md": "---\nname: B\n---\n",
            "Content/segments/S1.md": "---\ndescription: x\ncriteria:\n  - add:\n      contact: { country: NO,GB }\n  - add:\n      contact: { country: \"!=NO\" }\n---\n",
        ])
        defer { try? fm.removeItem(atPath: root) }
        let r = try CLI.run(["check", "--root", root])
        #expect(r.stderr == """
            Content/contacts/C1.md:3:1: error: a company cannot have a 'company'; only persons belong to a company, and a contact without 'type' is a company (add 'type: person')
            Content/contacts/C1.md:4:10: error: 'created' is not a real date: '2020-02-30' does not exist in the calendar
            Content/segments/S1.md:5:30: error: unknown contact field 'GB'; inside { } a comma ends a value, so 'GB' was read as a field. For either value, write NO|GB
            Content/segments/S1.md:7:28: error: invalid filter '!=NO': '!=' is not BC filter syntax; write '<>' for 'not equal', e.g. <>NO
            4 errors, 0 warnings

            """)
        let log = try CLI.run(["log", "SM1001"])
        #expect(log.status == 1)
        #expect(log.stderr == "error: no segment 'SM1001'; did you mean 'SM10001'?\n")
        let outside = try CLI.run(["check"], in: "/")
        #expect(outside.status == 2)
        #expect(outside.stderr.contains("segmark init DIR"))
        let pdf = try CLI.run(["build", "--format", "pdf"])
        #expect(pdf.status == 2)
        #expect(pdf.stderr.contains("Usage: segmark build "))
        for command in ["members", "explain", "log", "cancel", "build", "check"] {
            let help = try CLI.run([command, "--help"])
            #expect(help.stdout.range(of: "\\(R[0-9]+\\)", options: .regularExpression) == nil, "\(command) --help")
        }
    }

    @Test func theReportsLinkEverythingAndCountLikeTheStatistics() throws {
        let out = CLI.repo + "/Output"
        let index = try String(contentsOfFile: out + "/index.html", encoding: .utf8)
        #expect(index.contains("<a href=\"contacts.html\">63</a>"))
        #expect(index.contains("7 (34 entries; 10 canceled, not counted)"))
        let directory = try String(contentsOfFile: out + "/contacts.md", encoding: .utf8)
        for id in ["CT121", "CT123", "CT191", "CT193"] { #expect(directory.contains("[\(id)](contacts/\(id).md)")) }
        let sheet = try String(contentsOfFile: out + "/segments/SM10001.md", encoding: .utf8)
        #expect(sheet.contains("[Members as CSV](SM10001.csv) · [Address labels](SM10001-labels.html)"))
        #expect(sheet.contains("| Unit cost | 8.00 NOK (template) |"))
        #expect(sheet.contains("1. Add contacts where type is company and country is NO or GB; and where their business relation (of the company) is CUST"))
        let campaign = try String(contentsOfFile: out + "/campaigns/CP1001.md", encoding: .utf8)
        #expect(campaign.contains("| [SM10001](../segments/SM10001.md) |"))
    }

    @Test func theContactsDirectoryHas500ContactsAPage() throws {
        let root = try CLI.workspace(Dictionary(uniqueKeysWithValues: (1...1001).map { i in
            (String(format: "Content/contacts/C%04d.md", i), "---\nname: Contact \(i)\ncountry: NO\n---\n")
        }))
        defer { try? fm.removeItem(atPath: root) }
        #expect(try CLI.run(["build", "--root", root]).status == 0)
        let pages = try fm.contentsOfDirectory(atPath: root + "/Output").filter { $0.hasPrefix("contacts") && $0 != "contacts" }.sorted()
        #expect(pages == ["contacts-2.html", "contacts-2.md", "contacts-3.html", "contacts-3.md", "contacts.html", "contacts.md"])
        let second = try String(contentsOfFile: root + "/Output/contacts-2.md", encoding: .utf8)
        #expect(second.contains("1001 contacts, 501–1000 on this page"))
        #expect(second.contains("[1](contacts.md) **2** [3](contacts-3.md)"))
        #expect(second.contains("| [C0501](contacts/C0501.md) | Contact 501 | company |  | NO | 0 |"))
        #expect(!second.contains("C0500") && !second.contains("C1001"))
    }

    @Test func jsonKeysAreSnakeCaseEverywhere() throws {
        let explain = try CLI.run(["explain", "SM10001", "CT100", "--format", "json"])
        #expect(explain.stdout.contains("\"as_of\" : \"2026-12-01\""))
        #expect(explain.stdout.contains("\"count_after\""))
        #expect(explain.stdout.range(of: "\"[a-z]+[A-Z][A-Za-z]*\" :", options: .regularExpression) == nil)
        let members = try CLI.run(["members", "SM10001", "--format", "json"])
        #expect(members.stdout.range(of: "\"[a-z]+[A-Z][A-Za-z]*\" :", options: .regularExpression) == nil)
    }

    @Test func checkSpeaksGitHubAndJSON() throws {
        let root = try CLI.workspace(["Content/contacts/C1.md": "---\nname: A\ncolour: red, blue\n---\n"])
        defer { try? fm.removeItem(atPath: root) }
        let github = try CLI.run(["check", "--root", root, "--format", "github"])
        #expect(github.status == 0)
        #expect(github.stdout == "::warning file=Content/contacts/C1.md,line=3,col=1::unknown key 'colour'\n")
        let json = try CLI.run(["check", "--root", root, "--format", "json", "--strict"])
        #expect(json.status == 1)
        let items = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [[String: Any]]
        #expect(items.count == 1)
        #expect(items[0]["path"] as? String == "Content/contacts/C1.md")
        #expect(items[0]["line"] as? Int == 3)
        #expect(items[0]["column"] as? Int == 1)
        #expect(items[0]["severity"] as? String == "warning")
        #expect(items[0]["message"] as? String == "unknown key 'colour'")
        // A clean workspace is one empty array, on one line.
        try "---\nname: A\n---\n".write(toFile: root + "/Content/contacts/C1.md", atomically: true, encoding: .utf8)
        let clean = try CLI.run(["check", "--root", root, "--format", "json"])
        #expect(clean.status == 0)
        #expect(clean.stdout == "[]\n")
    }

    @Test func theReadmeDocumentsEveryKeyTheDecodersAccept() throws {
        let readme = try String(contentsOfFile: CLI.repo + "/README.md", encoding: .utf8)
        let decoders = ["Campaign", "Contact", "InteractionBatch", "InteractionTemplate", "Segment", "Settings"]
        for name in decoders {
            let source = try String(contentsOfFile: CLI.repo + "/Sources/SegmarkKit/Decoding/\(name)Decoder.swift", encoding: .utf8)
            var keys: [String] = []
            for list in ["static let keys = [", "static let valueKeys = ["] {
                guard let start = source.range(of: list) else { continue }
                let rest = source[start.upperBound...]
                let body = rest[..<rest.firstIndex(of: "]")!]
                keys += body.split(separator: "\"", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
            }
            #expect(!keys.isEmpty)
            for key in keys { #expect(readme.contains("`\(key)`"), "\(name): `\(key)` is not in README.md") }
        }
    }
}
