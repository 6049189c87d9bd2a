import Foundation

/// `segmark import codes FILE --table NAME` for BC's code lists (`Code` and `Description`, or
/// `Kode` and `Beskrivelse`): the codes missing from that table of `Content/codes.yml` are
/// added at the end of its block (or a new block at the end of the file), each as
/// `CODE: "Description"`; codes already there keep their line and description, and every
/// other line of the file — comments included — stays as written.
public struct CodeTableImporter: Sendable {
    /// Tables a code list can fill (profile questions have answers of their own: not here).
    public static let tables = Codes.tableNames.filter { $0 != "profile" }

    /// The table a file name suggests (`Mailing Groups.csv` → mailing_groups), if one does.
    public static func table(forFileName name: String) -> String? {
        let n = name.lowercased().replacingOccurrences(of: "_", with: " ").replacingOccurrences(of: "-", with: " ")
        let hints: [(String, String)] = [("salesperson", "salespeople"), ("salespeople", "salespeople"), ("selger", "salespeople"),
                                         ("territor", "territories"), ("distrikt", "territories"), ("countr", "countries"), ("land", "countries"),
                                         ("language", "languages"), ("språk", "languages"), ("industry group", "industry_groups"),
                                         ("bransje", "industry_groups"), ("business relation", "business_relations"),
                                         ("forretningsrelasjon", "business_relations"), ("mailing group", "mailing_groups"),
                                         ("postgruppe", "mailing_groups"), ("job responsibilit", "job_responsibilities"),
                                         ("stillingsansvar", "job_responsibilities"), ("interaction group", "interaction_groups"),
                                         ("campaign status", "campaign_statuses")]
        return hints.first { n.contains($0.0) }?.1
    }

    let model: Model

    public init(model: Model) { self.model = model }

    /// The new text of codes.yml (nil when nothing changes) and how many codes were added.
    public func plan(csv text: String, file: String, table: String, codesYAML existing: String) throws -> (text: String?, added: Int) {
        guard Self.tables.contains(table) else {
            throw ContentErrors([.error("unknown code table '\(table)'" + Text.didYouMean(table, Self.tables) + "; expected one of \(Self.tables.joined(separator: ", "))",
                                        at: SourceLocation(path: file, line: 1, column: 1))])
        }
        let parsed: CSVReader.Table
        do { parsed = try CSVReader().read(text) } catch {
            throw ContentErrors([.error(error.message, at: SourceLocation(path: file, line: error.row, column: error.column))])
        }
        let header = parsed.header.map { Text.trimmingBlanks($0.lowercased()) }
        guard let codeColumn = header.firstIndex(of: "code") ?? header.firstIndex(of: "kode") else {
            throw ContentErrors([.error("no 'Code' column; the header has: \(parsed.header.joined(separator: ", "))", at: SourceLocation(path: file, line: 1, column: 1))])
        }
        let descriptionColumn = header.firstIndex(of: "description") ?? header.firstIndex(of: "beskrivelse") ?? header.firstIndex(of: "name")
            ?? header.firstIndex(of: "navn")
        var errors: [Diagnostic] = []
        var rows: [(code: String, description: String)] = []
        var seen = Set<String>()
        for (row, fields) in parsed.rows {
            let code = codeColumn < fields.count ? Text.trimmingBlanks(fields[codeColumn]) : ""
            if code.isEmpty { continue }
            guard Text.isValidID(code) else {
                errors.append(.error("'\(parsed.header[codeColumn])' \(Text.line(code)) is not a valid code (letters, digits, '.', '_' or '-', at most 64)",
                                     at: SourceLocation(path: file, line: row, column: codeColumn + 1)))
                continue
            }
            guard seen.insert(Text.fold(code)).inserted else { continue }
            let description = descriptionColumn.flatMap { $0 < fields.count ? fields[$0] : nil } ?? ""
            rows.append((code, description.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ")))
        }
        guard errors.isEmpty else { throw ContentErrors(errors) }
        let known = model.codes.table(table)
        let missing = rows.filter { !(known?.contains($0.code) ?? false) }
        if missing.isEmpty { return (nil, 0) }
        if let line = existing.components(separatedBy: "\n").firstIndex(where: { $0.hasPrefix(table + ":") && !$0.dropFirst(table.count + 1).trimmingCharacters(in: .whitespaces).isEmpty && !$0.dropFirst(table.count + 1).trimmingCharacters(in: .whitespaces).hasPrefix("#") }) {
            throw ContentErrors([.error("the \(table) table is written on one line; write it as a block (one code a line) to import into it",
                                        at: SourceLocation(path: model.settings.content + "/codes.yml", line: line + 1, column: 1))])
        }
        let lines = missing.map { "\($0.code): \(YAMLWriting.quote($0.description))" }
        return (Self.insert(lines, table: table, into: existing), missing.count)
    }

    /// Adds entry lines at the end of the table's block, indented as its entries are, or a new block.
    static func insert(_ entries: [String], table: String, into text: String) -> String {
        var lines = text.isEmpty ? [] : text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        guard let start = lines.firstIndex(where: { $0.hasPrefix(table + ":") && $0.dropFirst(table.count + 1).trimmingCharacters(in: .whitespaces).isEmpty }) else {
            return (lines + ["\(table):"] + entries.map { "  " + $0 }).joined(separator: "\n") + "\n"
        }
        var end = start + 1
        var indent = "  "
        var sawEntry = false
        while end < lines.count {
            let line = lines[end]
            if !line.isEmpty, !line.hasPrefix(" "), !line.hasPrefix("\t"), !line.hasPrefix("#") { break }
            if !sawEntry, !line.trimmingCharacters(in: .whitespaces).isEmpty, !line.trimmingCharacters(in: .whitespaces).hasPrefix("#") {
                indent = String(line.prefix { $0 == " " })
                sawEntry = true
            }
            end += 1
        }
        // Insert after the block's last non-blank line, so trailing blank lines stay after it.
        var at = end
        while at > start + 1, lines[at - 1].trimmingCharacters(in: .whitespaces).isEmpty { at -= 1 }
        lines.insert(contentsOf: entries.map { indent + $0 }, at: at)
        return lines.joined(separator: "\n") + "\n"
    }
}
