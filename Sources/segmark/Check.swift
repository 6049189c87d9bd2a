import ArgumentParser
import SegmarkKit

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Validate the workspace and print every problem as PATH:LINE:COL.")

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Treat warnings as errors.")
    var strict = false

    @Option(help: "text (PATH:LINE:COL lines on stderr), github (workflow commands for GitHub Actions, on stdout) or json (one array on stdout).")
    var format: Format = .text

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, github, json }

    func run() throws {
        let root = try global.resolvedRoot()
        let check = WorkspaceCheck(root: root, parseCacheOf: Build.toolIdentity())
        let diagnostics = (check.diagnostics + TemplateLibrary.check(root: root)).sortedForOutput()
        switch format {
        case .text: Console.diagnostics(diagnostics)
        case .github: Console.out(DiagnosticFormat.github.render(diagnostics))
        case .json: Console.out(DiagnosticFormat.json.render(diagnostics))
        }
        let errors = diagnostics.errorCount
        let warnings = diagnostics.warningCount
        if errors > 0 || (strict && warnings > 0) {
            Console.error("\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")")
            throw ExitCode(1)
        }
        Console.error("checked \(check.fileCount) files: \(warnings) warning\(warnings == 1 ? "" : "s")")
    }
}
