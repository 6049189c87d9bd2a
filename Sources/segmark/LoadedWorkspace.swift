import ArgumentParser
import SegmarkKit

/// Loads and validates the workspace; on content errors prints them and exits 1.
struct LoadedWorkspace {
    var root: String
    var model: Model
    var asOf: Day
    var diagnostics: [Diagnostic]
    /// Held by commands that write (log, cancel) until they are done.
    var lock: WorkspaceLock?

    init(_ global: GlobalOptions, locking: Bool = false) throws {
        root = try global.resolvedRoot()
        if locking { lock = try Console.lock(root) }
        let check = WorkspaceCheck(root: root, parseCacheOf: Build.toolIdentity())
        if check.hasErrors {
            Console.diagnostics(check.diagnostics.filter { $0.severity == .error })
            Console.error("\(check.diagnostics.errorCount) error\(check.diagnostics.errorCount == 1 ? "" : "s"); nothing was done (run 'segmark check' for warnings too)")
            throw ExitCode(1)
        }
        model = check.model
        diagnostics = check.diagnostics
        asOf = global.asOfDay(settings: model.settings)
    }

    func segmentIndex(_ id: String) throws -> Int {
        guard let i = model.segmentIndex[Text.fold(id)] else {
            Console.error("error: no segment '\(id)'" + Text.didYouMean(id, model.segments.map(\.id)))
            throw ExitCode(1)
        }
        return i
    }

    func contactIndex(_ id: String) throws -> Int {
        guard let i = model.contactIndex[Text.fold(id)] else {
            Console.error("error: no contact '\(id)'" + Text.didYouMean(id, model.contacts.map(\.id)))
            throw ExitCode(1)
        }
        return i
    }
}
