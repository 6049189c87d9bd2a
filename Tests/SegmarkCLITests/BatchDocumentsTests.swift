import Foundation
import Testing

/// Every logged batch gets its page, CSV, labels, letters and e-mail drafts — for exactly
/// its entries, with content values unable to add a header, a MIME part, a link or HTML.
@Suite("Batches, letters and e-mails", .serialized)
struct BatchDocumentsTests {
    let fm = FileManager.default

    func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    /// The `data-contact` values of the letters, in page order.
    func letterContacts(_ html: String) -> [String] {
        html.components(separatedBy: "<section class=\"letter\" data-contact=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
    }

    @Test func aLoggedBatchHasItsLettersLabelsAndDrafts() throws {
        let root = try CLI.demoCopy()
        defer { try? fm.removeItem(atPath: root) }
        // Log SM10005 as a new user did; its live sheet empties afterwards, the batch keeps its documents.
        let members = try CLI.run(["members", "SM10005", "--root", root]).stdout.split(separator: "\n").map(String.init)
        #expect(!members.isEmpty)
        let log = try CLI.run(["log", "SM10005", "--root", root])
        #expect(log.status == 0, "\(log.stderr)")
        let batch = try fm.contentsOfDirectory(atPath: root + "/Content/interactions").first { $0.hasPrefix("SM10005-") }.map { String($0.dropLast(3)) }
        let id = try #require(batch)
        let build = try CLI.run(["build", "--root", root])
        #expect(build.status == 0, "\(build.stderr)")
        let out = root + "/Output/interactions/"
        let csvRows = read(out + id + ".csv").split(separator: "\r\n").dropFirst()
        #expect(csvRows.map { String($0.prefix { $0 != "," }) } == members)
        let channels = Dictionary(uniqueKeysWithValues: csvRows.map { row -> (String, String) in
            // id first; then salesperson, correspondence_type, cost, evaluation last (no commas in those).
            let cells = row.split(separator: ",", omittingEmptySubsequences: false)
            return (String(cells[0]), String(cells[cells.count - 3]))
        })
        let paper = members.filter { channels[$0] == "hard_copy" }
        let email = members.filter { channels[$0] == "email" }
        #expect(paper.count + email.count == members.count)
        if paper.isEmpty {
            #expect(!fm.fileExists(atPath: out + id + "-letters.html"))
        } else {
            #expect(letterContacts(read(out + id + "-letters.html")) == paper)
            #expect(count("<div class=\"label\">", in: read(out + id + "-labels.html")) == paper.count)
        }
        let drafts = (try? fm.contentsOfDirectory(atPath: out + id + "-mail").sorted()) ?? []
        #expect(drafts.count <= email.count)
        let page = read(out + id + ".html")
        for m in members { #expect(page.contains("<a href=\"../contacts/\(m).html\">\(m)</a>")) }
        // The sheet links the batch; the index lists it.
        #expect(read(root + "/Output/segments/SM10005.html").contains("<a href=\"../interactions/\(id).html\">\(id)</a>"))
    }

    @Test func theDemoBatchesLettersUseTheCompanysAddressAndTheLanguageVariant() throws {
        let out = CLI.repo + "/Output/interactions/"
        let letters = read(out + "SM10001-2026-11-25-letters.html")
        let contacts = letterContacts(letters)
        #expect(contacts.count == 16)
        #expect(contacts.last == "CT104")
        // CT104 has no address of its own: its letter and label use Fjordkraft Detalj AS's (a person without an address of its own uses its company's).
        let ct104 = letters.components(separatedBy: "data-contact=\"CT104\"")[1]
        #expect(ct104.contains("<div class=\"recipient\"><span>Nils Ødegård-Hansen</span><span>Fjordkraft Detalj AS</span><span>Karl Johans gate 12</span><span>0150 Oslo</span><span>Norway</span></div>"))
        #expect(ct104.contains("<p>Kjære Nils,</p>"))  // the NOR variant, with the fields.first_name fallback
        #expect(ct104.contains("<p class=\"subject\">Hilsen fra Cronus Norge</p>"))
        let london = letters.components(separatedBy: "data-contact=\"CT220\"")[1].components(separatedBy: "</section>")[0]
        #expect(london.contains("<p class=\"subject\">Merry Christmas from Cronus</p>"))
        #expect(london.contains("<p>Dear London Postcards Ltd,</p>"))
        #expect(read(out + "SM10001-2026-11-25.csv").contains("\r\nCT104,person,Nils Ødegård-Hansen,CT100,Fjordkraft Detalj AS,Karl Johans gate 12,,0150,Oslo,,NO,"))
        // The canceled batch keeps its page, marked, and gets no documents.
        #expect(read(out + "SM10001-2026-11-20.html").contains("<h1>Interaction batch SM10001-2026-11-20 (canceled)</h1>"))
        for suffix in ["-letters.html", "-letters.md", "-labels.html", "-mail"] {
            #expect(!fm.fileExists(atPath: out + "SM10001-2026-11-20" + suffix))
        }
        // Inbound replies record what came in: no drafts.
        #expect(!fm.fileExists(atPath: out + "XMAS-THANKS-2026-11-mail"))
        // The sheet's labels are the live hard_copy members only.
        let sheetCSV = read(CLI.repo + "/Output/segments/SM10001.csv").split(separator: "\r\n").dropFirst()
        let hardCopy = sheetCSV.filter { row in
            let cells = row.split(separator: ",", omittingEmptySubsequences: false)
            return cells[cells.count - 2] == "hard_copy"  // …, correspondence_type, added_by_step
        }.count
        #expect(hardCopy < sheetCSV.count)
        #expect(count("<div class=\"label\">", in: read(CLI.repo + "/Output/segments/SM10001-labels.html")) == hardCopy)
    }

    static let mergeFieldFiles: [String: String] = [
        "Content/campaigns/CP1.md": """
            ---
            description: Winter campaign
            ---

            """,
        "Content/codes.yml": """
            countries: { "NO": Norway }
            salespeople:
              HR: { description: Hanne Rye, email: hr@cronus.example }

            """,
        "Content/contacts/K1.md": """
            ---
            name: Fjord AS
            type: company
            address: Storgata 1
            address_2: Bakgården
            post_code: "0155"
            city: Oslo
            county: Viken
            country: "NO"
            email: post@fjord.example
            phone: "+47 22 00 00 00"
            website: fjord.example
            territory: OSL
            ---

            """,
        "Content/contacts/P1.md": """
            ---
            name: Kari Nordmann
            type: person
            company: K1
            mobile: "+47 900 00 000"
            language: NOR
            salesperson: HR
            fields: { name: CUSTOM, city: CUSTOM, first_name: Kari, empty: "" }
            ---

            """,
        "Content/interaction-templates/LTR.md": """
            ---
            description: Letter
            group: POST
            correspondence_type: hard_copy
            ---
            id={{id}} name={{name}} type={{type}} company={{company}} company_name={{company_name}}
            address={{address}} address_2={{address_2}} post_code={{post_code}} city={{city}} county={{county}}
            country={{country}} country_name={{country_name}} lines={{#address_lines}}[{{.}}]{{/address_lines}}
            email={{email}} phone={{phone}} mobile={{mobile}} website={{website}} territory={{territory}} language={{language}}
            salesperson={{salesperson}} salesperson_name={{salesperson_name}} salesperson_email={{salesperson_email}}
            subject={{subject}} date={{date}} batch={{batch}} campaign={{campaign}} campaign_description={{campaign_description}}
            segment={{segment}} sender_name={{sender_name}} fields.name={{fields.name}} first_name={{first_name}} fields.first_name={{fields.first_name}}

            """,
        "Content/interactions/B1.md": """
            ---
            date: 2026-11-20
            template: LTR
            segment: S1
            campaign: CP1
            subject: Winter offer
            contacts: [K1, P1]
            ---

            """,
        "Content/segments/S1.md": """
            ---
            description: Everyone
            criteria:
              - add: {}
            ---

            """,
        "segmark.yml": """
            as_of: 2026-12-01
            sender:
              name: Cronus Norge
              email: post@cronus.example
              address: [Karl Johans gate 1, 0154 Oslo]

            """,
    ]

    /// Every merge field a letter body can name, from a company and from a person who takes the
    /// company's address; a custom field named like a built-in one (`name`, `city`) is reached
    /// only as `fields.NAME`, one of its own name (`first_name`) directly.
    @Test func everyMergeFieldMergesItsValue() throws {
        let root = try CLI.workspace(Self.mergeFieldFiles)
        defer { try? fm.removeItem(atPath: root) }
        let build = try CLI.run(["build", "--root", root])
        #expect(build.status == 0, "\(build.stderr)")
        let letters = read(root + "/Output/interactions/B1-letters.md")
        #expect(letters.contains("""
            id=K1 name=Fjord AS type=company company= company_name=
            address=Storgata 1 address_2=Bakgården post_code=0155 city=Oslo county=Viken
            country=NO country_name=Norway lines=[Storgata 1][Bakgården][0155 Oslo][Viken][Norway]
            email=post@fjord\\.example phone=\\+47 22 00 00 00 mobile= website=fjord\\.example territory=OSL language=
            salesperson= salesperson_name= salesperson_email=
            subject=Winter offer date=2026\\-11\\-20 batch=B1 campaign=CP1 campaign_description=Winter campaign
            segment=S1 sender_name=Cronus Norge fields.name= first_name= fields.first_name=
            """), "\(letters)")
        #expect(letters.contains("""
            id=P1 name=Kari Nordmann type=person company=K1 company_name=Fjord AS
            address=Storgata 1 address_2=Bakgården post_code=0155 city=Oslo county=Viken
            country=NO country_name=Norway lines=[Storgata 1][Bakgården][0155 Oslo][Viken][Norway]
            email= phone= mobile=\\+47 900 00 000 website= territory= language=NOR
            salesperson=HR salesperson_name=Hanne Rye salesperson_email=hr@cronus\\.example
            subject=Winter offer date=2026\\-11\\-20 batch=B1 campaign=CP1 campaign_description=Winter campaign
            segment=S1 sender_name=Cronus Norge fields.name=CUSTOM first_name=Kari fields.first_name=Kari
            """), "\(letters)")
    }

    static let hostileFiles: [String: String] = [
        "segmark.yml": "as_of: 2026-12-01\nsender:\n  name: \"Cronus, Norge\"\n  email: post@cronus.example\n  address: [Karl Johans gate 1, 0154 Oslo]\n",
        "Content/interaction-templates/NEWS.md": """
            ---
            description: Newsletter
            group: MAIL
            correspondence_type: email
            ---
            Dear {{name}}{{^fields.first_name}} (Sir or Madam){{/fields.first_name}},

            Your city: {{city}}. {{{name}}}
            """,
        "Content/contacts/C1.md": "---\nname: \"Hansen, Åse\"\ntype: company\nemail: ase@hansen.example\ncity: Oslo\n---\n",
        "Content/contacts/C2.md": "---\nname: \"Evil\\r\\nBcc: victim@example.com\\u2028X-Injected: 1\\u0085\\0Z\"\ntype: company\nemail: evil@example.com\n---\n",
        "Content/contacts/C3.md": "---\nname: \"[click](javascript:alert(1)) <script>x</script>\"\ntype: company\nemail: c3@example.com\ncity: \"# Heading\"\n---\n",
        "Content/contacts/C4.md": "---\nname: No Mail\ntype: company\n---\n",
        "Content/contacts/C5.md": "---\nname: Bad Mail\ntype: company\nemail: \"x@y.example, z@w.example\"\n---\n",
        "Content/interactions/B1.md": """
            ---
            date: 2026-11-02
            template: NEWS
            subject: "Hei\\r\\nBcc: victim@example.com — æøå ÆØÅ"
            contacts: [C1, C2, C3, C4, C5]
            ---
            """,
    ]

    @Test func hostileValuesNeverAddAHeaderAPartOrALink() throws {
        let root = try CLI.workspace(Self.hostileFiles)
        defer { try? fm.removeItem(atPath: root) }
        let check = try CLI.run(["check", "--root", root])
        #expect(check.stderr == "Content/contacts/C5.md:4:9: warning: 'x@y.example, z@w.example' is not an e-mail address like name@example.com; this contact gets no e-mail drafts\nchecked 7 files: 1 warning\n")
        let build = try CLI.run(["build", "--root", root])
        #expect(build.status == 0, "\(build.stderr)")
        let mail = root + "/Output/interactions/B1-mail/"
        #expect(try fm.contentsOfDirectory(atPath: mail).sorted() == ["C1.eml", "C2.eml", "C3.eml"])
        let page = read(root + "/Output/interactions/B1.html")
        #expect(count("no e-mail address", in: page) == 2)
        // Python's e-mail package (policy.default) is the independent reader of every draft.
        let script = """
            import sys, email, json
            from email import policy
            out = []
            for path in sys.argv[1:]:
                raw = open(path, 'rb').read()
                msg = email.message_from_bytes(raw, policy=policy.default)
                parts = [p.get_content_type() for p in msg.walk()]
                to = msg['To']
                out.append({
                    'keys': sorted(k for k in msg.keys()),
                    'defects': [type(d).__name__ for d in msg.defects] + [type(d).__name__ for p in msg.walk() for d in p.defects],
                    'to': [[a.display_name, a.addr_spec] for a in to.addresses],
                    'from': [[a.display_name, a.addr_spec] for a in msg['From'].addresses],
                    'subject': str(msg['Subject']),
                    'parts': parts,
                    'plain': msg.get_body(('plain',)).get_content(),
                    'html': msg.get_body(('html',)).get_content(),
                    'crlf': raw.count(b'\\n') == raw.count(b'\\r\\n'),
                    'longest': max(len(l) for l in raw.split(b'\\r\\n')),
                })
            print(json.dumps(out))
            """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script] + ["C1", "C2", "C3"].map { mail + $0 + ".eml" }
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let drafts = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        #expect(drafts.count == 3)
        let names = ["Hansen, Åse", "EvilBcc: victim@example.comX-Injected: 1Z", "[click](javascript:alert(1)) <script>x</script>"]
        let addresses = ["ase@hansen.example", "evil@example.com", "c3@example.com"]
        for (i, d) in drafts.enumerated() {
            #expect(d["keys"] as? [String] == ["Content-Type", "Date", "From", "MIME-Version", "Message-ID", "Subject", "To", "X-Unsent"])
            #expect((d["defects"] as? [String]) == [])
            #expect(d["to"] as? [[String]] == [[names[i], addresses[i]]])
            #expect(d["from"] as? [[String]] == [["Cronus, Norge", "post@cronus.example"]])
            #expect(d["subject"] as? String == "HeiBcc: victim@example.com — æøå ÆØÅ")
            #expect(d["parts"] as? [String] == ["multipart/alternative", "text/plain", "text/html"])
            #expect(d["crlf"] as? Bool == true)
            #expect((d["longest"] as? Int ?? 999) <= 78)
            let html = d["html"] as? String ?? ""
            #expect(!html.contains("<a") && !html.contains("<script") && !html.contains("<h1"), "\(html)")
        }
        #expect((drafts[0]["plain"] as? String ?? "").replacingOccurrences(of: "\r\n", with: "\n") == "Dear Hansen, Åse (Sir or Madam),\n\nYour city: Oslo. Hansen, Åse")
        #expect((drafts[2]["html"] as? String ?? "").contains("Your city: # Heading."))
        // Two builds are byte-equal.
        let first = try fm.contentsOfDirectory(atPath: mail).sorted().map { read(mail + $0) }
        try fm.removeItem(atPath: root + "/Output")
        #expect(try CLI.run(["build", "--root", root]).status == 0)
        #expect(try fm.contentsOfDirectory(atPath: mail).sorted().map { read(mail + $0) } == first)
    }

    @Test func aVariantWithoutFrontMatterIsJustABody() throws {
        var files = Self.hostileFiles
        files["Content/interaction-templates/NEWS.NOR.md"] = "Kjære {{name}},\n\nNyhetsbrev.\n"
        files["Content/contacts/C1.md"] = "---\nname: \"Hansen, Åse\"\ntype: company\nemail: ase@hansen.example\nlanguage: nor\n---\n"
        let root = try CLI.workspace(files)
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(try CLI.run(["check", "--root", root]).stderr.hasSuffix("checked 8 files: 1 warning\n"))
        #expect(try CLI.run(["build", "--root", root]).status == 0)
        let draft = try String(contentsOfFile: root + "/Output/interactions/B1-mail/C1.eml", encoding: .utf8)
        #expect(draft.contains("Kj=C3=A6re Hansen, =C3=85se,"), "\(draft)")
    }

    @Test func aBodyThatDoesNotParseIsACheckErrorAtItsPosition() throws {
        var files = Self.hostileFiles
        files["Content/interaction-templates/NEWS.md"] = "---\ndescription: Newsletter\ngroup: MAIL\n---\nDear {{name}},\n\n{{#city}}In {{city}}.\n"
        files["Content/interaction-templates/NEWS.NOR.md"] = "---\nsubject: Nyhetsbrev\ngroup: MAIL\n---\nKjære {{name\n"
        let root = try CLI.workspace(files)
        defer { try? fm.removeItem(atPath: root) }
        let check = try CLI.run(["check", "--root", root])
        #expect(check.status == 1)
        #expect(check.stderr.contains("Content/interaction-templates/NEWS.NOR.md:3:1: error: unknown key 'group'\n"))
        #expect(check.stderr.contains("Content/interaction-templates/NEWS.md:7:1: error: letter body: section 'city' opened at 3:1 is never closed\n")
                || check.stderr.contains("Content/interaction-templates/NEWS.md:7:1: error: letter body: section 'city'"), "\(check.stderr)")
        #expect(check.stderr.contains("Content/interaction-templates/NEWS.NOR.md:5:"), "\(check.stderr)")
    }

    /// A letter body includes no partial: not one of the site's templates, and not itself
    /// (`{{> body}}` twice would double the letter 64 times over); `build` refuses, at the tag.
    @Test func aBodyThatIncludesAPartialIsACheckError() throws {
        var files = Self.hostileFiles
        files["Content/interaction-templates/NEWS.md"] = "---\ndescription: Newsletter\ngroup: MAIL\n---\nDear {{name}},\n{{> body}}{{> body}}\n"
        files["Content/interaction-templates/NEWS.NOR.md"] = "---\nsubject: Nyhetsbrev\n---\nKjære {{name}},\n\n  {{> foot}}\n"
        let root = try CLI.workspace(files)
        defer { try? fm.removeItem(atPath: root) }
        let expected = """
            Content/interaction-templates/NEWS.NOR.md:6:3: error: letter body: a letter body cannot include partials ('foot')
            Content/interaction-templates/NEWS.md:6:1: error: letter body: a letter body cannot include partials ('body')
            Content/interaction-templates/NEWS.md:6:11: error: letter body: a letter body cannot include partials ('body')

            """
        let check = try CLI.run(["check", "--root", root])
        #expect(check.status == 1)
        #expect(check.stderr.contains(expected), "\(check.stderr)")
        let build = try CLI.run(["build", "--root", root])
        #expect(build.status == 1)
        #expect(build.stderr.contains(expected), "\(build.stderr)")
        #expect(!fm.fileExists(atPath: root + "/Output"))
    }

    /// `address_lines` is a list: sections over it nested in one another multiply (two lines
    /// 30 deep: a billion). Such a body stops, and `build` fails at it, writing nothing.
    @Test func aBodyThatRunsAwayFailsTheBuild() throws {
        var files = Self.hostileFiles
        let nested = String(repeating: "{{#address_lines}}", count: 30) + "{{.}}" + String(repeating: "{{/address_lines}}", count: 30)
        files["Content/interaction-templates/NEWS.md"] = "---\ndescription: Newsletter\ngroup: MAIL\n---\nDear {{name}},\n" + nested + "\n"
        files["Content/contacts/C1.md"] = "---\nname: Hansen\ntype: company\nemail: ase@hansen.example\naddress: Storgata 1\ncity: Oslo\n---\n"
        let root = try CLI.workspace(files)
        defer { try? fm.removeItem(atPath: root) }
        #expect(try CLI.run(["check", "--root", root]).status == 0)
        let build = try CLI.run(["build", "--root", root])
        #expect(build.status == 1)
        #expect(build.stderr.hasSuffix("Content/interaction-templates/NEWS.md:5:1: error: letter body: rendering the letter to C1 stopped: "
                + "it took more than 1 million list rows and partial calls, far more than any real page; does a section repeat a list inside itself?\n"
                + "1 error; Output/ was left as it was\n"), "\(build.stderr)")
        #expect(!fm.fileExists(atPath: root + "/Output"))
    }

    @Test func batchesWhoseFilesWouldCollideAreACheckError() throws {
        var files = Self.hostileFiles
        files["Content/interactions/B1-letters.md"] = "---\ndate: 2026-11-03\ntemplate: NEWS\ncontacts: [C1]\n---\n"
        let root = try CLI.workspace(files)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let check = try CLI.run(["check", "--root", root])
        #expect(check.status == 1)
        #expect(check.stderr.contains("Content/interactions/B1-letters.md:1:1: error: batch 'B1-letters' would write its page to interactions/B1-letters.html, the letters of batch B1 (Content/interactions/B1.md); rename one of the two\n"), "\(check.stderr)")
        #expect(try CLI.run(["build", "--root", root]).status == 1)
        #expect(!FileManager.default.fileExists(atPath: root + "/Output/interactions"))
    }
}
