import ArgumentParser
import SegmarkKit

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Validate the workspace and print every problem as PATH:LINE:COL.")

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Treat warnings as errors.")
    var strict = false

    func run() throws {
        let root = try global.resolvedRoot()
        let check = WorkspaceCheck(root: root)
        let diagnostics = (check.diagnostics + TemplateLibrary.check(root: root)).sortedForOutput()
        Console.diagnostics(diagnostics)
        let errors = diagnostics.errorCount
        let warnings = diagnostics.warningCount
        if errors > 0 || (strict && warnings > 0) {
            Console.error("\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")")
            throw ExitCode(1)
        }
        Console.error("checked \(check.fileCount) files: \(warnings) warning\(warnings == 1 ? "" : "s")")
    }
}
