import ArgumentParser
import Foundation
import SegmarkKit

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Render every report (segment sheets, campaign reports, contact pages, index).")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Output folder (default: output in segmark.yml, else Output/).")
    var output: String?

    @Option(help: "Formats to render, comma-separated: html,md.")
    var format: String?

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    @Flag(help: "Show when each segment and campaign file last changed, from git (also: history: git in segmark.yml).")
    var history = false

    @Flag(help: "Render everything even when nothing changed since the last build.")
    var force = false

    @Flag(help: "Print the time of each phase and counts.")
    var timings = false

    /// Checked before running, so a mistake prints this command's usage.
    func validate() throws { _ = try parsedFormats() }

    func parsedFormats() throws -> [Settings.Format]? { try Settings.Format.list(format) }

    func run() throws {
        let root = try global.resolvedRoot()
        let formats = try parsedFormats()
        let lock = try Console.lock(root)
        defer { withExtendedLifetime(lock) {} }
        let started = Self.now()
        let outputPath = output.map { $0.hasPrefix("/") ? $0 : FileManager.default.currentDirectoryPath + "/" + $0 }
        let progress = Progress(enabled: !quiet && isatty(2) == 1)
        var options = SiteBuilder.Options(asOf: global.asOf.flatMap(Day.init), today: SystemClock.today(), output: outputPath, formats: formats,
                                          history: history, historySource: Self.gitHistory(root: root),
                                          force: force, toolIdentity: Self.toolIdentity())
        options.clock = { Build.now() }
        if progress.enabled {
            options.progress = { kind, done, total in progress.show(kind, done, total) }
        }
        do {
            let report = try SiteBuilder().build(root: root, options: options)
            progress.clear()
            let s = report.summary
            if !quiet {
                let seconds = String(format: "%.2f", Self.now() - started)
                if report.upToDate {
                    Console.out("\(s.pages) files up to date as of \(report.asOf) (no input changed), in \(seconds) s")
                } else {
                    Console.out("rendered \(s.pages) files as of \(report.asOf), \(s.changed) changed, \(s.removed) removed, in \(seconds) s")
                }
            }
            let warnings = report.warnings.filter { $0.severity == .warning }
            if !warnings.isEmpty && !quiet {
                // Like a compiler: the first few, and where to see them all.
                Console.diagnostics(Array(warnings.prefix(3)))
                Console.error("\(warnings.count) warning\(warnings.count == 1 ? "" : "s")\(warnings.count > 3 ? " (the first 3 above)" : ""); run 'segmark check' to see \(warnings.count == 1 ? "it" : "them all")")
            }
            if !s.leftAlone.isEmpty {
                let shown = s.leftAlone.prefix(5).map(Console.escaped).joined(separator: ", ")
                Console.error("note: left alone \(s.leftAlone.count) file\(s.leftAlone.count == 1 ? "" : "s") that the output record lists but this build cannot prove it wrote: \(shown)\(s.leftAlone.count > 5 ? ", …" : "")")
            }
            if timings {
                for (phase, t) in report.timings { Console.error(String(format: "%-20@ %8.3f s", phase as NSString, t)) }
                for (what, n) in report.counts { Console.error(String(format: "%-20@ %8d", what as NSString, n)) }
            }
        } catch let errors as ContentErrors {
            progress.clear()
            Console.diagnostics(errors.diagnostics)
            Console.error("\(errors.diagnostics.errorCount) error\(errors.diagnostics.errorCount == 1 ? "" : "s"); Output/ was left as it was")
            throw ExitCode(1)
        } catch {
            progress.clear()
            Console.error("error: \(error)")
            throw ExitCode(1)
        }
    }

    /// Monotonic seconds, for timings only.
    @Sendable static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// The version and this executable's size and modification time: a new binary renders everything again.
    static func toolIdentity() -> String {
        var st = stat()
        let exe = stat("/proc/self/exe", &st) == 0 ? "\(st.st_size)-\(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)" : "unknown-\(UUID())"
        return "segmark \(Segmark.configuration.version) \(exe)"
    }

    /// History from git; nothing when git is missing or the workspace is not in a repository.
    static func gitHistory(root: String) -> @Sendable ([String]) -> [String: FileChange] {
        { folders in
            guard let git = Git.locate(environment: ProcessInfo.processInfo.environment) else { return [:] }
            return FileHistory(git: Git(executable: git, directory: root)).lastChanges(under: folders)
        }
    }
}

/// The progress line on a terminal: rewritten in place at most ten times a second, cleared at the end.
final class Progress: @unchecked Sendable {
    let enabled: Bool
    var last = 0.0
    var shown = false

    init(enabled: Bool) { self.enabled = enabled }

    func show(_ kind: String, _ done: Int, _ total: Int) {
        let now = Build.now()
        guard enabled, now - last >= 0.1 || done == total else { return }
        last = now
        shown = true
        FileHandle.standardError.write(Data("\r\u{1B}[Krendering \(kind): \(done)/\(total)".utf8))
    }

    func clear() {
        guard shown else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        shown = false
    }
}

extension Settings.Format {
    /// `--format html,md` (`build` and `serve`), each format once; nil when not given.
    static func list(_ option: String?) throws -> [Settings.Format]? {
        guard let option else { return nil }
        var list: [Settings.Format] = []
        for part in option.split(separator: ",") {
            guard let f = Settings.Format(rawValue: part.trimmingCharacters(in: .whitespaces).lowercased()) else {
                throw ValidationError("--format: unknown format '\(part)'; expected html, md or html,md")
            }
            if !list.contains(f) { list.append(f) }
        }
        return list
    }
}
