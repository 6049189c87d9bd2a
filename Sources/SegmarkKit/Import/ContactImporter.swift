import Foundation

/// `segmark import contacts FILE`: BC's contact list exported as CSV (English or Norwegian
/// captions, or any export through a caption → key map) into contact files. Every row is
/// validated before anything is written; any error writes nothing. New contacts get a file
/// in the canonical style `log` uses (keys in a fixed order, text quoted so YAML never retypes
/// it); with `update`, existing contacts get only the keys that changed rewritten, keeping the
/// body and every other line; files whose bytes would not change are not touched.
public struct ContactImporter: Sendable {
    /// The keys an import can set, in the order files are written.
    public static let keys = ["id", "type", "name", "company", "salesperson", "territory", "country", "language", "address", "address_2",
                              "city", "post_code", "county", "email", "phone", "mobile", "website", "correspondence_type",
                              "exclude_from_segments"]

    /// BC's captions, English and Norwegian (compared ignoring case), by contact key.
    public static let captions: [(key: String, english: String, norwegian: String)] = [
        ("id", "No.", "Nr."), ("name", "Name", "Navn"), ("type", "Type", "Type"), ("company", "Company No.", "Firmanr."),
        ("address", "Address", "Adresse"), ("address_2", "Address 2", "Adresse 2"), ("post_code", "Post Code", "Postnr."),
        ("city", "City", "Poststed"), ("county", "County", "Fylke"), ("country", "Country/Region Code", "Lands-/regionskode"),
        ("phone", "Phone No.", "Telefonnr."), ("mobile", "Mobile Phone No.", "Mobiltelefonnr."), ("email", "E-Mail", "E-post"),
        ("website", "Home Page", "Hjemmeside"), ("salesperson", "Salesperson Code", "Selgerkode"),
        ("territory", "Territory Code", "Distriktskode"), ("language", "Language Code", "Språkkode"),
        ("correspondence_type", "Correspondence Type", "Korrespondansetype"),
        ("exclude_from_segments", "Exclude from Segment", "Utelat fra segment"),
    ]

    /// Other Norwegian captions BC versions use for the same field (its Norwegian help spells
    /// the country field three ways).
    public static let otherNorwegian: [(key: String, caption: String)] = [
        ("country", "Lands-/regionkode"), ("country", "Lands-/områdekode"),
    ]

    public struct Change: Sendable, Equatable {
        public enum Kind: String, Sendable { case added, changed, unchanged }
        public var id: String
        public var kind: Kind
        public var path: String
        public var keys: [String]
        /// The file's new bytes (nil when unchanged).
        public var text: String?
    }

    public struct Plan: Sendable {
        public var changes: [Change]
        public var warnings: [Diagnostic]
        public var ignoredColumns: [String]
    }

    let model: Model
    let fileSystem: FileSystem

    public init(model: Model, fileSystem: FileSystem = LocalFileSystem()) {
        self.model = model
        self.fileSystem = fileSystem
    }

