import Foundation
import Testing

/// A build killed at any moment leaves every report old or new, and the next build repairs the
/// rest; two `log` runs at once give one batch (SECURITY.md, "Crash-safe output").
@Suite("crash safety and concurrent writers", .serialized)
struct CrashSafetyTests {
    func demoCopy() throws -> String { try CLI.demoCopy() }

    /// The reports in a folder (not Segmark's own bookkeeping files).
    func reports(_ dir: String) -> [String: Data] {
        var out: [String: Data] = [:]
        guard let e = FileManager.default.enumerator(atPath: dir) else { return out }
        while let p = e.nextObject() as? String {
            if p.hasPrefix(".segmark-") { continue }
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: dir + "/" + p, isDirectory: &isDir), !isDir.boolValue {
                out[p] = FileManager.default.contents(atPath: dir + "/" + p)
            }
        }
        return out
    }

    @Test func buildKilledAtAnyMomentLeavesOldOrNewFilesAndARebuildRepairs() throws {
        let root = try demoCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(try CLI.run(["build", "--root", root, "--quiet"]).status == 0)
        let old = reports(root + "/Output")
        // A new as-of date changes nearly every page.
        let settings = try String(contentsOfFile: root + "/segmark.yml", encoding: .utf8)
        try settings.replacingOccurrences(of: "as_of: 2026-12-01", with: "as_of: 2027-01-15")
            .write(toFile: root + "/segmark.yml", atomically: true, encoding: .utf8)
        let reference = root + "/reference"
        #expect(try CLI.run(["build", "--root", root, "--quiet", "--output", reference]).status == 0)
        let new = reports(reference)
        #expect(new.keys.sorted() == old.keys.sorted())
        #expect(new.filter { old[$0.key] != $0.value }.count > 100)

        for delay in [0, 10, 25, 50, 75, 100, 150, 200, 300] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: CLI.binary)
            p.arguments = ["build", "--root", root, "--quiet", "--force"]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            usleep(useconds_t(delay * 1000))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            let now = reports(root + "/Output")
            for (path, data) in now where data != new[path] && data != old[path] {
                Issue.record("Output/\(path) is neither the old nor the new version after a kill at \(delay) ms")
            }
            #expect(Set(now.keys).isSubset(of: Set(old.keys).union(new.keys)))
        }
        // The next build finishes the job: exactly the new reports, nothing else.
        let repair = try CLI.run(["build", "--root", root, "--quiet"])
        #expect(repair.status == 0)
        #expect(reports(root + "/Output") == new)
        #expect(!FileManager.default.fileExists(atPath: root + "/Output/.segmark-staging"))
        let again = try CLI.run(["build", "--root", root])
        #expect(again.stdout.contains("up to date"))
    }

    /// Two `log`s of one segment at once: the workspace lock takes them one after the other,
    /// and the second plans from what the first wrote. Without `--again` the second is refused
    /// (logged already); with it, too (the day's batch file exists and is never written over).
    @Test func twoConcurrentLogsOfOneSegmentGiveOneBatch() throws {
        let root = try demoCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        for (round, extra) in [[], ["--again"], ["--again"]].enumerated() {
            let date = "2026-12-0\(round + 2)"
            var processes: [(Process, Pipe)] = []
            for _ in 0..<2 {
                let p = Process()
                p.executableURL = URL(fileURLWithPath: CLI.binary)
                p.arguments = ["log", "SM10006", "--date", date, "--root", root] + extra
                let err = Pipe()
                p.standardOutput = FileHandle.nullDevice
                p.standardError = err
                processes.append((p, err))
            }
            for (p, _) in processes { try p.run() }
            var statuses: [Int32] = []
            var messages: [String] = []
            for (p, err) in processes {
                let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                p.waitUntilExit()
                statuses.append(p.terminationStatus)
                messages.append(text)
            }
            #expect(statuses.sorted() == [0, 1], "round \(round): \(messages)")
            let refused = round == 0 ? "error: segment SM10006 was already logged as batch SM10006-\(date) "
                : "error: batch SM10006-\(date) exists already"
            #expect(messages.joined().contains(refused), "round \(round): \(messages)")
            let batches = try FileManager.default.contentsOfDirectory(atPath: root + "/Content/interactions").filter { $0.hasPrefix("SM10006-\(date)") }
            #expect(batches == ["SM10006-\(date).md"])
            #expect(try CLI.run(["check", "--strict", "--root", root]).status == 0)
        }
        // No temporary file is left behind.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root + "/Content/interactions").filter { $0.hasSuffix(".tmp") }
        #expect(leftovers == [])
    }
}
