import Foundation
import Testing

/// Segments as SQL on real engines: for the demo, the trap fixtures (Tests/sql/traps: codes 9 vs 10,
/// `A_B`, `50%`, `@` on non-ASCII, empty vs missing, 29 February, empty segments, three deep)
/// and generated workspaces, every segment's query returns on SQLite, DuckDB and PostgreSQL
/// exactly what `segmark members` prints. Tests/sql/differential.py does the work; `make
/// setup` installs the engines.
@Suite("Segments on a database", .serialized)
struct SQLTests {
    static let generator: String = {
        let shared = CLI.repo + "/../shared/tools/gen-workspace.py"
        return FileManager.default.fileExists(atPath: shared) ? shared : CLI.repo + "/Tests/Fixtures/tools/gen-workspace.py"
    }()

    func python(_ args: [String]) throws -> Run {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3"] + args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    static let workspaces: [(name: String, seed: Int?)] = [("demo", nil), ("traps", nil), ("generated", 1), ("generated", 2)]

    @Test(arguments: ["sqlite", "duckdb", "postgres"])
    func everySegmentsRowsEqualMembers(dialect: String) throws {
        for (name, seed) in Self.workspaces {
            var root = name == "demo" ? CLI.repo : CLI.repo + "/Tests/sql/traps"
            if let seed {
                root = NSTemporaryDirectory() + "segmark-sql-gen-\(seed)-" + UUID().uuidString
                let gen = try python([Self.generator, root, "--contacts", "300", "--segments", "30", "--entries", "2000", "--seed", "\(seed)"])
                try #require(gen.status == 0, "\(gen.stderr)")
            }
            defer { if seed != nil { try? FileManager.default.removeItem(atPath: root) } }
            let r = try python([CLI.repo + "/Tests/sql/differential.py", "--bin", CLI.binary, "--root", root, "--dialect", dialect])
            #expect(r.status == 0, "\(dialect) on \(name) \(seed.map(String.init) ?? ""): \(r.stdout)\(r.stderr)")
            #expect(r.stdout.hasSuffix(" 0 differ\n"), "\(r.stdout)")
        }
    }

    @Test func theQueryIsOneSelectWithTheAsOfDateResolved() throws {
        let r = try CLI.run(["sql", "SM10004", "--dialect", "postgres", "--as-of", "2026-12-01"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("WITH\n"))
        #expect(r.stdout.hasSuffix("SELECT c.contact_id AS contact_id\nFROM segment_3 s\nJOIN contacts c ON c.contact_no = s.contact_no\nORDER BY c.contact_key;\n"))
        #expect(r.stdout.contains("'2025-12-01'"), "-1Y resolved against the as-of date")
        // A single-valued field is a predicate on its record's row, never a join (the typed
        // columns cut the DuckDB run of every segment at 100,000 contacts by a third).
        #expect(r.stdout.contains("FROM interaction_entries e WHERE e.contact_no = c.contact_no AND e.entry_date <= '2026-12-01' AND (e."))
        #expect(!r.stdout.contains("entry_values"))
        let first = try CLI.run(["sql", "SM10001", "--dialect", "sqlite", "--as-of", "2026-12-01"])
        #expect(first.stdout.contains("(c.country__value IS NOT NULL AND ((COALESCE(c.country__folded = 'no', FALSE)) OR (COALESCE(c.country__folded = 'gb', FALSE))))"))
        #expect(first.stdout.contains("v.contact_no = c.company_no AND v.field = 'business_relations'"), "codes stay rows, read through the company")
        // Widening to companies is one semi-join on a column: no step is read twice (Spark copies a CTE into each reader).
        #expect(first.stdout.contains("SELECT w.contact_no FROM contacts w\n  WHERE EXISTS (SELECT 1 FROM contacts c WHERE c.company_group = w.company_group AND ("))
        #expect(!first.stdout.contains("UNION ALL"))
        let entire = try CLI.run(["sql", "SM10002", "--dialect", "spark", "--as-of", "2026-12-01"]).stdout
        #expect(entire.contains("segment_1_step2 AS (\n  SELECT p.contact_no FROM segment_1_step1 p JOIN contacts w ON w.contact_no = p.contact_no\n  WHERE EXISTS (SELECT 1 FROM contacts c WHERE c.company_group = w.company_group AND ("))
        #expect(try CLI.run(["sql", "SM10004", "--dialect", "oracle"]).status == 2)
        #expect(try CLI.run(["sql", "NOPE", "--dialect", "sqlite"]).stderr.hasPrefix("error: no segment 'NOPE'"))
    }

    @Test func exportWritesTheTablesLoadScriptViewsAndReadme() throws {
        let dir = NSTemporaryDirectory() + "segmark-export-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try CLI.run(["export", "sql", dir, "--dialect", "sqlite"])
        #expect(r.status == 0, "\(r.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        #expect(names == ["README.md", "contact_values.csv", "contacts.csv", "interaction_entries.csv", "load.sql", "schema.sql", "segments.sql"])
        let views = try String(contentsOfFile: dir + "/segments.sql", encoding: .utf8)
        #expect(views.contains("CREATE VIEW segment_sm10001 AS\n"))
        let contacts = try String(contentsOfFile: dir + "/contacts.csv", encoding: .utf8)
        #expect(contacts.range(of: #"\r\nct100,[0-9]+,CT100,company,Fjordkraft Detalj AS,,ct100,([0-9]+),\1,0,HR,OSL,NO,NOR,Karl Johans gate 12,,Oslo,0150,"#, options: .regularExpression) != nil, "values as written (0150 stays 0150)")
        let readme = try String(contentsOfFile: dir + "/README.md", encoding: .utf8)
        #expect(readme.contains("## interaction_entries"))
    }
}