    /// - Parameters:
    ///   - file: how diagnostics name the CSV file.
    ///   - map: caption → contact key for other exports (`--map`).
    public func plan(csv text: String, file: String, map: [String: String] = [:], update: Bool) throws -> Plan {
        let table: CSVReader.Table
        do { table = try CSVReader().read(text) } catch {
            throw ContentErrors([.error(error.message, at: SourceLocation(path: file, line: error.row, column: error.column))])
        }
        var column: [String: Int] = [:]
        var ignored: [String] = []
        var errors: [Diagnostic] = [], warnings: [Diagnostic] = []
        for (i, caption) in table.header.enumerated() {
            let folded = caption.lowercased()
            let key = map.first { $0.key.lowercased() == folded }?.value
                ?? Self.captions.first { $0.english.lowercased() == folded || $0.norwegian.lowercased() == folded }?.key
                ?? Self.otherNorwegian.first { $0.caption.lowercased() == folded }?.key
            guard let key, Self.keys.contains(key) else { ignored.append(caption); continue }
            if column[key] != nil {
                errors.append(.error("column '\(caption)' gives '\(key)' a second time", at: SourceLocation(path: file, line: 1, column: i + 1)))
            }
            column[key] = i
        }
        for required in ["id", "name"] where column[required] == nil {
            let caption = Self.captions.first { $0.key == required }!
            errors.append(.error("no '\(caption.english)' column (or '\(caption.norwegian)'); the header has: \(table.header.joined(separator: ", "))",
                                 at: SourceLocation(path: file, line: 1, column: 1)))
        }
        guard errors.isEmpty else { throw ContentErrors(errors) }
        func caption(_ key: String) -> String { table.header[column[key]!] }

        // Read and check every row first.
        var rows: [(row: Int, values: [String: String])] = []
        var seen: [String: Int] = [:]
        for (rowNumber, fields) in table.rows {
            func at(_ key: String) -> SourceLocation { SourceLocation(path: file, line: rowNumber, column: (column[key] ?? 0) + 1) }
            var values: [String: String] = [:]
            for (key, index) in column where index < fields.count {
                let v = fields[index]
                if !Text.isBlank(v) { values[key] = v }
            }
            let id = values["id"].map(Text.trimmingBlanks) ?? ""
            guard Text.isValidID(id) else {
                errors.append(.error("'\(caption("id"))' must be an id (letters, digits, '.', '_' and '-', at most 64), found '\(Text.line(id))'", at: at("id")))
                continue
            }
            values["id"] = id
            if let first = seen[Text.fold(id)] {
                errors.append(.error("'\(caption("id"))' \(id) is given twice (first in row \(first))", at: at("id")))
                continue
            }
            seen[Text.fold(id)] = rowNumber
            if values["name"] == nil { errors.append(.error("'\(caption("name"))' is empty; every contact needs a name", at: at("name"))) }
            switch values["type"]?.lowercased() {
            case nil, "company", "firma": values["type"] = "company"
            case "person": values["type"] = "person"
            case _?: errors.append(.error("'\(caption("type"))' must be Company or Person, found '\(Text.line(values["type"]!))'", at: at("type")))
            }
            if values["type"] == "company" { values["company"] = nil }  // BC gives a company its own number there
            if let channel = values["correspondence_type"] {
                switch String(channel.lowercased().unicodeScalars.filter { $0 != " " && $0 != "_" }) {
                case "e-mail", "email", "e-post", "epost": values["correspondence_type"] = "email"
                case "hardcopy", "papirkopi", "papir": values["correspondence_type"] = "hard_copy"
                default:
                    errors.append(.error("'\(caption("correspondence_type"))' must be E-Mail or Hard Copy, found '\(Text.line(channel))'", at: at("correspondence_type")))
                }
            }
            if let flag = values["exclude_from_segments"] {
                switch flag.lowercased() {
                case "yes", "ja", "true", "1": values["exclude_from_segments"] = "true"
                case "no", "nei", "false", "0": values["exclude_from_segments"] = nil
                default: errors.append(.error("'\(caption("exclude_from_segments"))' must be Yes or No, found '\(Text.line(flag))'", at: at("exclude_from_segments")))
                }
            }
            if let email = values["email"], !Self.looksLikeEmail(email) {
                warnings.append(.warning("'\(caption("email"))' '\(Text.line(email))' does not look like an e-mail address", at: at("email")))
            }
            rows.append((rowNumber, values))
        }
        // Persons' companies: in the file or in the workspace, as company contacts.
        let fileCompanies = Set(rows.filter { $0.values["type"] == "company" }.map { Text.fold($0.values["id"]!) })
        for (rowNumber, values) in rows {
            guard values["type"] == "person", let company = values["company"] else { continue }
            let inWorkspace = model.contact(company).map { $0.type == .company } ?? false
            if !fileCompanies.contains(Text.fold(company)) && !inWorkspace {
                errors.append(.error("'\(caption("company"))' \(Text.line(company)) is neither a company in this file nor a company contact in the workspace",
                                     at: SourceLocation(path: file, line: rowNumber, column: column["company"]! + 1)))
            }
            if let existing = model.contact(values["id"]!), existing.type == .company, model.contacts.contains(where: { $0.company.map { Text.fold($0.value) } == Text.fold(existing.id) }) {
                errors.append(.error("\(existing.id) is a company with persons in the workspace; it cannot become a person",
                                     at: SourceLocation(path: file, line: rowNumber, column: (column["type"] ?? 0) + 1)))
            }
        }
        var changes: [Change] = []
        for (rowNumber, values) in rows {
            let id = values["id"]!
            if let existing = model.contact(id) {
                guard update else {
                    errors.append(.error("contact \(existing.id) exists already (\(existing.path)); use --update to change it",
                                         at: SourceLocation(path: file, line: rowNumber, column: column["id"]! + 1)))
                    continue
                }
                changes.append(try updated(existing, with: values, columns: Set(column.keys)))
            } else {
                let path = model.settings.content + "/contacts/\(id).md"
                changes.append(Change(id: id, kind: .added, path: path, keys: Self.keys.filter { values[$0] != nil }, text: Self.canonical(values)))
            }
        }
        guard errors.isEmpty else { throw ContentErrors(errors + warnings) }
        return Plan(changes: changes, warnings: warnings, ignoredColumns: ignored)
    }

