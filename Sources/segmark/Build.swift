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

    @Flag(help: "Print the time of each phase.")
    var timings = false

    func run() throws {
        let root = try global.resolvedRoot()
        var formats: [Settings.Format]? = nil
        if let format {
            var list: [Settings.Format] = []
            for part in format.split(separator: ",") {
                guard let f = Settings.Format(rawValue: part.trimmingCharacters(in: .whitespaces).lowercased()) else {
                    throw ValidationError("--format: unknown format '\(part)'; expected html, md or html,md")
                }
                list.append(f)
            }
            formats = list
        }
        let started = Date()
        let outputPath = output.map { $0.hasPrefix("/") ? $0 : FileManager.default.currentDirectoryPath + "/" + $0 }
        let options = SiteBuilder.Options(asOf: global.asOf.flatMap(Day.init), today: SystemClock.today(), output: outputPath, formats: formats,
                                            history: history, historySource: Self.gitHistory(root: root))
        do {
            let report = try SiteBuilder().build(root: root, options: options)
            let s = report.summary
            if !quiet {
                let seconds = String(format: "%.2f", Date().timeIntervalSince(started))
                Console.out("rendered \(s.pages) files as of \(report.asOf), \(s.changed) changed, \(s.removed) removed, in \(seconds) s")
            }
            if timings {
                for (phase, t) in report.timings { Console.error(String(format: "%-26@ %8.3f s", phase as NSString, t)) }
            }
        } catch let errors as ContentErrors {
            Console.diagnostics(errors.diagnostics)
            Console.error("\(errors.diagnostics.errorCount) error\(errors.diagnostics.errorCount == 1 ? "" : "s"); Output/ was left as it was")
            throw ExitCode(1)
        } catch {
            Console.error("error: \(error)")
            throw ExitCode(1)
        }
    }

    /// History from git; nothing when git is missing or the workspace is not in a repository.
    static func gitHistory(root: String) -> @Sendable ([String]) -> [String: FileChange] {
        { folders in
            guard let git = Git.locate(environment: ProcessInfo.processInfo.environment) else { return [:] }
            return FileHistory(git: Git(executable: git, directory: root)).lastChanges(under: folders)
        }
    }
}
