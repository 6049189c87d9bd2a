import Foundation
import Testing
@testable import SegmarkKit

/// An incremental build gives exactly what a cold build gives: random sequences of edits to a
/// generated workspace (contacts, segments, batches, templates, codes.yml, segmark.yml, the
/// as-of date), each followed by an incremental build in one folder and a cold build in a new
/// one, compared file by file.
@Suite("Incremental builds", .serialized)
struct IncrementalBuildTests {
    let fm = FileManager.default

    func tree(_ dir: String) -> [String: Data] { GoldenTests().files(dir) }

    func files(_ dir: String) -> [String] {
        ((try? fm.subpathsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".md") }.sorted().map { dir + "/" + $0 }
    }

    func edit(_ path: String, _ change: (String) -> String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try change(text).write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// A generated workspace (seed 5) built once into an output folder of its own: the two
    /// folders, the options that build it again, and how many files that build rendered.
    func builtOnce() throws -> (root: String, out: String, options: SiteBuilder.Options, rendered: Int) {
        let root = try TestWorkspace.generated(contacts: 80, segments: 8, entries: 400, seed: 5)
        let out = NSTemporaryDirectory() + "segmark-inc-" + UUID().uuidString
        let options = SiteBuilder.Options(today: Day("2026-12-01")!, output: out)
        return (root, out, options, renderedCount(try SiteBuilder().build(root: root, options: options)))
    }

    func renderedCount(_ report: SiteBuilder.Report) -> Int { report.counts.first { $0.what == "files rendered" }!.count }

    @Test(arguments: [11, 12])
    func incrementalEqualsCold(seed: Int) throws {
        let root = try TestWorkspace.generated(contacts: 80, segments: 8, entries: 400, seed: seed)
        let incremental = NSTemporaryDirectory() + "segmark-inc-" + UUID().uuidString
        defer { try? fm.removeItem(atPath: root); try? fm.removeItem(atPath: incremental) }
        let edits = RandomEdits(root: root, seed: seed)
        var asOf: Day? = nil
        var log: [String] = []
        for step in 0..<14 {
            let edit = try edits.apply(step: step)
            log.append(edit.log)
            asOf = edit.asOf ?? asOf
            let today = Day("2026-12-01")!
            let incReport = try SiteBuilder().build(root: root, options: .init(asOf: asOf, today: today, output: incremental))
            let cold = NSTemporaryDirectory() + "segmark-cold-" + UUID().uuidString
            defer { try? fm.removeItem(atPath: cold) }
            // Cold: nothing kept from an earlier build, no record from the parse cache.
            _ = try SiteBuilder().build(root: root, options: .init(asOf: asOf, today: today, output: cold, force: true))
            let a = tree(incremental), b = tree(cold)
            #expect(a.keys.sorted() == b.keys.sorted(), "after \(log)")
            let differing = a.keys.filter { a[$0] != b[$0] }.sorted()
            #expect(differing.isEmpty, "after \(log): \(differing.prefix(5))")
            if step > 0 { #expect(incReport.upToDate || incReport.counts.contains { $0.what == "files rendered" }) }
        }
    }

    @Test func oneContactEditedRendersOnlyWhatShowsIt() throws {
        let (root, out, options, all) = try builtOnce()
        defer { try? fm.removeItem(atPath: root); try? fm.removeItem(atPath: out) }
        let contact = files(root + "/Content/contacts")[3]
        try edit(contact) { RandomEdits.replaceLine($0, key: "email", with: "someone.else@example.com") }
        let second = try SiteBuilder().build(root: root, options: options)
        let rendered = renderedCount(second)
        // Its own page in two formats, the sheets it is on, its directory page, the overview and the stylesheet.
        #expect(rendered * 5 < all, "\(rendered) of \(all)")
        #expect(second.summary.changed >= 1)
    }

    /// A contact added before all others (every other contact's place moves) or removed again
    /// renders its own pages, the contacts directory and the sheets it is on, not every page;
    /// and each build equals a cold build.
    @Test func aContactAddedOrRemovedRendersLittleElse() throws {
        let (root, out, options, all) = try builtOnce()
        defer { try? fm.removeItem(atPath: root); try? fm.removeItem(atPath: out) }
        let added = root + "/Content/contacts/AA0001.md"
        for change in ["add", "remove"] {
            if change == "add" {
                try "---\ntype: company\nname: Aardvark AS\ncountry: NO\nsalesperson: HR\n---\n".write(toFile: added, atomically: true, encoding: .utf8)
            } else {
                try fm.removeItem(atPath: added)
            }
            let report = try SiteBuilder().build(root: root, options: options)
            let rendered = renderedCount(report)
            #expect(rendered * 3 < all, "\(change): \(rendered) of \(all)")
            let cold = NSTemporaryDirectory() + "segmark-cold-" + UUID().uuidString
            defer { try? fm.removeItem(atPath: cold) }
            _ = try SiteBuilder().build(root: root, options: .init(today: Day("2026-12-01")!, output: cold, force: true))
            let a = tree(out), b = tree(cold)
            #expect(a.keys.sorted() == b.keys.sorted(), "\(change)")
            #expect(a.keys.filter { a[$0] != b[$0] }.sorted() == [], "\(change)")
        }
    }

    /// With no input changed, a build looks only at the folders of the output (and the files at
    /// its top): a file removed from a folder, or replaced by a link, changes the folder's time,
    /// and then the files of that folder are looked at, and the page is made again.
    @Test func aBuildWithNothingChangedLooksAtFoldersNotFiles() throws {
        let (root, out, _, _) = try builtOnce()
        defer { for dir in [root, out] { try? fm.removeItem(atPath: dir) } }
        let files = AgedFileSystem(.folders)
        let options = SiteBuilder.Options(today: Day("2026-12-01")!, output: out)
        // The first build by this file system records the folders' (aged) times.
        _ = try SiteBuilder(fileSystem: files).build(root: root, options: .init(today: Day("2026-12-01")!, output: out, force: true))
        files.looked = [:]
        #expect(try SiteBuilder(fileSystem: files).build(root: root, options: options).upToDate)
        let subfolders = files.looked.filter { $0.key.hasPrefix(out + "/") && $0.value > 0 }.keys
        #expect(subfolders.isEmpty, "files looked at one by one in \(subfolders.sorted().prefix(3))")
        #expect(files.looked[out, default: 0] > 0)  // the files at the top

        let mail = try fm.contentsOfDirectory(atPath: out + "/interactions").filter { $0.hasSuffix("-mail") }.sorted()[0]
        let folder = out + "/interactions/" + mail
        let draft = folder + "/" + (try fm.contentsOfDirectory(atPath: folder).sorted()[0])
        let original = try Data(contentsOf: URL(fileURLWithPath: draft))
        try fm.removeItem(atPath: draft)
        files.looked = [:]
        let again = try SiteBuilder(fileSystem: files).build(root: root, options: options)
        #expect(!again.upToDate)
        #expect(files.looked[folder, default: 0] > 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: draft)) == original)
        #expect(try SiteBuilder(fileSystem: files).build(root: root, options: options).upToDate)

        // A manifest changed since (a checkout, an edit) may list a file no folder ever held:
        // the folders do not vouch for it, every file is looked at.
        let manifest = out + "/" + OutputWriter.manifestName
        try (String(contentsOfFile: manifest, encoding: .utf8) + "0123456789abcdef contacts/GHOST.html\n")
            .write(toFile: manifest, atomically: true, encoding: .utf8)
        files.looked = [:]
        #expect(try !SiteBuilder(fileSystem: files).build(root: root, options: options).upToDate)
        #expect(files.looked[out + "/contacts", default: 0] > 0)
        #expect(!fm.fileExists(atPath: out + "/contacts/GHOST.html"))
    }

    /// A batch none of whose inputs changed is kept whole (its files are not rendered), unless
    /// one of its files is not as the last build left it: a draft edited by hand and a batch
    /// page deleted by hand are made again, and the output equals a cold build's.
    @Test func aBatchIsKeptWholeOnlyWhenEveryFileOfItIsAsLeft() throws {
        let (root, out, options, _) = try builtOnce()
        let cold = NSTemporaryDirectory() + "segmark-cold-" + UUID().uuidString
        defer { for dir in [root, out, cold] { try? fm.removeItem(atPath: dir) } }
        let interactions = out + "/interactions"
        let mailFolders = try fm.contentsOfDirectory(atPath: interactions).filter { $0.hasSuffix("-mail") }.sorted()
        let pagesOfBatches = try fm.contentsOfDirectory(atPath: interactions).filter { $0.hasSuffix(".html") && !$0.contains("-") }.sorted()
        try #require(mailFolders.count >= 2 && pagesOfBatches.count >= 3)
        let draft = interactions + "/" + mailFolders[1] + "/" + (try fm.contentsOfDirectory(atPath: interactions + "/" + mailFolders[1]).sorted()[0])
        let original = try Data(contentsOf: URL(fileURLWithPath: draft))
        try Data("edited by hand\r\n".utf8).write(to: URL(fileURLWithPath: draft))
        try fm.removeItem(atPath: interactions + "/" + pagesOfBatches[2])
        // A change elsewhere (a new contact in no batch), so that the build looks at its pages again.
        try "---\nid: ZZNEW1\ntype: company\nname: New Company AS\n---\n".write(toFile: root + "/Content/contacts/ZZNEW1.md", atomically: true, encoding: .utf8)
        let second = try SiteBuilder().build(root: root, options: options)
        #expect(try Data(contentsOf: URL(fileURLWithPath: draft)) == original)
        _ = try SiteBuilder().build(root: root, options: .init(today: Day("2026-12-01")!, output: cold, force: true))
        let a = tree(out), b = tree(cold)
        #expect(a.keys.sorted() == b.keys.sorted())
        #expect(a.keys.filter { a[$0] != b[$0] }.isEmpty)
        // The two batches touched by hand render again (all their files); no other batch does.
        let rendered = renderedCount(second)
        let batchFiles = a.keys.filter { $0.hasPrefix("interactions/") }.count
        #expect(rendered > 2 && rendered * 3 < batchFiles, "\(rendered) of \(batchFiles)")
    }

    /// What an edit of a contact's file reaches: its own page, and a campaign page only when
    /// the page lists the contact among its responses (the rest of it is figures) — else a
    /// contact in a campaign would re-render every campaign page at 1,000,000 entries.
    @Test func aContactsFileReachesACampaignPageOnlyThroughItsResponses() throws {
        let root = try TestWorkspace.generated(contacts: 80, segments: 8, entries: 400, seed: 7)
        defer { try? fm.removeItem(atPath: root) }
        let asOf = Day("2026-12-01")!
        func signatures() -> (campaigns: [UInt64], contacts: [UInt64]) {
            let model = WorkspaceLoader(fileSystem: LocalFileSystem()).load(root: root).model
            let evaluation = SegmentEvaluator(model: model, asOf: asOf).evaluate()
            let signatures = PageSignatures(model: model, evaluation: evaluation, global: 1)
            let contexts = PageContexts(model: model, evaluation: evaluation, formats: [.html])
            return (model.campaigns.indices.map { signatures.campaignPage($0, model: model, evaluation: evaluation, entries: contexts.entryIndices(campaign: $0)) },
                    model.contacts.indices.map { signatures.contactPage($0, evaluation: evaluation) })
        }
        let model = WorkspaceLoader(fileSystem: LocalFileSystem()).load(root: root).model
        let entries = SegmentEvaluator(model: model, asOf: asOf).evaluate().entries
        let responds = { (ci: Int) in entries.contains { $0.contact == ci && $0.campaignResponse && !$0.canceled } }
        // A contact with entries in a campaign and no response, then one that responded.
        let quiet = try #require(entries.first { $0.campaign != nil && !responds($0.contact) }?.contact)
        let responder = try #require(entries.first { $0.campaign != nil && responds($0.contact) }?.contact)
        let before = signatures()
        try edit(root + "/" + model.contacts[quiet].path) { RandomEdits.replaceLine($0, key: "email", with: "someone.else@example.com") }
        let afterQuiet = signatures()
        #expect(!before.campaigns.isEmpty)
        #expect(afterQuiet.campaigns == before.campaigns)
        #expect(afterQuiet.contacts[quiet] != before.contacts[quiet])
        try edit(root + "/" + model.contacts[responder].path) { RandomEdits.replaceLine($0, key: "name", with: "Someone Else") }
        let afterResponder = signatures()
        #expect(afterResponder.campaigns != afterQuiet.campaigns)
    }
}
