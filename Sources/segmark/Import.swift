import ArgumentParser
import Foundation
import SegmarkKit

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Import records from CSV exports (Business Central's contact list).",
                                                    subcommands: [ImportContacts.self, ImportCodes.self])
}

struct ImportContacts: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contacts",
        abstract: "Write Content/contacts/ID.md for every row of a contact list exported from BC as CSV (English or Norwegian captions).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The CSV file (comma, semicolon or tab separated; UTF-8, with or without BOM).")
    var file: String

    @Flag(help: "Change contacts that exist already (only the keys that changed).")
    var update = false

    @Flag(name: .customLong("dry-run"), help: "Print what would be added or changed, and write nothing.")
    var dryRun = false

    @Option(help: "A YAML file mapping column captions to contact keys, for other exports (\"Postnummer\": post_code).")
    var map: String?

    func run() throws {
        let ws = try LoadedWorkspace(global, locking: true)
        guard let data = FileManager.default.contents(atPath: file) else {
            Console.error("error: cannot read \(file)")
            throw ExitCode(1)
        }
        var mapping: [String: String] = [:]
        if let map {
            guard let text = FileManager.default.contents(atPath: map).map({ String(decoding: $0, as: UTF8.self) }),
                  case .success(let node?) = YAMLReader().read(text, path: map, lineOffset: 0), let pairs = node.mapping else {
                Console.error("error: \(map) must be a YAML map of column caption to contact key")
                throw ExitCode(1)
            }
            for pair in pairs {
                guard let key = pair.value.scalar, ContactImporter.keys.contains(key) else {
                    Console.error("error: \(map): '\(pair.value.scalar ?? "")' is not a contact key; one of \(ContactImporter.keys.joined(separator: ", "))")
                    throw ExitCode(1)
                }
                mapping[pair.keyText] = key
            }
        }
        let importer = ContactImporter(model: ws.model)
        let name = (file as NSString).lastPathComponent
        do {
            let plan = try importer.plan(csv: String(decoding: data, as: UTF8.self), file: name, map: mapping, update: update)
            Console.diagnostics(plan.warnings)
            let added = plan.changes.filter { $0.kind == .added }, changed = plan.changes.filter { $0.kind == .changed }
            let unchanged = plan.changes.count - added.count - changed.count
            if dryRun {
                for c in plan.changes { Console.out("\(c.kind.rawValue) \(c.id)\(c.keys.isEmpty || c.kind == .added ? "" : " (" + c.keys.joined(separator: ", ") + ")")") }
            } else {
                try importer.write(plan)
            }
            Console.out("\(dryRun ? "would add" : "added") \(added.count), \(dryRun ? "would change" : "changed") \(changed.count), unchanged \(unchanged)"
                        + (plan.ignoredColumns.isEmpty ? "" : "; columns not imported: " + plan.ignoredColumns.joined(separator: ", ")))
        } catch let errors as ContentErrors {
            Console.diagnostics(errors.diagnostics)
            Console.error("\(errors.diagnostics.errorCount) error\(errors.diagnostics.errorCount == 1 ? "" : "s"); nothing was written")
            throw ExitCode(1)
        }
    }
}

struct ImportCodes: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codes",
        abstract: "Add the codes of BC's relation lists (Contact No. with a Business Relation, Mailing Group, Industry Group or Job Responsibility Code) to the contacts, or a code list (Code, Description) to codes.yml.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The CSV file.")
    var file: String

    @Option(help: "For a code list (Code, Description): the codes.yml table to add to (default: from the file name, e.g. 'Mailing Groups.csv').")
    var table: String?

    func run() throws {
        let ws = try LoadedWorkspace(global, locking: true)
        guard let data = FileManager.default.contents(atPath: file) else {
            Console.error("error: cannot read \(file)")
            throw ExitCode(1)
        }
        let text = String(decoding: data, as: UTF8.self)
        let name = (file as NSString).lastPathComponent
        let header = (text.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? "").lowercased()
        if !header.contains("contact no.") && !header.contains("kontaktnr.") {
            try importTable(ws, text: text, name: name)
            return
        }
        let importer = CodeImporter(model: ws.model)
        do {
            let changes = try importer.plan(csv: String(decoding: data, as: UTF8.self), file: (file as NSString).lastPathComponent)
            try importer.write(changes)
            Console.out("changed \(changes.count) contact file\(changes.count == 1 ? "" : "s")")
        } catch let errors as ContentErrors {
            Console.diagnostics(errors.diagnostics)
            Console.error("\(errors.diagnostics.errorCount) error\(errors.diagnostics.errorCount == 1 ? "" : "s"); nothing was written")
            throw ExitCode(1)
        }
    }
}

extension ImportCodes {
    func importTable(_ ws: LoadedWorkspace, text: String, name: String) throws {
        guard let table = table ?? CodeTableImporter.table(forFileName: name) else {
            Console.error("error: which table of codes.yml is \(name) for? Say it with --table (\(CodeTableImporter.tables.joined(separator: ", ")))")
            throw ExitCode(2)
        }
        let path = ws.root + "/" + ws.model.settings.content + "/codes.yml"
        let existing = (FileManager.default.contents(atPath: path)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        do {
            let (newText, added) = try CodeTableImporter(model: ws.model).plan(csv: text, file: name, table: table, codesYAML: existing)
            if let newText { try LocalFileSystem().writeAtomically(Array(newText.utf8), to: path) }
            Console.out("added \(added) code\(added == 1 ? "" : "s") to the \(table) table of \(ws.model.settings.content)/codes.yml")
        } catch let errors as ContentErrors {
            Console.diagnostics(errors.diagnostics)
            Console.error("\(errors.diagnostics.errorCount) error\(errors.diagnostics.errorCount == 1 ? "" : "s"); nothing was written")
            throw ExitCode(1)
        }
    }
}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Export contacts as CSV in the format import reads, or the workspace as tables for a database.",
                                                    subcommands: [ExportContacts.self, ExportSQL.self])
}

struct ExportContacts: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "contacts",
                                                    abstract: "Write every contact to a CSV file with BC's English captions.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The CSV file to write.")
    var file: String

    func run() throws {
        let ws = try LoadedWorkspace(global)
        do {
            try LocalFileSystem().writeAtomically(Array(ContactExporter().csv(ws.model).utf8), to: file)
        } catch {
            Console.error("error: \(error)")
            throw ExitCode(1)
        }
        Console.out("exported \(ws.model.contacts.count) contacts to \(file)")
    }
}
