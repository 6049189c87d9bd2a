import Foundation
@testable import SegmarkKit

/// A temporary workspace written from a path → text map, removed by the caller.
struct TestWorkspace {
    let root: String

    init(_ files: [String: String]) throws {
        root = NSTemporaryDirectory() + "segmark-test-" + UUID().uuidString
        for (path, text) in files {
            let full = root + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: true, encoding: .utf8)
        }
        try FileManager.default.createDirectory(atPath: root + "/Content", withIntermediateDirectories: true)
    }

    func check() -> WorkspaceCheck { WorkspaceCheck(root: root) }

    /// Diagnostics as printed lines.
    func diagnostics() -> [String] { check().diagnostics.map(\.description) }

    func members(_ segment: String, asOf: Day = Day("2026-12-01")!) -> [String] {
        let check = check()
        let evaluation = SegmentEvaluator(model: check.model, asOf: asOf).evaluate()
        guard let si = check.model.segmentIndex[Text.fold(segment)], let r = evaluation.results[si] else { return ["<none>"] }
        return r.members.indices.map { check.model.contacts[$0].id }
    }

    func remove() { try? FileManager.default.removeItem(atPath: root) }

    /// The shared generator next to the repository when there is one, else the copy kept in
    /// Tests/Fixtures/tools (so a clone anywhere runs these tests).
    static var generator: String {
        let shared = repositoryRoot + "/../shared/tools/gen-workspace.py"
        return FileManager.default.fileExists(atPath: shared) ? shared : repositoryRoot + "/Tests/Fixtures/tools/gen-workspace.py"
    }

    /// A synthetic workspace from gen-workspace.py in a new temporary folder.
    static func generated(contacts: Int, segments: Int, entries: Int, seed: Int) throws -> String {
        let dir = NSTemporaryDirectory() + "segmark-gen-\(seed)-" + UUID().uuidString
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", generator, dir, "--contacts", "\(contacts)",
                       "--segments", "\(segments)", "--entries", "\(entries)", "--seed", "\(seed)"]
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
        return dir
    }

    static var repositoryRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }
}

func contact(_ id: String, _ extra: String = "", type: String = "company", name: String? = nil) -> (String, String) {
    ("Content/contacts/\(id).md", "---\ntype: \(type)\nname: \(name ?? "Name \(id)")\n\(extra)\(extra.isEmpty || extra.hasSuffix("\n") ? "" : "\n")---\n")
}

func segment(_ id: String, _ criteria: String) -> (String, String) {
    ("Content/segments/\(id).md", "---\ndescription: Test \(id)\ncriteria:\n\(criteria)\n---\n")
}

/// The local file system with times shown an hour earlier, so that a test can have what a
/// build trusts by its times without waiting for the clock: `.everything` ages every path's
/// times but those in `fresh` (a file changed in the moments before a build is always read
/// again); `.folders` ages only the change time of folders (a build trusts the output folders
/// it recorded). It counts the files looked up in each folder.
final class AgedFileSystem: FileSystem, @unchecked Sendable {
    enum Scope { case everything, folders }
    let scope: Scope
    let base = LocalFileSystem()
    var fresh: Set<String> = []
    private let lock = NSLock()
    private var counts: [String: Int] = [:]
    /// Per folder, the names looked up that are not folders (files, or nothing there).
    var looked: [String: Int] {
        get { lock.lock(); defer { lock.unlock() }; return counts }
        set { lock.lock(); counts = newValue; lock.unlock() }
    }

    init(_ scope: Scope = .everything) { self.scope = scope }

    private func aged(_ path: String, _ s: FileStatus?) -> FileStatus? {
        guard var s, !fresh.contains(path) else { return s }
        switch scope {
        case .everything:
            s.modified -= 3_600_000_000_000
            s.changed -= 3_600_000_000_000
        case .folders:
            if s.kind == .directory { s.changed -= 3_600_000_000_000 }
        }
        return s
    }

    func read(_ path: String) throws -> [UInt8] { try base.read(path) }
    func entries(in directory: String) throws -> [DirectoryEntry] { try base.entries(in: directory) }
    func kind(of path: String) -> FileKind? { base.kind(of: path) }
    func realPath(_ path: String) -> String? { base.realPath(path) }
    func writeAtomically(_ bytes: [UInt8], to path: String) throws { try base.writeAtomically(bytes, to: path) }
    func createExclusively(_ bytes: [UInt8], at path: String) throws { try base.createExclusively(bytes, at: path) }
    func createDirectory(_ path: String) throws { try base.createDirectory(path) }
    func remove(_ path: String) throws { try base.remove(path) }
    func rename(_ from: String, to: String) throws { try base.rename(from, to: to) }
    func replaceFile(_ from: String, to: String) throws -> Bool { try base.replaceFile(from, to: to) }
    func modificationTime(_ path: String) -> Int64? { aged(path, base.status(path))?.modified }
    func fileSize(_ path: String) -> Int? { base.fileSize(path) }
    func status(_ path: String) -> FileStatus? { aged(path, base.status(path)) }
    func statuses(in directory: String, names: [String]) -> [FileStatus?] {
        let found = base.statuses(in: directory, names: names)
        lock.lock()
        counts[directory, default: 0] += found.filter { $0?.kind != .directory }.count
        lock.unlock()
        return zip(names, found).map { aged(directory + "/" + $0, $1) }
    }
}
