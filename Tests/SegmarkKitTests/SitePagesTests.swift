import Foundation
import Testing
@testable import SegmarkKit

/// `serve` renders a page when it is asked for: the page a path names must be the page the
/// build writes at that path, byte for byte, and a path the build does not write names nothing.
@Suite("Pages found by path")
struct SitePagesTests {
    func files(_ dir: String) -> [String: [UInt8]] {
        var out: [String: [UInt8]] = [:]
        guard let e = FileManager.default.enumerator(atPath: dir) else { return out }
        while let p = e.nextObject() as? String {
            var isDir: ObjCBool = false
            if p == SiteBuilder.stateName || p == OutputWriter.manifestName { continue }
            if FileManager.default.fileExists(atPath: dir + "/" + p, isDirectory: &isDir), !isDir.boolValue {
                out[p] = FileManager.default.contents(atPath: dir + "/" + p).map { [UInt8]($0) }
            }
        }
        return out
    }

    func site(_ root: String, formats: [Settings.Format]) throws -> SitePages {
        let check = WorkspaceCheck(root: root)
        #expect(!check.hasErrors)
        let templates = try TemplateLibrary.load(root: root, settings: check.model.settings, fileSystem: LocalFileSystem()).get()
        let asOf = check.model.settings.asOf ?? Day("2026-12-01")!
        let evaluation = SegmentEvaluator(model: check.model, asOf: asOf).evaluate()
        return SitePages(model: check.model, evaluation: evaluation, templates: templates, formats: formats)
    }

    func everyBuiltPageIsFoundByItsPath(root: String, formats: [Settings.Format]) throws {
        let out = NSTemporaryDirectory() + "segmark-pages-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: out) }
        _ = try SiteBuilder().build(root: root, options: .init(today: Day("2026-12-01")!, output: out, formats: formats))
        let built = files(out)
        let pages = try site(root, formats: formats)
        #expect(built.count > 50)
        for (path, bytes) in built.sorted(by: { $0.key < $1.key }) {
            guard let ref = pages.ref(for: path) else {
                Issue.record("no page for \(path)")
                continue
            }
            #expect(try pages.bytes(ref) == bytes, "\(path)")
        }
    }

    @Test func demoPagesAreFoundByPath() throws {
        try everyBuiltPageIsFoundByItsPath(root: TestWorkspace.repositoryRoot, formats: [.html, .md])
    }

    @Test func generatedPagesAreFoundByPathInOneFormat() throws {
        let root = try TestWorkspace.generated(contacts: 1200, segments: 8, entries: 3000, seed: 5)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try everyBuiltPageIsFoundByItsPath(root: root, formats: [.md])
    }

    @Test func pathsTheBuildDoesNotWriteNameNothing() throws {
        let pages = try site(TestWorkspace.repositoryRoot, formats: [.html])
        let model = pages.model
        let contact = model.contacts[0].id, segment = model.segments[0].id, batch = model.batches[0].id
        #expect(pages.ref(for: "contacts/\(contact).html") != nil)
        for path in ["contacts/\(contact.lowercased()).html", "contacts/\(contact).md", "contacts/\(contact)", "contacts-1.html",
                     "contacts-0.html", "contacts-2.html", "segments/\(segment).pdf", "segments/\(segment.lowercased()).csv",
                     "segments/\(segment)-labels.md", "interactions/\(batch).md", "interactions/\(batch)-mail/NOBODY.eml",
                     "interactions/NOPE.html", "index.md", "", "assets/none.css", "campaigns/.html", "nowhere/\(contact).html"] {
            #expect(pages.ref(for: path) == nil, "\(path)")
        }
    }

    /// An e-mail draft is named by its contact's id, made safe where Windows refuses a name.
    @Test func draftNamesAvoidWindowsDeviceNames() {
        let cases: [(String, String)] = [
            ("CT000123", "CT000123"), ("CON", "CON_"), ("con", "con_"), ("Nul.txt", "Nul.txt_"), ("aux.tar.gz", "aux.tar.gz_"),
            ("COM1", "COM1_"), ("lpt9.x", "lpt9.x_"), ("COM¹", "COM¹_"), ("COMX", "COMX"), ("CONS", "CONS"), ("CO", "CO"),
            ("PRN-1", "PRN-1"), ("a.", "a._"), ("CT.", "CT._"), ("ÆON", "ÆON"), ("LPT", "LPT"),
        ]
        for (id, name) in cases { #expect(BatchPages.safeName(id) == name, "\(id)") }
    }
}
