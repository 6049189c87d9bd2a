import Foundation
import Testing

/// `segmark import contacts` and `segmark export contacts` on files in the shape of BC's
/// "Open in Excel" exports saved as CSV, in English and Norwegian.
@Suite("Import and export of contacts", .serialized)
struct ImportTests {
    let fm = FileManager.default

    func empty() throws -> String {
        try CLI.workspace(["segmark.yml": "title: Import\n", "Content/segments/S.md": "---\ndescription: All\ncriteria:\n  - add: {}\n---\n"])
    }

    func read(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    static let english = "\u{FEFF}No.,Name,Type,Company No.,Address,Post Code,City,Country/Region Code,Phone No.,E-Mail,Salesperson Code,Correspondence Type,Exclude from Segment,Balance\r\n"
        + "CT100,\"Hansen, Åse & Sønn \"\"AS\"\"\",Company,CT100,\"Storgata 1\nBygg B\",0150,Oslo,NO,+47 22 00 00 00,post@hansen.example,HR,E-Mail,No,\"1,234\"\r\n"
        + "CT101,Ola Nordmann,Person,CT100,,0150,Oslo,NO,=1+1,ola@hansen.example,,Hard Copy,Yes,0\r\n"

    @Test func anEnglishExportBecomesContactFiles() throws {
        let root = try empty()
        defer { try? fm.removeItem(atPath: root) }
        try Self.english.write(toFile: root + "/contacts.csv", atomically: true, encoding: .utf8)
        let r = try CLI.run(["import", "contacts", root + "/contacts.csv", "--root", root])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "added 2, changed 0, unchanged 0; columns not imported: Balance\n")
        #expect(read(root + "/Content/contacts/CT100.md") == """
            ---
            id: "CT100"
            type: company
            name: "Hansen, Åse & Sønn \\"AS\\""
            salesperson: "HR"
            country: "NO"
            address: "Storgata 1\\nBygg B"
            city: "Oslo"
            post_code: "0150"
            email: "post@hansen.example"
            phone: "+47 22 00 00 00"
            correspondence_type: email
            ---

            """)
        #expect(read(root + "/Content/contacts/CT101.md") == """
            ---
            id: "CT101"
            type: person
            name: "Ola Nordmann"
            company: "CT100"
            country: "NO"
            city: "Oslo"
            post_code: "0150"
            email: "ola@hansen.example"
            phone: "=1+1"
            correspondence_type: hard_copy
            exclude_from_segments: true
            ---

            """)
        let check = try CLI.run(["check", "--strict", "--root", root])
        #expect(check.status == 0, "\(check.stderr)")
    }

    @Test func aNorwegianSemicolonExportToo() throws {
        let root = try empty()
        defer { try? fm.removeItem(atPath: root) }
        let csv = "Nr.;Navn;Type;Firmanr.;Postnr.;Poststed;Lands-/regionskode;E-post\nK1;Blåbær AS;Firma;K1;5003;Bergen;NO;post@blabaer.example\nK2;Kari Ødegård;Person;K1;;;;\n"
        try csv.write(toFile: root + "/kontakter.csv", atomically: true, encoding: .utf8)
        let r = try CLI.run(["import", "contacts", root + "/kontakter.csv", "--root", root])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(read(root + "/Content/contacts/K2.md") == "---\nid: \"K2\"\ntype: person\nname: \"Kari Ødegård\"\ncompany: \"K1\"\n---\n")
        #expect(try CLI.run(["members", "S", "--root", root]).stdout == "K1\nK2\n")
    }

    @Test(arguments: ["Lands-/regionkode", "LANDS-/OMRÅDEKODE"])
    func theCountryColumnUnderItsOtherNorwegianCaptions(_ caption: String) throws {
        let root = try empty()
        defer { try? fm.removeItem(atPath: root) }
        try "\u{FEFF}Nr.;Navn;Type;\(caption)\r\nK1;Blåbær AS;Firma;NO\r\n".write(toFile: root + "/k.csv", atomically: true, encoding: .utf8)
        let r = try CLI.run(["import", "contacts", root + "/k.csv", "--root", root])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "added 1, changed 0, unchanged 0\n")
        #expect(read(root + "/Content/contacts/K1.md") == "---\nid: \"K1\"\ntype: company\nname: \"Blåbær AS\"\ncountry: \"NO\"\n---\n")
    }

    @Test func anyErrorWritesNothing() throws {
        let root = try empty()
        defer { try? fm.removeItem(atPath: root) }
        let csv = "No.,Name,Type,Company No.,E-Mail\nC1,One,Company,,one@x.example\nC2,Two,Firm,,\nC1,Again,Company,,\nC3,Three,Person,C9,three(at)x\nbad id,Four,,,\n"
        try csv.write(toFile: root + "/contacts.csv", atomically: true, encoding: .utf8)
        let r = try CLI.run(["import", "contacts", root + "/contacts.csv", "--root", root])
        #expect(r.status == 1)
        #expect(r.stderr == """
            contacts.csv:3:3: error: 'Type' must be Company or Person, found 'Firm'
            contacts.csv:4:1: error: 'No.' C1 is given twice (first in row 2)
            contacts.csv:5:4: error: 'Company No.' C9 is neither a company in this file nor a company contact in the workspace
            contacts.csv:5:5: warning: 'E-Mail' 'three(at)x' does not look like an e-mail address
            contacts.csv:6:1: error: 'No.' must be an id (letters, digits, '.', '_' and '-', at most 64), found 'bad id'
            4 errors; nothing was written

            """)
        #expect(!fm.fileExists(atPath: root + "/Content/contacts"))
        try "No.,Name\nC1,\"never closed\n".write(toFile: root + "/broken.csv", atomically: true, encoding: .utf8)
        let broken = try CLI.run(["import", "contacts", root + "/broken.csv", "--root", root])
        #expect(broken.stderr == "broken.csv:2:2: error: a quoted value is never closed\n1 error; nothing was written\n")
    }

    @Test func importNeverWritesOutsideTheContactsFolder() throws {
        let root = try empty()
        let away = NSTemporaryDirectory() + "segmark-away-" + UUID().uuidString
        defer { try? fm.removeItem(atPath: root); try? fm.removeItem(atPath: away) }
        try "No.,Name\n../../escape,Evil\n..,Dots\n".write(toFile: root + "/evil.csv", atomically: true, encoding: .utf8)
        let ids = try CLI.run(["import", "contacts", root + "/evil.csv", "--root", root])
        #expect(ids.status == 1)
        #expect(!fm.fileExists(atPath: root + "/escape.md") && !fm.fileExists(atPath: root + "/Content/contacts"))
        // A symbolic link in place of Content/contacts: refused, nothing written through it.
        try fm.createDirectory(atPath: away, withIntermediateDirectories: true)
        try fm.createSymbolicLink(atPath: root + "/Content/contacts", withDestinationPath: away)
        try "No.,Name\nC1,One\n".write(toFile: root + "/ok.csv", atomically: true, encoding: .utf8)
        let linked = try CLI.run(["import", "contacts", root + "/ok.csv", "--root", root])
        #expect(linked.status == 1)
        #expect(try fm.contentsOfDirectory(atPath: away).isEmpty)
    }

    @Test func exportThenImportGivesTheSameFiles() throws {
        let first = try empty(), second = try empty()
        defer { try? fm.removeItem(atPath: first); try? fm.removeItem(atPath: second) }
        try Self.english.write(toFile: first + "/contacts.csv", atomically: true, encoding: .utf8)
        #expect(try CLI.run(["import", "contacts", first + "/contacts.csv", "--root", first]).status == 0)
        let export = try CLI.run(["export", "contacts", second + "/export.csv", "--root", first])
        #expect(export.stdout == "exported 2 contacts to \(second)/export.csv\n")
        let imported = try CLI.run(["import", "contacts", second + "/export.csv", "--root", second])
        #expect(imported.status == 0, "\(imported.stderr)")
        for id in ["CT100", "CT101"] {
            #expect(read(first + "/Content/contacts/\(id).md") == read(second + "/Content/contacts/\(id).md"))
        }
    }

    @Test func updateChangesOneKeyOfOneFile() throws {
        let root = try empty()
        defer { try? fm.removeItem(atPath: root) }
        try Self.english.write(toFile: root + "/contacts.csv", atomically: true, encoding: .utf8)
        #expect(try CLI.run(["import", "contacts", root + "/contacts.csv", "--root", root]).status == 0)
        let path = root + "/Content/contacts/CT101.md"
        try (read(path)! + "Met at the fair.\n").write(toFile: path, atomically: true, encoding: .utf8)
        let before = try fm.attributesOfItem(atPath: root + "/Content/contacts/CT100.md")[.modificationDate] as! Date
        let again = try CLI.run(["import", "contacts", root + "/contacts.csv", "--root", root])
        #expect(again.status == 1)
        #expect(again.stderr.hasPrefix("contacts.csv:2:1: error: contact CT100 exists already (Content/contacts/CT100.md); use --update to change it\n"))
        let changed = Self.english.replacingOccurrences(of: "ola@hansen.example", with: "ola.nordmann@hansen.example")
        try changed.write(toFile: root + "/contacts.csv", atomically: true, encoding: .utf8)
        let dry = try CLI.run(["import", "contacts", root + "/contacts.csv", "--root", root, "--update", "--dry-run"])
        #expect(dry.stdout == "unchanged CT100\nchanged CT101 (email)\nwould add 0, would change 1, unchanged 1; columns not imported: Balance\n")
        let update = try CLI.run(["import", "contacts", root + "/contacts.csv", "--root", root, "--update"])
        #expect(update.status == 0, "\(update.stderr)")
        #expect(read(path)!.contains("email: \"ola.nordmann@hansen.example\"\n"))
        #expect(read(path)!.hasSuffix("---\nMet at the fair.\n"))
        let after = try fm.attributesOfItem(atPath: root + "/Content/contacts/CT100.md")[.modificationDate] as! Date
        #expect(before == after)
    }
}

@Suite("Import of relation codes", .serialized)
struct CodeImportTests {
    @Test func relationCodesMergeIntoTheContactsLists() throws {
        let root = try CLI.workspace([
            "Content/contacts/C1.md": "---\nname: One\nbusiness_relations:\n  - VEND\nmailing_groups: [NEWS]\n---\nNotes stay.\n",
            "Content/contacts/C2.md": "---\nname: Two\nbusiness_relations: CUST\n---\n",
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let csv = "Contact No.;Business Relation Code\nC1;CUST\nC1;vend\nC2;CUST\n"
        try csv.write(toFile: root + "/relations.csv", atomically: true, encoding: .utf8)
        let r = try CLI.run(["import", "codes", root + "/relations.csv", "--root", root])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "changed 1 contact file\n")
        #expect(try String(contentsOfFile: root + "/Content/contacts/C1.md", encoding: .utf8)
                == "---\nname: One\nbusiness_relations: [\"CUST\", \"VEND\"]\nmailing_groups: [NEWS]\n---\nNotes stay.\n")
        #expect(try String(contentsOfFile: root + "/Content/contacts/C2.md", encoding: .utf8) == "---\nname: Two\nbusiness_relations: CUST\n---\n")
        try "Contact No.,Mailing Group Code\nC9,NEWS\n".write(toFile: root + "/bad.csv", atomically: true, encoding: .utf8)
        let bad = try CLI.run(["import", "codes", root + "/bad.csv", "--root", root])
        #expect(bad.status == 1)
        #expect(bad.stderr == "bad.csv:2:1: error: 'Contact No.' C9 is not a contact in the workspace\n1 error; nothing was written\n")
    }

    @Test func aCodeListAddsTheMissingCodesToCodesYAML() throws {
        let root = try CLI.workspace([
            "Content/contacts/C1.md": "---\nname: One\n---\n",
            "Content/codes.yml": "# Cronus code tables\nsalespeople:\n  HR: Helene Rustad   # key account\n\nmailing_groups:\n    NEWS: Newsletter\n",
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        // BC's "Mailing Groups" list saved as CSV (Norwegian captions, semicolons, BOM, CRLF).
        try "\u{FEFF}Kode;Beskrivelse\r\nNEWS;Nyhetsbrev\r\nX-CARD;Julekort: «Ærlig»\r\nnews;dupe\r\n"
            .write(toFile: root + "/Mailing Groups.csv", atomically: true, encoding: .utf8)
        let r = try CLI.run(["import", "codes", root + "/Mailing Groups.csv", "--root", root])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "added 1 code to the mailing_groups table of Content/codes.yml\n")
        #expect(try String(contentsOfFile: root + "/Content/codes.yml", encoding: .utf8)
                == "# Cronus code tables\nsalespeople:\n  HR: Helene Rustad   # key account\n\nmailing_groups:\n    NEWS: Newsletter\n    X-CARD: \"Julekort: «Ærlig»\"\n")
        // A table codes.yml does not have yet gets a new block; --table names it.
        try "Code,Description\nUTL,Abroad\n".write(toFile: root + "/t.csv", atomically: true, encoding: .utf8)
        #expect(try CLI.run(["import", "codes", root + "/t.csv", "--root", root]).status == 2)
        #expect(try CLI.run(["import", "codes", root + "/t.csv", "--table", "territories", "--root", root]).status == 0)
        #expect(try String(contentsOfFile: root + "/Content/codes.yml", encoding: .utf8).hasSuffix("\nterritories:\n  UTL: \"Abroad\"\n"))
        #expect(try CLI.run(["check", "--strict", "--root", root]).status == 0)
        // Importing again changes nothing.
        #expect(try CLI.run(["import", "codes", root + "/t.csv", "--table", "territories", "--root", root]).stdout == "added 0 codes to the territories table of Content/codes.yml\n")
    }

    @Test func aSymlinkedCodesFileIsNeverWrittenThrough() throws {
        let root = try CLI.workspace(["Content/contacts/C1.md": "---\nname: One\n---\n"])
        let outside = NSTemporaryDirectory() + "segmark-outside-" + UUID().uuidString + ".yml"
        defer { try? FileManager.default.removeItem(atPath: root); try? FileManager.default.removeItem(atPath: outside) }
        try "mailing_groups:\n  NEWS: Newsletter\n".write(toFile: outside, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: root + "/Content/codes.yml", withDestinationPath: outside)
        try "Code,Description\nX-CARD,Cards\n".write(toFile: root + "/Mailing Groups.csv", atomically: true, encoding: .utf8)
        let r = try CLI.run(["import", "codes", root + "/Mailing Groups.csv", "--root", root])
        #expect(r.status == 1)
        #expect(r.stderr.contains("Content/codes.yml is a symbolic link"))
        #expect(try String(contentsOfFile: outside, encoding: .utf8) == "mailing_groups:\n  NEWS: Newsletter\n")
    }
}
