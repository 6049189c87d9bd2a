import ArgumentParser
import FlyingFox
import FlyingSocks
import Foundation
import SegmarkKit

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the reports over HTTP while you edit, rebuilding what changed; nothing is written to Output/.",
        discussion: "Open the printed address; pages reload by themselves after a change. Stop with Ctrl+C.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "The port (0: any free port).")
    var port: UInt16 = 4000

    @Option(help: "The address to listen on. The reports hold personal data: keep the default loopback address unless you mean to share them.")
    var host: String = "127.0.0.1"

    @Option(help: "Formats to render: html, md or html,md (default: segmark.yml's).")
    var format: String?

    /// Checked before running (and before the first build), so a mistake prints this command's usage.
    func validate() throws {
        _ = try parsedFormats()
        _ = try listeningAddress()
    }

    func parsedFormats() throws -> [Settings.Format]? { try Settings.Format.list(format) }

    var ip: String { host == "localhost" ? "127.0.0.1" : host }

    func listeningAddress() throws -> sockaddr_in {
        do { return try sockaddr_in.inet(ip4: ip, port: port) } catch {
            throw ValidationError("cannot listen on '\(host)': give an IPv4 address such as 127.0.0.1 or 0.0.0.0")
        }
    }

    func run() async throws {
        let root = try global.resolvedRoot()
        let formats = try parsedFormats()
        let start = Date()
        let session = PreviewSession(root: root, asOf: global.asOf.flatMap(Day.init), today: SystemClock.today(), formats: formats,
                                     clock: { Date().timeIntervalSince(start) })
        // Watching starts before the first build, so a change made while it runs is seen.
        let pending = Pending(root: root)
        let watcher = FileWatcher(folders: { Self.folders(root) }, poll: { Self.poll(root) }, changed: { pending.signal($0) })
        watcher.start()
        let first = session.rebuild()
        report(first, session.snapshot)

        if !ip.hasPrefix("127.") {
            Console.error("warning: listening on \(host): anyone who can reach this address can read the reports, which hold personal data")
        }
        let address = try listeningAddress()
        let server = HTTPServer(address: address, timeout: 30, logger: .disabled)
        let responder = PreviewResponder()
        await server.appendRoute("*") { request in
            let target = request.target.rawValue
            if request.path == PreviewResponder.changesPath {
                return await Self.changes(request, session)
            }
            let r = responder.respond(method: request.method.rawValue, path: target, ifNoneMatch: request.headers[.ifNoneMatch], snapshot: session.snapshot)
            var headers = HTTPHeaders()
            for (name, value) in r.headers where name != "Content-Length" { headers[HTTPHeader(name)] = value }
            return HTTPResponse(statusCode: HTTPStatusCode(r.status, phrase: Self.phrase(r.status)), headers: headers, body: Data(r.body))
        }

        // Rebuild after a burst of changes has settled (debounce), one rebuild at a time.
        Thread {
            while true {
                let changed = pending.waitAndSettle(quiet: 0.05)
                let outcome = session.rebuild(changed: changed)
                report(outcome, session.snapshot)
            }
        }.start()

        // SIGINT and SIGTERM stop the server cleanly (the port is released) and exit 0.
        let stop = Task { try await server.run() }
        StopSignals.install {
            // Close the listening socket, give open requests a moment, then leave with 0.
            Task { await server.stop(timeout: 0.5) }
            Thread.sleep(forTimeInterval: 0.6)
            Console.out("stopped")
            Foundation.exit(0)
        }
        try await server.waitUntilListening(timeout: 10)
        var shownPort = port
        switch await server.listeningAddress {
        case .ip4(_, let p)?, .ip6(_, let p)?: shownPort = p
        default: break
        }
        let shownHost = ip == "0.0.0.0" ? "127.0.0.1" : ip
        Console.out("Serving \(root) at http://\(shownHost):\(shownPort)/ (\(watcher.usesInotify ? "watching with inotify" : "polling for changes"); Ctrl+C stops)")
        do {
            try await stop.value
        } catch where StopSignals.stopping {
            // The stop closed the socket under the server; the handler exits.
            while true { try? await Task.sleep(nanoseconds: 1_000_000_000) }
        }
    }

    func report(_ outcome: PreviewSession.Outcome, _ snapshot: PreviewSession.Snapshot) {
        if !outcome.changed { return }  // files touched, nothing changed
        if outcome.errors.isEmpty {
            let phases = outcome.phases.map { "\($0.0) \(String(format: "%.2f", $0.1))" }.joined(separator: ", ")
            let how = outcome.patched ? "\(outcome.parsed) changed record\(outcome.parsed == 1 ? "" : "s") re-checked" : "\(outcome.parsed) files parsed"
            Console.out("rebuilt as of \(snapshot.asOf?.description ?? "?"), \(how), in \(String(format: "%.2f", outcome.seconds)) s (\(phases)); pages render when opened")
        } else {
            Console.diagnostics(outcome.errors)
            Console.error("\(outcome.errors.count) error\(outcome.errors.count == 1 ? "" : "s"): serving the last good pages with the errors on top")
        }
    }

    /// The long-poll of the reload script: answers when the site's version differs from
    /// `since`, or after 10 seconds with the same version.
    static func changes(_ request: HTTPRequest, _ session: PreviewSession) async -> HTTPResponse {
        let since = request.query.first { $0.name == "since" }.flatMap { Int($0.value) } ?? -1
        var waited = 0.0
        while session.snapshot.version == since && waited < 10 {
            try? await Task.sleep(nanoseconds: 100_000_000)
            waited += 0.1
        }
        var headers = HTTPHeaders()
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-store"
        return HTTPResponse(statusCode: .ok, headers: headers, body: Data("{\"version\":\(session.snapshot.version)}".utf8))
    }

    static func phrase(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 304: return "Not Modified"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        default: return "Status"
        }
    }

    /// The workspace folder (segmark.yml, codes.yml), every folder under Content/ and
    /// Templates/ that is not hidden, and the folder of each symbolic link's target inside the
    /// workspace (a contact file may be a link to a file kept elsewhere in it).
    static func folders(_ root: String) -> [String] {
        let (settings, _) = WorkspaceLoader(fileSystem: LocalFileSystem()).loadSettings(root: root)
        var out = [root]
        for top in [settings.content, settings.templates] {
            let base = root + "/" + top
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: base, isDirectory: &isDir), isDir.boolValue else { continue }
            out.append(base)
            guard let walker = FileManager.default.enumerator(atPath: base) else { continue }
            while let rel = walker.nextObject() as? String {
                if rel.split(separator: "/").contains(where: { $0.hasPrefix(".") || $0.hasPrefix("_") }) { walker.skipDescendants(); continue }
                if (walker.fileAttributes?[.type] as? FileAttributeType) == .typeSymbolicLink {
                    let target = URL(fileURLWithPath: base + "/" + rel).resolvingSymlinksInPath().deletingLastPathComponent().path
                    if target.hasPrefix(root + "/") { out.append(target) }
                    continue
                }
                if FileManager.default.fileExists(atPath: base + "/" + rel, isDirectory: &isDir), isDir.boolValue { out.append(base + "/" + rel) }
            }
        }
        return Array(Set(out)).sorted()
    }

    /// The polling fallback's fingerprint: content files' sizes and times, and the templates'.
    static func poll(_ root: String) -> String {
        let loader = WorkspaceLoader(fileSystem: LocalFileSystem())
        let (settings, _) = loader.loadSettings(root: root)
        var text = loader.statFingerprint(root: root, settings: settings).fingerprint.hex
        if let walker = FileManager.default.enumerator(atPath: root + "/" + settings.templates) {
            while let rel = walker.nextObject() as? String {
                let attributes = try? FileManager.default.attributesOfItem(atPath: root + "/" + settings.templates + "/" + rel)
                let time: Double = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
                let size: Int = (attributes?[.size] as? Int) ?? 0
                text += "\(rel) \(time) \(size)\n"
            }
        }
        return text
    }
}

