import Foundation

/// `segmark import codes FILE`: BC's relation lists (`Contact No.` with one of `Business
/// Relation Code`, `Mailing Group Code`, `Industry Group Code`, `Job Responsibility Code`)
/// merged into the contacts' code lists, sorted and without duplicates. Rows are checked
/// first (the contact must exist; a code must be given); any error writes nothing. Only the
/// list's line (or block) changes in a contact file, and files that would not change are
/// not touched.
public struct CodeImporter: Sendable {
    public static let columns: [(caption: String, key: String)] = [
        ("Business Relation Code", "business_relations"), ("Mailing Group Code", "mailing_groups"),
        ("Industry Group Code", "industry_groups"), ("Job Responsibility Code", "job_responsibilities"),
    ]

    let model: Model
    let fileSystem: FileSystem

    public init(model: Model, fileSystem: FileSystem = LocalFileSystem()) {
        self.model = model
        self.fileSystem = fileSystem
    }

    /// Path → new text for every contact file that changes.
    public func plan(csv text: String, file: String) throws -> [(path: String, text: String)] {
        let table: CSVReader.Table
        do { table = try CSVReader().read(text) } catch {
            throw ContentErrors([.error(error.message, at: SourceLocation(path: file, line: error.row, column: error.column))])
        }
        let header = table.header.map { $0.lowercased() }
        guard let contactColumn = header.firstIndex(of: "contact no.") ?? header.firstIndex(of: "kontaktnr.") else {
            throw ContentErrors([.error("no 'Contact No.' column; the header has: \(table.header.joined(separator: ", "))",
                                        at: SourceLocation(path: file, line: 1, column: 1))])
        }
        let codeColumns = Self.columns.compactMap { c in header.firstIndex(of: c.caption.lowercased()).map { ($0, c) } }
        guard !codeColumns.isEmpty else {
            throw ContentErrors([.error("no code column; expected one of \(Self.columns.map(\.caption).joined(separator: ", "))",
                                        at: SourceLocation(path: file, line: 1, column: 1))])
        }
        var errors: [Diagnostic] = []
        var additions: [Int: [String: [String]]] = [:]  // contact index → key → codes
        for (row, fields) in table.rows {
            let id = contactColumn < fields.count ? Text.trimmingBlanks(fields[contactColumn]) : ""
            guard let ci = model.contactIndex[Text.fold(id)] else {
                errors.append(.error("'\(table.header[contactColumn])' \(Text.line(id)) is not a contact in the workspace",
                                     at: SourceLocation(path: file, line: row, column: contactColumn + 1)))
                continue
            }
            for (column, target) in codeColumns {
                let code = column < fields.count ? Text.trimmingBlanks(fields[column]) : ""
                if code.isEmpty { continue }
                additions[ci, default: [:]][target.key, default: []].append(code)
            }
        }
        guard errors.isEmpty else { throw ContentErrors(errors) }
        var out: [(String, String)] = []
        for ci in additions.keys.sorted() {
            let contact = model.contacts[ci]
            let original = String(decoding: try fileSystem.read(model.root + "/" + contact.path), as: UTF8.self)
            var text = original
            for key in additions[ci]!.keys.sorted() {
                let existing: [String]
                switch key {
                case "business_relations": existing = contact.businessRelations
                case "mailing_groups": existing = contact.mailingGroups
                case "industry_groups": existing = contact.industryGroups
                default: existing = contact.jobResponsibilities
                }
                var seen = Set<String>()
                let merged = (existing + additions[ci]![key]!).filter { seen.insert(Text.fold($0)).inserted }
                    .sorted { Text.codePointLess(Text.fold($0), Text.fold($1)) }
                guard merged.count != existing.count || merged != existing else { continue }
                text = Self.replacingList(key, with: merged, in: text)
            }
            if text != original { out.append((contact.path, text)) }
        }
        return out
    }

    /// The front matter's `key:` line (and its block items) replaced by one flow list; added
    /// before the closing fence when the key is not there.
    static func replacingList(_ key: String, with codes: [String], in text: String) -> String {
        var lines = text.components(separatedBy: "\n")
        guard let close = lines.indices.dropFirst().first(where: { Text.trimmingBlanks(lines[$0]) == "---" }) else { return text }
        let line = "\(key): [" + codes.map(YAMLWriting.quote).joined(separator: ", ") + "]"
        if let i = lines[1..<close].firstIndex(where: { $0.hasPrefix(key + ":") }) {
            var end = i + 1
            while end < close, lines[end].hasPrefix(" ") || lines[end].hasPrefix("-") { end += 1 }
            lines.replaceSubrange(i..<end, with: [line])
        } else {
            lines.insert(line, at: close)
        }
        return lines.joined(separator: "\n")
    }

    public func write(_ changes: [(path: String, text: String)]) throws {
        for change in changes { try fileSystem.writeAtomically(Array(change.text.utf8), to: model.root + "/" + change.path) }
    }
}
