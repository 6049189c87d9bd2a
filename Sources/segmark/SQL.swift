import ArgumentParser
import Foundation
import SegmarkKit

extension SQLDialect: ExpressibleByArgument {}

struct SQL: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Print one SELECT whose rows are a segment's members, for a database.",
        discussion: "Run it on the tables `segmark export sql` writes. Relative dates are resolved against the as-of date now.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The segment id.")
    var segment: String

    @Option(help: "sqlite, postgres, duckdb or spark.")
    var dialect: SQLDialect

    func run() throws {
        let ws = try LoadedWorkspace(global)
        let si = try ws.segmentIndex(segment)
        do {
            Console.out(try SQLCompiler(model: ws.model, asOf: ws.asOf, dialect: dialect).query(si))
        } catch .cycle(let id) {
            Console.error("error: segment '\(segment)' reads segment \(id), which reads itself through other segments")
            throw ExitCode(1)
        }
    }
}

struct ExportSQL: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Write the workspace as tables for a database: schema.sql, CSV files, load.sql, segments.sql, README.md.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The folder to write (created when missing).")
    var folder: String

    @Option(help: "sqlite, postgres, duckdb or spark.")
    var dialect: SQLDialect

    func run() throws {
        let ws = try LoadedWorkspace(global)
        let files = SQLExporter(model: ws.model, asOf: ws.asOf, dialect: dialect).files()
        let fs = LocalFileSystem()
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            for f in files { try fs.writeAtomically(f.bytes, to: folder + "/" + f.name) }
        } catch {
            Console.error("error: \(error)")
            throw ExitCode(1)
        }
        Console.out("wrote \(files.count) files to \(folder) (\(dialect.rawValue), as of \(ws.asOf))")
    }
}
