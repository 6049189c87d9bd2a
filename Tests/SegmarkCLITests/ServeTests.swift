import Foundation
import Testing

/// `segmark serve` as a process on a free port: pages from memory, edits picked up and
/// re-rendered, errors shown over the last good pages, HTTP details, traversal refused, a
/// concurrent load without errors, and a clean stop on SIGTERM.
@Suite("segmark serve", .serialized)
struct ServeTests {
    let fm = FileManager.default

    struct Server {
        let process: Process
        let port: Int
        let output: Pipe
    }

    func start(_ root: String) throws -> Server {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLI.binary)
        p.arguments = ["serve", "--port", "0", "--root", root]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        // The first lines: a build summary, then "Serving ROOT at http://127.0.0.1:PORT/ …".
        var text = ""
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, !text.contains("Serving ") || !text.contains("/ (") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        let port = text.range(of: "http://127.0.0.1:").map { Int(text[$0.upperBound...].prefix { $0.isNumber }) ?? 0 } ?? 0
        try #require(port > 0, "no address printed: \(text)")
        return Server(process: p, port: port, output: out)
    }

    struct Reply: Decodable {
        var status: Int
        var headers: [String: String]
        var body: String
    }

    /// Requests (method, path, If-None-Match or "-") sent as written.
    func get(_ port: Int, _ requests: [(String, String, String)]) throws -> [Reply] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", CLI.repo + "/Tests/serve/get.py", String(port)] + requests.flatMap { [$0.0, $0.1, $0.2] }
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return try JSONDecoder().decode([Reply].self, from: data)
    }

    func page(_ port: Int, _ path: String) throws -> String { try get(port, [("GET", path, "-")])[0].body }

    /// Polls until `condition` holds for the page, up to `seconds`; the time it took.
    func waitFor(_ port: Int, _ path: String, seconds: Double, _ condition: (String) -> Bool) throws -> Double? {
        let start = Date()
        while Date().timeIntervalSince(start) < seconds {
            if condition(try page(port, path)) { return Date().timeIntervalSince(start) }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return nil
    }

    func edit(_ path: String, _ change: (String) -> String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try change(text).write(toFile: path, atomically: false, encoding: .utf8)
    }

    @Test func servesEditsErrorsAndStopsCleanly() throws {
        let root = try CLI.demoCopy()
        defer { try? fm.removeItem(atPath: root) }
        let server = try start(root)
        defer { if server.process.isRunning { server.process.terminate() } }
        let port = server.port

        let replies = try get(port, [("GET", "/", "-"), ("GET", "/segments/SM10001.md", "-"), ("GET", "/segments/SM10001.csv", "-"),
                                     ("GET", "/assets/style.css", "-"), ("HEAD", "/contacts/CT100.html", "-"),
                                     ("GET", "/interactions/SM10003-2026-05-15-mail/CT101.eml", "-"), ("GET", "/nope.html", "-"),
                                     ("POST", "/", "-")])
        #expect(replies.map(\.status) == [200, 200, 200, 200, 200, 200, 404, 405])
        #expect(replies[0].headers["content-type"] == "text/html; charset=utf-8")
        #expect(replies[0].body.contains("<title>Overview · Cronus Norge — Relationship Management</title>"))
        #expect(replies[0].body.contains("/__segmark/changes"), "the reload script is injected when serving")
        #expect(replies[1].headers["content-type"] == "text/markdown; charset=utf-8")
        #expect(replies[1].body.hasPrefix("# Segment SM10001"))
        #expect(replies[2].headers["content-type"] == "text/csv; charset=utf-8")
        #expect(replies[3].headers["content-type"] == "text/css; charset=utf-8")
        #expect(replies[4].body.isEmpty)
        #expect(replies[5].headers["content-type"] == "message/rfc822")
        #expect(replies[6].body.contains("Not found"))
        #expect(!fm.fileExists(atPath: root + "/Output"), "serve writes nothing")

        // ETag / If-None-Match.
        let etag = try #require(replies[1].headers["etag"])
        #expect(try get(port, [("GET", "/segments/SM10001.md", etag)])[0].status == 304)

        // Nothing outside the site: every trick is a 404.
        let tricks = ["/../segmark.yml", "/%2e%2e/segmark.yml", "/%2E%2E%2Fsegmark.yml", "/segments/..%2f..%2fsegmark.yml", "/segments\\..\\index.html",
                      "//etc/passwd", "/Content/contacts/CT100.md", "/segmark.yml", "/.segmark-state", "/%00index.html"]
        #expect(try get(port, tricks.map { ("GET", $0, "-") }).map(\.status) == Array(repeating: 404, count: tricks.count))

        // An edited contact's new name shows on its page and on a sheet, within the target.
        try edit(root + "/Content/contacts/CT100.md") { $0.replacingOccurrences(of: "name: Fjordkraft Detalj AS", with: "name: Fjordkraft Endret AS") }
        let seen = try waitFor(port, "/contacts/CT100.html", seconds: 5) { $0.contains("<h1>Fjordkraft Endret AS") }
        #expect(seen != nil)
        #expect((seen ?? 9) < 2, "visible after \(seen ?? -1) s")
        #expect(try page(port, "/segments/SM10001.html").contains("Fjordkraft Endret AS"))

        // A broken file: the diagnostics over the last good pages; the fix restores them.
        try "---\nname: [\n".write(toFile: root + "/Content/contacts/BROKEN.md", atomically: false, encoding: .utf8)
        #expect(try waitFor(port, "/", seconds: 5) { $0.contains("Content/contacts/BROKEN.md:1:1: error:") } != nil)
        #expect(try page(port, "/contacts/CT100.html").contains("id=\"segmark-errors\""))
        #expect(try page(port, "/contacts/CT100.html").contains("<h1>Fjordkraft Endret AS"))
        try fm.removeItem(atPath: root + "/Content/contacts/BROKEN.md")
        #expect(try waitFor(port, "/", seconds: 5) { !$0.contains("segmark-errors") } != nil)

        // A bounded load from a second process while files change: no request fails.
        let load = Process()
        load.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        load.arguments = ["python3", CLI.repo + "/Tests/serve/get.py", String(port), "--load", "40", "/", "/segments/SM10001.html", "/contacts/CT101.html"]
        let loadOut = Pipe()
        load.standardOutput = loadOut
        try load.run()
        for n in 0..<10 {
            try edit(root + "/Content/contacts/CT101.md") { $0 + "\nEdit \(n) while serving.\n" }
            Thread.sleep(forTimeInterval: 0.1)
        }
        let loadResult = String(decoding: loadOut.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        load.waitUntilExit()
        #expect(loadResult.hasPrefix("{\"failures\": 0, \"requests\": 120}"), "\(loadResult)")

        // SIGTERM: a clean stop, exit 0, the port released.
        server.process.terminate()
        server.process.waitUntilExit()
        #expect(server.process.terminationStatus == 0)
        #expect(server.process.terminationReason == .exit)
    }

    /// The watcher names what changed, and `serve` reads only that: a file added, one in a new
    /// folder, an editor's save through a temporary file and a rename, a file renamed and
    /// removed, a segment edited, and a contact that is a symbolic link to a file elsewhere in
    /// the workspace whose target is edited — each is seen.
    @Test func addedRenamedAndLinkedFilesAreSeen() throws {
        let root = try CLI.demoCopy()
        defer { try? fm.removeItem(atPath: root) }
        let server = try start(root)
        defer { if server.process.isRunning { server.process.terminate() } }
        let port = server.port
        let contacts = root + "/Content/contacts"
        func contact(_ id: String, _ name: String) -> String { "---\nid: \(id)\ntype: company\nname: \(name)\ncountry: NO\n---\n" }
        func shows(_ path: String, _ text: String) throws -> Bool {
            try waitFor(port, path, seconds: 5) { $0.contains(text) } != nil
        }
        func gone(_ path: String) throws -> Bool {
            let start = Date()
            while Date().timeIntervalSince(start) < 5 {
                if try get(port, [("GET", path, "-")])[0].status == 404 { return true }
                Thread.sleep(forTimeInterval: 0.05)
            }
            return false
        }

        try contact("ZZ900", "Added Company AS").write(toFile: contacts + "/ZZ900.md", atomically: false, encoding: .utf8)
        #expect(try shows("/contacts/ZZ900.html", "<h1>Added Company AS"))

        try fm.createDirectory(atPath: contacts + "/north", withIntermediateDirectories: false)
        try contact("ZZ901", "Northern AS").write(toFile: contacts + "/north/ZZ901.md", atomically: false, encoding: .utf8)
        #expect(try shows("/contacts/ZZ901.html", "<h1>Northern AS"))

        // An editor's save: the new text in a temporary file, renamed over the old one.
        let old = try String(contentsOfFile: contacts + "/CT100.md", encoding: .utf8)
        try old.replacingOccurrences(of: "name: Fjordkraft Detalj AS", with: "name: Fjordkraft Lagret AS")
            .write(toFile: contacts + "/.CT100.md.swp", atomically: false, encoding: .utf8)
        _ = rename(contacts + "/.CT100.md.swp", contacts + "/CT100.md")
        #expect(try shows("/contacts/CT100.html", "<h1>Fjordkraft Lagret AS"))
        #expect(try shows("/segments/SM10001.html", "Fjordkraft Lagret AS"))

        try fm.moveItem(atPath: contacts + "/ZZ900.md", toPath: contacts + "/ZZ902.md")
        try contact("ZZ902", "Renamed Company AS").write(toFile: contacts + "/ZZ902.md", atomically: false, encoding: .utf8)
        #expect(try shows("/contacts/ZZ902.html", "<h1>Renamed Company AS"))
        #expect(try gone("/contacts/ZZ900.html"))
        try fm.removeItem(atPath: contacts + "/ZZ902.md")
        #expect(try gone("/contacts/ZZ902.html"))

        try edit(root + "/Content/segments/SM10001.md") { $0.replacingOccurrences(of: "description: X-mas cards", with: "description: Winter cards") }
        #expect(try shows("/segments/SM10001.html", "Winter cards"))

        // A contact that is a link to a file kept in another folder of the workspace.
        try fm.createDirectory(atPath: root + "/shared", withIntermediateDirectories: false)
        try contact("ZZ903", "Linked AS").write(toFile: root + "/shared/ZZ903.md", atomically: false, encoding: .utf8)
        try fm.createSymbolicLink(atPath: contacts + "/ZZ903.md", withDestinationPath: "../../shared/ZZ903.md")
        #expect(try shows("/contacts/ZZ903.html", "<h1>Linked AS"))
        try contact("ZZ903", "Linked Again AS").write(toFile: root + "/shared/ZZ903.md", atomically: false, encoding: .utf8)
        #expect(try shows("/contacts/ZZ903.html", "<h1>Linked Again AS"))
    }
}
