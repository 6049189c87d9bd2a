import Foundation
import Testing
@testable import SegmarkKit

/// The committed Output/ is exactly what a build of the demo Content/ produces.
/// `UPDATE_GOLDEN=1 make test` refreshes it.
@Suite("Golden output", .serialized)
struct GoldenTests {
    static let repo = TestWorkspace.repositoryRoot

    func files(_ dir: String) -> [String: Data] {
        var out: [String: Data] = [:]
        guard let e = FileManager.default.enumerator(atPath: dir) else { return out }
        while let p = e.nextObject() as? String {
            var isDir: ObjCBool = false
            // The input fingerprint is build state, not a report (and ignored by git).
            if p == SiteBuilder.stateName { continue }
            if FileManager.default.fileExists(atPath: dir + "/" + p, isDirectory: &isDir), !isDir.boolValue {
                out[p] = FileManager.default.contents(atPath: dir + "/" + p)
            }
        }
        return out
    }

    @Test func demoOutputMatchesCommittedOutput() throws {
        let temp = NSTemporaryDirectory() + "segmark-golden-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: temp) }
        let report = try SiteBuilder().build(root: Self.repo, options: .init(today: Day("2000-01-01")!, output: temp))
        #expect(report.asOf == Day("2026-12-01")!)
        let built = files(temp)
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            _ = try SiteBuilder().build(root: Self.repo, options: .init(today: Day("2000-01-01")!))
        }
        let golden = files(Self.repo + "/Output")
        #expect(built.keys.sorted() == golden.keys.sorted())
        for (path, data) in built.sorted(by: { $0.key < $1.key }) {
            #expect(golden[path] == data, "Output/\(path) differs from a fresh build; run UPDATE_GOLDEN=1 make test")
        }
        #expect(built.count > 100)
    }

    @Test func twoBuildsAreByteEqualAndANoChangeBuildTouchesNothing() throws {
        let temp = NSTemporaryDirectory() + "segmark-twice-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: temp) }
        let first = try SiteBuilder().build(root: Self.repo, options: .init(today: Day("2000-01-01")!, output: temp))
        #expect(first.summary.changed == first.summary.pages)
        let fs = LocalFileSystem()
        let before = files(temp).keys.sorted().map { fs.modificationTime(temp + "/" + $0) }
        let bytes = files(temp)
        let second = try SiteBuilder().build(root: Self.repo, options: .init(today: Day("2000-01-01")!, output: temp))
        #expect(second.summary.changed == 0)
        #expect(second.summary.removed == 0)
        #expect(files(temp) == bytes)
        #expect(files(temp).keys.sorted().map { fs.modificationTime(temp + "/" + $0) } == before)
    }

    @Test func unchangedInputsSkipRenderingUnlessForcedOrAFileIsMissing() throws {
        let temp = NSTemporaryDirectory() + "segmark-skip-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: temp) }
        let options = SiteBuilder.Options(today: Day("2000-01-01")!, output: temp, toolIdentity: "test")
        let first = try SiteBuilder().build(root: Self.repo, options: options)
        #expect(!first.upToDate)
        let second = try SiteBuilder().build(root: Self.repo, options: options)
        #expect(second.upToDate)
        #expect(second.summary == OutputWriter.Summary(pages: first.summary.pages, changed: 0, removed: 0))
        // Another as-of date, format list or program is another input.
        var other = options
        other.asOf = Day("2026-12-02")!
        #expect(!(try SiteBuilder().build(root: Self.repo, options: other)).upToDate)
        #expect(!(try SiteBuilder().build(root: Self.repo, options: options)).upToDate)
        other = options
        other.toolIdentity = "a newer segmark"
        #expect(!(try SiteBuilder().build(root: Self.repo, options: other)).upToDate)
        // A deleted report is put back.
        try FileManager.default.removeItem(atPath: temp + "/segments/SM10001.html")
        let repaired = try SiteBuilder().build(root: Self.repo, options: other)
        #expect(!repaired.upToDate)
        #expect(repaired.summary.changed == 1)
        // --force renders (and writes nothing new).
        other.force = true
        let forced = try SiteBuilder().build(root: Self.repo, options: other)
        #expect(!forced.upToDate)
        #expect(forced.summary.changed == 0)
    }

    /// The quick check by file dates never hides a change, even one made in the same clock
    /// tick as the last build with the same file size.
    @Test func aSameSizeEditRightAfterABuildIsSeen() throws {
        let ws = try TestWorkspace(Dictionary(uniqueKeysWithValues: [
            contact("C1", name: "Anna"),
            ("Content/segments/S.md", "---\ncriteria:\n  - add: {}\n---\n"),
        ]))
        defer { ws.remove() }
        let options = SiteBuilder.Options(today: Day("2026-12-01")!, toolIdentity: "test")
        for name in ["Bert", "Cleo", "Dana", "Emil", "Finn"] {
            _ = try SiteBuilder().build(root: ws.root, options: options)
            let (path, text) = contact("C1", name: name)
            try text.write(toFile: ws.root + "/" + path, atomically: false, encoding: .utf8)
            let report = try SiteBuilder().build(root: ws.root, options: options)
            #expect(!report.upToDate)
            #expect(try String(contentsOfFile: ws.root + "/Output/contacts/C1.md", encoding: .utf8).contains(name))
        }
        // Touched but unchanged: up to date by content, then by file dates.
        let path = ws.root + "/Content/contacts/C1.md"
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -60)], ofItemAtPath: path)
        #expect(try SiteBuilder().build(root: ws.root, options: options).upToDate)
        let quick = try SiteBuilder().build(root: ws.root, options: options)
        #expect(quick.upToDate)
        #expect(quick.counts.first?.count == 0)  // no file was read
    }

    /// Every relative link and image in the demo's HTML points at a file Segmark wrote.
    @Test func everyRelativeLinkResolves() throws {
        let output = Self.repo + "/Output"
        let pages = files(output).filter { $0.key.hasSuffix(".html") }
        #expect(pages.count >= 80)
        let pattern = try NSRegularExpression(pattern: #"(?:href|src)="([^"]*)""#)
        var checked = 0
        for (page, data) in pages.sorted(by: { $0.key < $1.key }) {
            let html = String(decoding: data, as: UTF8.self)
            for match in pattern.matches(in: html, range: NSRange(html.startIndex..., in: html)) {
                let link = String(html[Range(match.range(at: 1), in: html)!])
                if link.hasPrefix("#") || link.contains(":") { continue }  // anchors, mailto:, https:, tel:
                let target = String(link.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0])
                let base = URL(fileURLWithPath: output + "/" + page).deletingLastPathComponent()
                let resolved = URL(fileURLWithPath: target.removingPercentEncoding ?? target, relativeTo: base).standardizedFileURL.path
                #expect(resolved.hasPrefix(output + "/"), "\(page): link \(link) leaves Output/")
                #expect(FileManager.default.fileExists(atPath: resolved), "\(page): link \(link) points at nothing")
                checked += 1
            }
        }
        #expect(checked > 400)
    }

    @Test func embeddedTemplatesMatchTemplatesFolder() throws {
        let onDisk = files(Self.repo + "/Templates").filter { !$0.key.hasPrefix(".") && !$0.key.contains("/.") }
        let embedded = Dictionary(uniqueKeysWithValues: BuiltinTemplates.files.map { ($0.path, Data($0.text.utf8)) })
        #expect(onDisk.keys.sorted() == embedded.keys.sorted(), "run make templates")
        for (path, data) in onDisk {
            #expect(embedded[path] == data, "Templates/\(path) differs from the embedded copy; run make templates")
        }
    }
}

