import Foundation

/// Answers one HTTP request of `segmark serve` from a snapshot of the session: only pages the
/// session rendered are ever served (there is no file system behind the URL space), so `..`,
/// `%2e%2e`, backslashes and absolute paths can reach nothing; such paths get 404 all the same.
/// HTML pages get a small script that reloads them when the site changes, and — while the
/// content has errors — the diagnostics on top. Built pages stay script-free.
public struct PreviewResponder: Sendable {
    public struct Response: Sendable, Equatable {
        public var status: Int
        public var headers: [(String, String)]
        public var body: [UInt8]

        public static func == (a: Response, b: Response) -> Bool {
            a.status == b.status && a.body == b.body && a.headers.map { $0.0 + ":" + $0.1 } == b.headers.map { $0.0 + ":" + $0.1 }
        }
    }

    /// The path of the long-poll the reload script waits on.
    public static let changesPath = "/__segmark/changes"

    public init() {}

    /// The page key a request path names: percent-decoded, `/` → `index.html`, `dir/` →
    /// `dir/index.html`; nil for anything that is not a plain relative path.
    public static func pageKey(_ rawPath: String) -> String? {
        let pathOnly = rawPath.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        guard pathOnly.hasPrefix("/"), let decoded = percentDecoded(pathOnly) else { return nil }
        if decoded.contains("\\") || decoded.contains("\0") || decoded.hasPrefix("//") { return nil }
        var key = String(decoded.dropFirst())
        if key.isEmpty || key.hasSuffix("/") { key += "index.html" }
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        if parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." || $0.hasPrefix(".") }) { return nil }
        return key
    }

    static func percentDecoded(_ s: String) -> String? {
        var bytes: [UInt8] = []
        var u = Array(s.utf8)[...]
        while let b = u.popFirst() {
            if b == UInt8(ascii: "%") {
                guard u.count >= 2, let hi = hex(u[u.startIndex]), let lo = hex(u[u.startIndex + 1]) else { return nil }
                bytes.append(hi << 4 | lo)
                u = u.dropFirst(2)
            } else {
                bytes.append(b)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    static func hex(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    public static func contentType(_ key: String) -> String {
        let ext = key.split(separator: ".").last.map { $0.lowercased() } ?? ""
        switch ext {
        case "html": return "text/html; charset=utf-8"
        case "md": return "text/markdown; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "csv": return "text/csv; charset=utf-8"
        case "eml": return "message/rfc822"
        case "svg": return "image/svg+xml"
        case "json": return "application/json"
        default: return "application/octet-stream"
        }
    }

    public func respond(method: String, path: String, ifNoneMatch: String?, snapshot: PreviewSession.Snapshot) -> Response {
        guard method == "GET" || method == "HEAD" else {
            return Response(status: 405, headers: [("Allow", "GET, HEAD"), ("Content-Type", "text/plain; charset=utf-8")], body: Array("method not allowed\n".utf8))
        }
        guard let key = Self.pageKey(path) else { return notFound(snapshot, head: method == "HEAD") }
        let html = key.hasSuffix(".html")
        var body: [UInt8]
        var etag: String
        if let page = snapshot.page(key) {
            body = page.bytes
            etag = page.etag
        } else if key == "index.html", !snapshot.errors.isEmpty {
            body = Array(errorPage(snapshot).utf8)
            etag = "\"errors\""
        } else {
            return notFound(snapshot, head: method == "HEAD")
        }
        if html {
            body = inject(into: body, snapshot)
            etag = String(etag.dropLast()) + "-\(snapshot.version)\""
        }
        var headers: [(String, String)] = [("Content-Type", Self.contentType(key)), ("ETag", etag), ("Cache-Control", "no-cache")]
        if let match = ifNoneMatch, match.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == etag || $0 == "*" }) {
            return Response(status: 304, headers: headers.filter { $0.0 != "Content-Type" }, body: [])
        }
        headers.append(("Content-Length", String(body.count)))
        return Response(status: 200, headers: headers, body: method == "HEAD" ? [] : body)
    }

    func notFound(_ snapshot: PreviewSession.Snapshot, head: Bool) -> Response {
        let page = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found · \(HTMLEscaping.text(snapshot.title))</title></head>\n"
            + "<body><h1>Not found</h1><p>No page has this address. <a href=\"/\">The overview</a> lists every report.</p></body></html>\n"
        let body = inject(into: Array(page.utf8), snapshot)
        return Response(status: 404, headers: [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", String(body.count))], body: head ? [] : body)
    }

    func errorPage(_ snapshot: PreviewSession.Snapshot) -> String {
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Errors · \(HTMLEscaping.text(snapshot.title))</title></head>\n<body></body></html>\n"
    }

    /// The diagnostics banner (while there are errors) after `<body…>`, the reload script before `</body>`.
    func inject(into page: [UInt8], _ snapshot: PreviewSession.Snapshot) -> [UInt8] {
        var text = String(decoding: page, as: UTF8.self)
        if !snapshot.errors.isEmpty, let body = text.range(of: "<body"), let close = text[body.upperBound...].firstIndex(of: ">") {
            let lines = snapshot.errors.map { "<li><code>" + HTMLEscaping.text(Text.line($0.description)) + "</code></li>" }.joined(separator: "\n")
            let banner = "\n<section id=\"segmark-errors\" style=\"background:#fee;border:2px solid #b00;padding:0.5em 1em;margin:0 0 1em;font-family:sans-serif\">"
                + "<h2 style=\"margin:0.2em 0\">The workspace has \(snapshot.errors.count) error\(snapshot.errors.count == 1 ? "" : "s")</h2>"
                + "<p>These pages are the last good build; fix the files below and they update by themselves.</p>\n<ul>\n\(lines)\n</ul></section>\n"
            text.insert(contentsOf: banner, at: text.index(after: close))
        }
        let script = "<script>/* segmark serve: reload when the site changes */(function(){var v=\(snapshot.version);"
            + "function poll(){fetch('\(Self.changesPath)?since='+v,{cache:'no-store'}).then(function(r){return r.json()})"
            + ".then(function(d){if(d.version!==v){location.reload()}else{poll()}}).catch(function(){setTimeout(poll,1000)})}poll()})();</script>\n"
        if let end = text.range(of: "</body>", options: .backwards) {
            text.insert(contentsOf: script, at: end.lowerBound)
        } else {
            text += script
        }
        return Array(text.utf8)
    }
}
