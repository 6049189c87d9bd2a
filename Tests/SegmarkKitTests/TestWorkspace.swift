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