/// Escaping and safety of every format: values from content never become markup (issue 4).
@Suite("Hostile content in reports")
struct HostileReportTests {
    @Test func scriptsNeverReachTheHTML() throws {
        let ws = try TestWorkspace([
            "Content/contacts/C1.md": "---\nname: \"<script>alert(1)</script> *Bold* | Pipe\"\ncity: \"=HYPERLINK(\\\"x\\\")\"\nwebsite: \"javascript:alert(1)\"\n---\n<script>alert(2)</script>\n<img src=x onerror=alert(3)>\n[click](javascript:alert(4))\n[data](data:text/html;base64,PHNjcmlwdD4=)\n![img](data:image/svg+xml,<svg/onload=alert(6)>)\n<a href=\"vbscript:x\" onclick=\"alert(7)\">a</a>\n",
            "Content/contacts/C2.md": "---\ntype: person\nname: \"x\\\" onmouseover=\\\"alert(8)\"\ncompany: C3\nemail: \"a@b.c\\\"><script>alert(9)</script>\"\nwebsite: \"data:text/html,<script>alert(10)</script>\"\n---\n",
            "Content/contacts/C3.md": "---\ntype: company\nname: \"<iframe src=javascript:alert(11)>\"\nwebsite: \" JaVaScRiPt:alert(12)\"\n---\n",
            "Content/segments/S.md": "---\ndescription: \"<b onmouseover=alert(5)>x</b>\"\ncriteria:\n  - add: {}\n---\n<iframe src=\"https://evil.example\"></iframe>\n",
        ])
        defer { ws.remove() }
        let out = ws.root + "/Output"
        _ = try SiteBuilder().build(root: ws.root, options: .init(today: Day("2026-12-01")!))
        let pages = try FileManager.default.subpathsOfDirectory(atPath: out).filter { $0.hasSuffix(".html") }.sorted()
        #expect(pages.count == 7)
        let handler = try NSRegularExpression(pattern: #"<[a-zA-Z][^>]*\son[a-zA-Z]+\s*="#)
        let scriptURL = try NSRegularExpression(pattern: #"(?i)(href|src)\s*=\s*"\s*(javascript|vbscript|data):"#)
        for page in pages {
            let html = try String(contentsOfFile: out + "/" + page, encoding: .utf8)
            let range = NSRange(html.startIndex..., in: html)
            #expect(!html.lowercased().contains("<script"), "\(page)")
            #expect(!html.lowercased().contains("<iframe"), "\(page)")
            #expect(!html.contains("<img"), "\(page)")
            #expect(handler.firstMatch(in: html, range: range) == nil, "\(page) has an event-handler attribute")
            #expect(scriptURL.firstMatch(in: html, range: range) == nil, "\(page) has a script URL")
        }
        let md = try String(contentsOfFile: out + "/segments/S.md", encoding: .utf8)
        #expect(md.contains("| [C1](../contacts/C1.md) | &lt;script&gt;alert(1)&lt;/script&gt; \\*Bold\\* \\| Pipe |") ||
                md.contains("| [C1](../contacts/C1.md) | \\<script\\>alert(1)\\</script\\> \\*Bold\\* \\| Pipe |"))
        let csv = try String(contentsOfFile: out + "/segments/S.csv", encoding: .utf8)
        #expect(csv.contains("\"'=HYPERLINK(\"\"x\"\")\""))
    }

    @Test func failedBuildLeavesOutputAsItWas() throws {
        let ws = try TestWorkspace([
            "Content/contacts/C1.md": "---\nname: A\n---\n",
            "Content/segments/S.md": "---\ndescription: D\ncriteria:\n  - add: {}\n---\n",
        ])
        defer { ws.remove() }
        _ = try SiteBuilder().build(root: ws.root, options: .init(today: Day("2026-12-01")!))
        try "keep me".write(toFile: ws.root + "/Output/mine.txt", atomically: true, encoding: .utf8)
        let before = try FileManager.default.subpathsOfDirectory(atPath: ws.root + "/Output").sorted()
        try "---\nname: [\n---\n".write(toFile: ws.root + "/Content/contacts/C1.md", atomically: true, encoding: .utf8)
        #expect(throws: ContentErrors.self) {
            try SiteBuilder().build(root: ws.root, options: .init(today: Day("2026-12-01")!))
        }
        #expect(try FileManager.default.subpathsOfDirectory(atPath: ws.root + "/Output").sorted() == before)
        // A removed segment's pages disappear; files Segmark did not write stay.
        try "---\nname: A\n---\n".write(toFile: ws.root + "/Content/contacts/C1.md", atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: ws.root + "/Content/segments/S.md")
        let report = try SiteBuilder().build(root: ws.root, options: .init(today: Day("2026-12-01")!))
        #expect(report.summary.removed == 4)
        #expect(!FileManager.default.fileExists(atPath: ws.root + "/Output/segments/S.html"))
        #expect(FileManager.default.fileExists(atPath: ws.root + "/Output/mine.txt"))
    }
}
