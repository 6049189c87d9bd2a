import Foundation
import Testing
@testable import SegmarkKit

@Suite("Parse cache", .serialized)
struct ParseCacheTests {
    let fm = FileManager.default
    let today = Day("2026-12-01")!

    /// Each stored property of a record, described (a dictionary by sorted keys).
    func described(_ value: Any) -> [(String, String)] {
        var mirror = Mirror(reflecting: value)
        // A contact keeps its values in one storage object.
        if mirror.children.count == 1, let only = mirror.children.first, only.label == "storage" { mirror = Mirror(reflecting: only.value) }
        return mirror.children.map { child in
            if let d = child.value as? [String: SegmarkKit.SourceLocation] {
                return (child.label ?? "", d.keys.sorted().map { "\($0)=\(d[$0]!)" }.joined(separator: ","))
            }
            return (child.label ?? "", String(describing: child.value))
        }
    }

    /// `sample` reads back as itself, and sets every property (differs from `blank` in each),
    /// so a property added to the record but not to the cache's format fails here.
    func expectRoundTrip(_ sample: Any, _ back: Any, blank: Any, _ what: String) {
        let a = described(sample), b = described(back), z = described(blank)
        #expect(a.map(\.0) == z.map(\.0))
        for ((label, value), (_, empty)) in zip(a, z) { #expect(value != empty, "\(what).\(label) is not set by the sample") }
        #expect(a.map(\.0) == b.map(\.0))
        for ((label, value), (_, read)) in zip(a, b) { #expect(read == value, "\(what).\(label)") }
    }

    func location(_ line: Int, _ path: String = "Content/x.md") -> SegmarkKit.SourceLocation { SegmarkKit.SourceLocation(path: path, line: line, column: line + 2) }

    func values(_ n: Int) -> InteractionValues {
        var v = InteractionValues()
        v.campaign = Located("CP\(n)", at: location(30 + n))
        v.campaignTarget = true
        v.campaignResponse = false
        v.description = "Description \(n) «æøå»"
        v.subject = "Subject \(n)"
        v.salesperson = "AB"
        v.informationFlow = .inbound
        v.initiatedBy = .them
        v.correspondenceType = .email
        v.cost = Decimal(string: "12.50")
        v.duration = Decimal(string: "-0.0001")
        v.evaluation = .veryNegative
        v.attemptFailed = true
        v.language = "NOR"
        return v
    }

    @Test func everyPropertyOfAContactAndABatchReadsBackAsWritten() throws {
        let path = "Content/contacts/CT1.md"
        var c = Contact(id: "CT1", path: path, idLocation: location(2, path), type: .person, name: "Ærlig \"Navn\"\nline")
        c.company = Located("K1", at: location(4, path))
        var v = ContactValues()
        for (i, field) in ContactField.allCases.enumerated() { v[field] = "value \(i) \u{301}" }
        c.values = v
        c.locations = ["name": location(3, path), "city": location(9, "elsewhere.md")]
        c.correspondenceType = .hardCopy
        c.industryGroups = ["MAN", "RET"]
        c.businessRelations = ["BANK"]
        c.mailingGroups = ["XMAS", ""]
        c.jobResponsibilities = ["SALES"]
        c.profile = [(question: "customer-rating", answers: ["C"]), (question: "employees", answers: ["500-999", "x"])]
        c.excludeFromSegments = true
        c.created = Day("2024-02-29")
        c.fields = [(name: "vat_no", value: "NO 123"), (name: "z", value: "")]
        c.body = "Body with *markdown*\n"
        let diagnostics = [Diagnostic.warning("a warning", at: location(5, path)), .error("an error elsewhere", at: location(1, "Content/other.md"))]
        let stamp = FileStatus(kind: .file, size: 1234, modified: 1_700_000_000_123_456_789, changed: -5, inode: .max)
        var w = ByteWriter()
        RecordCoding.entry(path, .init(hash: 0xDEAD_BEEF_0123_4567, stamp: stamp, variantOf: nil, decoded: .contact(c), diagnostics: diagnostics), into: &w)
        var r = ByteReader(w.bytes)
        let (readPath, entry) = try RecordCoding.entry(from: &r)
        #expect(r.atEnd)
        #expect(readPath == path)
        #expect(entry.hash == 0xDEAD_BEEF_0123_4567)
        #expect(entry.stamp == stamp)
        #expect(entry.diagnostics == diagnostics)
        guard case .contact(let back)? = entry.decoded else { Issue.record("not a contact"); return }
        expectRoundTrip(c, back, blank: Contact(id: "", path: "", idLocation: SegmarkKit.SourceLocation(path: "", line: 0, column: 0), type: .company, name: ""),
                        "contact")

        let batchPath = "Content/interactions/B1.md"
        var b = InteractionBatch(id: "B1", path: batchPath, idLocation: location(2, batchPath))
        b.date = Day("2026-01-31")
        b.template = Located("T1", at: location(3, batchPath))
        b.segment = Located("S1", at: location(4, batchPath))
        b.canceled = true
        b.canceledLocation = location(5, batchPath)
        b.values = values(1)
        b.contacts = [Located("CT1", at: location(7, batchPath)), Located("CT2", at: location(8, batchPath))]
        b.entries = [InteractionBatch.EntryOverride(contact: Located("CT3", at: location(9, batchPath)), values: values(2))]
        b.body = "Letter body\n"
        w = ByteWriter()
        RecordCoding.entry(batchPath, .init(hash: 1, stamp: stamp, variantOf: nil, decoded: .batch(b), diagnostics: []), into: &w)
        r = ByteReader(w.bytes)
        guard case .batch(let bb)? = try RecordCoding.entry(from: &r).1.decoded else { Issue.record("not a batch"); return }
        expectRoundTrip(b, bb, blank: InteractionBatch(id: "", path: "", idLocation: SegmarkKit.SourceLocation(path: "", line: 0, column: 0)), "batch")
        expectRoundTrip(b.values, bb.values, blank: InteractionValues(), "batch.values")
        expectRoundTrip(b.entries[0].values, bb.entries[0].values, blank: InteractionValues(), "entry.values")
    }

    /// Bytes cut short or changed anywhere never crash the reader: they read as an error or as
    /// some record, never past the end.
    @Test func damagedBytesNeverCrashTheReader() throws {
        let path = "Content/contacts/CT1.md"
        var c = Contact(id: "CT1", path: path, idLocation: location(2, path), type: .company, name: "Name")
        c.industryGroups = ["A", "B"]
        var w = ByteWriter()
        RecordCoding.entry(path, .init(hash: 7, stamp: FileStatus(kind: .file, size: 1, modified: 2), variantOf: nil, decoded: .contact(c), diagnostics: []),
                           into: &w)
        let good = w.bytes
        for cut in 0..<good.count {
            var r = ByteReader(Array(good.prefix(cut)))
            #expect(throws: ByteReader.Malformed.self) { _ = try RecordCoding.entry(from: &r) }
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            var bad = good
            bad[Int.random(in: 0..<bad.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            var r = ByteReader(bad)
            _ = try? RecordCoding.entry(from: &r)
        }
    }

    /// After one contact changed, a build reads that file and the kinds the cache does not
    /// keep (segments, campaigns, templates), takes every other contact and batch from the
    /// cache, and makes exactly what a cold build makes, warnings included.
    @Test func aBuildReadsOnlyWhatChangedAndMakesWhatAColdBuildMakes() throws {
        let root = try TestWorkspace.generated(contacts: 60, segments: 6, entries: 300, seed: 21)
        let out = NSTemporaryDirectory() + "segmark-pc-" + UUID().uuidString
        let cold = NSTemporaryDirectory() + "segmark-pc-cold-" + UUID().uuidString
        defer { for d in [root, out, cold] { try? fm.removeItem(atPath: d) } }
        // A person with a key that draws a warning: its warning must come back from the cache too.
        let contacts = try fm.contentsOfDirectory(atPath: root + "/Content/contacts").sorted()
        let person = try contacts.first { try String(contentsOfFile: root + "/Content/contacts/" + $0, encoding: .utf8).contains("type: person") }!
        let personPath = root + "/Content/contacts/" + person
        let text = try String(contentsOfFile: personPath, encoding: .utf8)
        try text.replacingOccurrences(of: "type: person\n", with: "type: person\nindustry_groups: [MAN]\n").write(toFile: personPath, atomically: true, encoding: .utf8)

        // A segment file (not kept by the cache) is the newest file: every contact and batch is
        // older by more than the moments a build distrusts.
        let aged = AgedFileSystem()
        let segments = try fm.contentsOfDirectory(atPath: root + "/Content/segments").sorted()
        aged.fresh = [root + "/Content/segments/" + segments[0]]
        let first = try SiteBuilder(fileSystem: aged).build(root: root, options: .init(today: today, output: out))
        #expect(fm.fileExists(atPath: root + "/" + ParseCache.folderName + "/" + ParseCache.fileName))
        let all = first.counts.first { $0.what == "files read" }!.count

        let edited = root + "/Content/contacts/" + contacts[4]
        let before = try String(contentsOfFile: edited, encoding: .utf8)
        try RandomEdits.replaceLine(before, key: "name", with: "\"Renamed Contact\"").write(toFile: edited, atomically: true, encoding: .utf8)
        aged.fresh.insert(edited)
        let second = try SiteBuilder(fileSystem: aged).build(root: root, options: .init(today: today, output: out))
        let uncached = ["segments", "campaigns", "interaction-templates"].reduce(0) { n, folder in
            n + ((try? fm.subpathsOfDirectory(atPath: root + "/Content/" + folder)) ?? []).filter { $0.hasSuffix(".md") }.count
        }
        #expect(second.counts.first { $0.what == "files read" }!.count == 1 + uncached, "of \(all)")

        let reference = try SiteBuilder().build(root: root, options: .init(today: today, output: cold, force: true))
        let a = GoldenTests().files(out), b = GoldenTests().files(cold)
        #expect(a.keys.sorted() == b.keys.sorted())
        #expect(a.keys.filter { a[$0] != b[$0] }.sorted().isEmpty)
        #expect(second.warnings.map(\.description) == reference.warnings.map(\.description))
        #expect(second.warnings.contains { $0.message.contains("industry_groups on a person is ignored") && $0.location.path.hasSuffix(person) })
    }

    /// `members`, `explain` and `check` read the build's parse cache (never write it): what
    /// they see is what parsing every file gives, before and after an edit, warnings included.
    @Test func readOnlyCommandsTakeRecordsFromTheCache() throws {
        let root = try TestWorkspace.generated(contacts: 60, segments: 6, entries: 300, seed: 22)
        let out = NSTemporaryDirectory() + "segmark-pc-ro-" + UUID().uuidString
        defer { for d in [root, out] { try? fm.removeItem(atPath: d) } }
        let aged = AgedFileSystem()
        let segments = try fm.contentsOfDirectory(atPath: root + "/Content/segments").sorted()
        aged.fresh = [root + "/Content/segments/" + segments[0]]
        _ = try SiteBuilder(fileSystem: aged).build(root: root, options: .init(today: today, output: out))
        let cachePath = root + "/" + ParseCache.folderName + "/" + ParseCache.fileName
        let written = try fm.attributesOfItem(atPath: cachePath)[.modificationDate] as? Date

        func same(_ a: WorkspaceCheck, _ b: WorkspaceCheck) -> Bool {
            let ea = SegmentEvaluator(model: a.model, asOf: today).evaluate(), eb = SegmentEvaluator(model: b.model, asOf: today).evaluate()
            return a.diagnostics.map(\.description) == b.diagnostics.map(\.description)
                && a.model.contacts.map(\.name) == b.model.contacts.map(\.name)
                && ea.results.map { $0?.members.indices } == eb.results.map { $0?.members.indices }
        }
        let cached = WorkspaceCheck(root: root, fileSystem: aged, parseCacheOf: "")
        let kept = ["contacts", "interactions"].reduce(0) { n, folder in
            n + ((try? fm.subpathsOfDirectory(atPath: root + "/Content/" + folder)) ?? []).filter { $0.hasSuffix(".md") }.count
        }
        #expect(kept > 60)
        #expect(cached.filesReused == kept, "every contact and batch from the cache")
        #expect(same(cached, WorkspaceCheck(root: root)))
        // Another program's cache is not read.
        #expect(WorkspaceCheck(root: root, fileSystem: aged, parseCacheOf: "another segmark").filesReused == 0)

        // One contact renamed, another given a key that is an error: both are read again.
        let contacts = try fm.contentsOfDirectory(atPath: root + "/Content/contacts").sorted()
        let renamed = root + "/Content/contacts/" + contacts[3], broken = root + "/Content/contacts/" + contacts[5]
        try RandomEdits.replaceLine(try String(contentsOfFile: renamed, encoding: .utf8), key: "name", with: "\"Renamed\"")
            .write(toFile: renamed, atomically: true, encoding: .utf8)
        try String(contentsOfFile: broken, encoding: .utf8).replacingOccurrences(of: "---\nid:", with: "---\ncreated: 2026-02-30\nid:")
            .write(toFile: broken, atomically: true, encoding: .utf8)
        aged.fresh.formUnion([renamed, broken])
        let after = WorkspaceCheck(root: root, fileSystem: aged, parseCacheOf: "")
        #expect(same(after, WorkspaceCheck(root: root)))
        #expect(after.model.contacts.contains { $0.name == "Renamed" })
        #expect(after.hasErrors)
        #expect(try fm.attributesOfItem(atPath: cachePath)[.modificationDate] as? Date == written, "read, never written")
    }

    /// A build that parsed a few files beside the cache does not write the whole cache again:
    /// the next build parses those files again, and makes what a cold build makes. Past
    /// `reparsedBeforeRewrite` files parsed again, or with a file added, the cache is rewritten.
    @Test func aFewEditedFilesAreParsedAgainRatherThanTheCacheRewritten() throws {
        let root = try TestWorkspace.generated(contacts: 90, segments: 4, entries: 120, seed: 24)
        let out = NSTemporaryDirectory() + "segmark-pc-" + UUID().uuidString
        let cold = NSTemporaryDirectory() + "segmark-pc-cold-" + UUID().uuidString
        defer { for d in [root, out, cold] { try? fm.removeItem(atPath: d) } }
        let contacts = try fm.contentsOfDirectory(atPath: root + "/Content/contacts").sorted().map { root + "/Content/contacts/" + $0 }
        let aged = AgedFileSystem()
        aged.fresh = [root + "/Content/segments/" + (try fm.contentsOfDirectory(atPath: root + "/Content/segments")).sorted()[0]]
        let cachePath = root + "/" + ParseCache.folderName + "/" + ParseCache.fileName
        let uncached = ["segments", "campaigns", "interaction-templates"].reduce(0) { n, folder in
            n + ((try? fm.subpathsOfDirectory(atPath: root + "/Content/" + folder)) ?? []).filter { $0.hasSuffix(".md") }.count
        }
        func build() throws -> Int {
            let report = try SiteBuilder(fileSystem: aged).build(root: root, options: .init(today: today, output: out))
            return report.counts.first { $0.what == "files read" }!.count - uncached
        }
        func rename(_ path: String, _ name: String) throws {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            try RandomEdits.replaceLine(text, key: "name", with: "\"\(name)\"").write(toFile: path, atomically: true, encoding: .utf8)
        }
        _ = try build()
        let written = try aged.read(cachePath)
        let records = try ParseCache(fileSystem: aged, root: root, toolIdentity: "").decode(written).entries.count
        #expect(ParseCache.reparsedBeforeRewrite(records: records) == 64)

        try rename(contacts[3], "First Edit")
        #expect(try build() == 1)
        #expect(try aged.read(cachePath) == written, "one file parsed again: the cache stays as it was")
        try rename(contacts[7], "Second Edit")
        #expect(try build() == 2, "the first edited file is parsed again, beside the second")
        #expect(try aged.read(cachePath) == written)

        // 65 files parsed again: the cache is written anew, and the next build reads one file.
        for n in 10..<73 { try rename(contacts[n], "Edit \(n)") }
        #expect(try build() == 65)
        #expect(try aged.read(cachePath) != written)
        try rename(contacts[80], "After The Rewrite")
        #expect(try build() == 1)
        // (A cold build writes the cache too: it comes last.)
        _ = try SiteBuilder().build(root: root, options: .init(today: today, output: cold, force: true))
        let a = GoldenTests().files(out), b = GoldenTests().files(cold)
        #expect(a.keys.sorted() == b.keys.sorted())
        #expect(a.keys.filter { a[$0] != b[$0] }.sorted().isEmpty)
    }

    /// A cache that does not read back whole, or was made by another program, is not used.
    @Test func aDamagedOrForeignCacheIsIgnored() throws {
        let root = try TestWorkspace.generated(contacts: 30, segments: 4, entries: 100, seed: 22)
        defer { try? fm.removeItem(atPath: root) }
        let aged = AgedFileSystem()
        aged.fresh = [root + "/Content/segments/" + (try fm.contentsOfDirectory(atPath: root + "/Content/segments")).sorted()[0]]
        let cache = ParseCache(fileSystem: aged, root: root, toolIdentity: "segmark test")
        let raw = WorkspaceLoader(fileSystem: aged).read(root: root, reusing: WorkspaceLoader.DecodeCache())
        let decoded = WorkspaceLoader.DecodeCache()
        _ = WorkspaceLoader(fileSystem: aged).decode(raw, cache: decoded)
        cache.save(decoded)
        let bytes = try aged.read(cache.path)
        #expect(cache.load()?.entries.count == ParseCache.keptCount(decoded))
        let batches = try fm.subpathsOfDirectory(atPath: root + "/Content/interactions").filter { $0.hasSuffix(".md") }
        #expect(ParseCache.keptCount(decoded) == 30 + batches.count)
        #expect(ParseCache(fileSystem: aged, root: root, toolIdentity: "another segmark").load() == nil)
        for damaged in [Array(bytes.dropLast()), bytes + [0], Array(bytes.prefix(10)), [UInt8](repeating: 0xFF, count: 64)] {
            try aged.writeAtomically(damaged, to: cache.path)
            #expect(cache.load() == nil)
        }
    }

    /// Content arrives in pull requests: a `.segmark-cache` that is a symbolic link is neither
    /// read nor written through.
    @Test func aCacheFolderThatIsALinkIsNeitherReadNorWritten() throws {
        let root = try TestWorkspace.generated(contacts: 20, segments: 3, entries: 60, seed: 23)
        let elsewhere = NSTemporaryDirectory() + "segmark-elsewhere-" + UUID().uuidString
        let out = NSTemporaryDirectory() + "segmark-pc-" + UUID().uuidString
        defer { for d in [root, elsewhere, out] { try? fm.removeItem(atPath: d) } }
        let aged = AgedFileSystem()
        aged.fresh = [root + "/Content/segments/" + (try fm.contentsOfDirectory(atPath: root + "/Content/segments")).sorted()[0]]
        let cache = ParseCache(fileSystem: aged, root: root, toolIdentity: "")
        _ = try SiteBuilder(fileSystem: aged).build(root: root, options: .init(today: today, output: out))
        #expect((cache.load()?.entries.count ?? 0) > 20)
        // The cache moves elsewhere, and a link to it takes its place.
        try fm.moveItem(atPath: cache.folder, toPath: elsewhere)
        try fm.createSymbolicLink(atPath: cache.folder, withDestinationPath: elsewhere)
        let before = try aged.read(elsewhere + "/" + ParseCache.fileName)
        // The cache folder also holds the rows of the sheets (`RowRecords`): none is written through the link either.
        func everything() throws -> [String: Data] {
            var files: [String: Data] = [:]
            for path in try fm.subpathsOfDirectory(atPath: elsewhere) where aged.kind(of: elsewhere + "/" + path) == .file {
                files[path] = try Data(contentsOf: URL(fileURLWithPath: elsewhere + "/" + path))
            }
            return files
        }
        let everythingBefore = try everything()
        #expect(everythingBefore.keys.contains { $0.hasPrefix(RowRecords.folderName + "/") })
        #expect(cache.load() == nil)
        try RandomEdits.replaceLine(try String(contentsOfFile: root + "/Content/contacts/CT000001.md", encoding: .utf8), key: "name", with: "\"Other\"")
            .write(toFile: root + "/Content/contacts/CT000001.md", atomically: true, encoding: .utf8)
        _ = try SiteBuilder(fileSystem: aged).build(root: root, options: .init(today: today, output: out))
        #expect(try fm.contentsOfDirectory(atPath: elsewhere).sorted() == [ParseCache.fileName, RowRecords.folderName])
        #expect(try aged.read(elsewhere + "/" + ParseCache.fileName) == before)
        #expect(try everything() == everythingBefore)

        // A real folder whose cache file is a link to a file elsewhere: not read, and the
        // next cache replaces the link (the file it named is untouched).
        try fm.removeItem(atPath: cache.folder)
        try fm.createDirectory(atPath: cache.folder, withIntermediateDirectories: false)
        try fm.createSymbolicLink(atPath: cache.path, withDestinationPath: elsewhere + "/" + ParseCache.fileName)
        #expect(cache.load() == nil)
        try RandomEdits.replaceLine(try String(contentsOfFile: root + "/Content/contacts/CT000001.md", encoding: .utf8), key: "name", with: "\"Third\"")
            .write(toFile: root + "/Content/contacts/CT000001.md", atomically: true, encoding: .utf8)
        _ = try SiteBuilder(fileSystem: aged).build(root: root, options: .init(today: today, output: out))
        #expect(aged.kind(of: cache.path) == .file)
        #expect(try aged.read(elsewhere + "/" + ParseCache.fileName) == before)
    }
}

/// A contact's field locations are held compactly; they answer as a table by key would.
@Suite("Field locations")
struct FieldLocationTests {
    @Test func locationsAnswerAsATableWould() {
        var held = FieldLocations(), table: [String: SegmarkKit.SourceLocation] = [:]
        var generator = SystemRandomNumberGenerator()
        let keys = ["city", "name", "industry_groups.0", "industry_groups.10", "industry_groups.2", "profile.æ", "profile.a.answers", "", "Z"]
        for _ in 0..<2_000 {
            let key = keys.randomElement(using: &generator)!
            let path = ["Content/contacts/CT1.md", "elsewhere.md"].randomElement(using: &generator)!
            let line = [1, 7, Int(Int32.max) + 1].randomElement(using: &generator)!
            let value: SegmarkKit.SourceLocation? = Int.random(in: 0..<5, using: &generator) == 0 ? nil
                : SegmarkKit.SourceLocation(path: path, line: line, column: 3)
            held[key] = value
            table[key] = value
            #expect(held[key] == table[key], "\(key)")
        }
        #expect(held.keys == table.keys.sorted(by: Text.codePointLess))
        for key in keys { #expect(held[key] == table[key], "\(key)") }
        var same = FieldLocations()
        for key in table.keys.sorted().reversed() { same[key] = table[key] }
        #expect(same == held)
        #expect(held.isEmpty == table.isEmpty)
    }
}