/// The changes the watcher reported, awaited by the rebuild thread, with debouncing.
final class Pending: @unchecked Sendable {
    private let condition = NSCondition()
    private var dirty = false
    private var last = Date.distantPast
    /// The paths reported since the last `take`, relative to the root; nil when some change
    /// could not be named (polling, an overflow, a path outside the root).
    private var paths: Set<String>? = []
    private let root: String

    init(root: String) { self.root = root }

    func signal(_ changed: [String]?) {
        condition.lock()
        dirty = true
        last = Date()
        if let changed, paths != nil {
            for path in changed {
                guard path.hasPrefix(root + "/") else { paths = nil; break }
                paths?.insert(String(path.dropFirst(root.count + 1)))
            }
        } else {
            paths = nil
        }
        condition.signal()
        condition.unlock()
    }

    /// Waits for a change, then until `quiet` seconds pass with no further change; returns the
    /// paths changed (nil: not known) and starts collecting anew.
    func waitAndSettle(quiet: TimeInterval) -> Set<String>? {
        condition.lock()
        while !dirty { condition.wait() }
        while Date().timeIntervalSince(last) < quiet {
            condition.unlock()
            Thread.sleep(forTimeInterval: quiet / 2)
            condition.lock()
        }
        dirty = false
        let taken = paths
        paths = []
        condition.unlock()
        return taken
    }
}

/// SIGINT and SIGTERM, caught by a handler that only writes a byte to a pipe (all a signal
/// handler may safely do); a thread reading the pipe runs the shutdown.
enum StopSignals {
    nonisolated(unsafe) static var pipeFDs: [Int32] = [-1, -1]
    nonisolated(unsafe) static var stopping = false

    static func install(_ stop: @escaping @Sendable () -> Void) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return }
        pipeFDs = fds
        for sig in [SIGINT, SIGTERM] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { _ in
                var byte: UInt8 = 1
                _ = write(StopSignals.pipeFDs[1], &byte, 1)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(sig, &action, nil)
        }
        let reader = fds[0]
        Thread {
            var byte: UInt8 = 0
            while read(reader, &byte, 1) < 0 && errno == EINTR {}
            stopping = true
            stop()
        }.start()
    }
}