    static func looksLikeEmail(_ s: String) -> Bool {
        // On bytes: every byte tested is ASCII, and ASCII bytes never occur inside a longer character.
        let u = Array(s.utf8)
        guard let at = u.firstIndex(of: UInt8(ascii: "@")), at > 0, !u[(at + 1)...].contains(UInt8(ascii: "@")) else { return false }
        let domain = u[(at + 1)...]
        return domain.contains(UInt8(ascii: ".")) && domain.first != UInt8(ascii: ".") && domain.last != UInt8(ascii: ".")
            && !u.contains(where: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: ";") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") })
    }

    /// A value as the file holds it: text quoted, the fixed values plain.
    static func written(_ key: String, _ value: String) -> String {
        switch key {
        case "type", "correspondence_type", "exclude_from_segments": return value
        default: return YAMLWriting.quote(value)
        }
    }

    /// A new contact file in the canonical style.
    public static func canonical(_ values: [String: String]) -> String {
        var lines = ["---"]
        for key in keys { if let v = values[key] { lines.append("\(key): \(written(key, v))") } }
        lines.append("---")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The existing file with the imported columns' keys rewritten where they changed: a
    /// changed key's line is replaced, a new key goes before the closing fence, an emptied
    /// one is removed; every other line, and the body, stays as it was.
    func updated(_ contact: Contact, with values: [String: String], columns: Set<String>) throws -> Change {
        let path = contact.path
        let original = String(decoding: try fileSystem.read(model.root + "/" + path), as: UTF8.self)
        var lines = original.components(separatedBy: "\n")
        guard lines.first.map(Text.trimmingBlanks) == "---",
              let close = lines.indices.dropFirst().first(where: { Text.trimmingBlanks(lines[$0]) == "---" }) else {
            throw ContentErrors([.error("cannot update: no front matter", at: SourceLocation(path: path, line: 1, column: 1))])
        }
        var current: [String: String] = [:]
        for field in ContactField.allCases { if let v = contact.values[field] { current[field.rawValue] = v } }
        current["id"] = contact.id
        current["type"] = contact.type.rawValue
        current["name"] = contact.name
        current["company"] = contact.company?.value
        current["exclude_from_segments"] = contact.excludeFromSegments ? "true" : nil
        var changed: [String] = []
        var end = close
        for key in Self.keys where columns.contains(key) && key != "id" {
            let new = values[key]
            guard new != current[key] else { continue }
            changed.append(key)
            let line = lines[1..<end].firstIndex { $0.hasPrefix(key + ":") }
            switch (line, new) {
            case (let i?, let v?): lines[i] = "\(key): \(Self.written(key, v))"
            case (let i?, nil): lines.remove(at: i); end -= 1
            case (nil, let v?): lines.insert("\(key): \(Self.written(key, v))", at: end); end += 1
            case (nil, nil): break
            }
        }
        let text = lines.joined(separator: "\n")
        return Change(id: contact.id, kind: changed.isEmpty ? .unchanged : .changed, path: path, keys: changed,
                      text: changed.isEmpty || text == original ? nil : text)
    }

    /// Writes the plan: new files exclusively, changed ones atomically; unchanged ones are not touched.
    public func write(_ plan: Plan) throws {
        try fileSystem.createDirectory(model.root + "/" + model.settings.content + "/contacts")
        // One file after another: creating files in one folder from several threads only
        // contends for the folder's lock in the kernel (measured: slower, not faster).
        for change in plan.changes {
            guard let text = change.text else { continue }
            let full = model.root + "/" + change.path
            switch change.kind {
            case .added: try fileSystem.createExclusively(Array(text.utf8), at: full)
            case .changed: try fileSystem.writeAtomically(Array(text.utf8), to: full)
            case .unchanged: break
            }
        }
    }
}

/// `segmark export contacts FILE`: every contact in the import's format, English captions,
/// values as written, so an export imported into an empty workspace gives the same contacts.
public struct ContactExporter: Sendable {
    public init() {}

    public func csv(_ model: Model) -> String {
        let keys = ContactImporter.keys
        var rows: [[String]] = [keys.map { key in ContactImporter.captions.first { $0.key == key }!.english }]
        for c in model.contacts {
            rows.append(keys.map { key -> String in
                switch key {
                case "id": return c.id
                case "name": return c.name
                case "type": return c.type == .company ? "Company" : "Person"
                case "company": return c.company?.value ?? ""
                case "correspondence_type": return c.correspondenceType.map { $0 == .email ? "E-Mail" : "Hard Copy" } ?? ""
                case "exclude_from_segments": return c.excludeFromSegments ? "Yes" : "No"
                default: return ContactField(rawValue: key).flatMap { c.values[$0] } ?? ""
                }
            })
        }
        // Plain RFC 4180 quoting: an export keeps values as written (no formula guard).
        return rows.map { $0.map(Self.field).joined(separator: ",") + "\r\n" }.joined()
    }

    static func field(_ v: String) -> String { CSV.quoted(v) }
}
