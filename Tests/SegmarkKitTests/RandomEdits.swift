import Foundation
@testable import SegmarkKit

/// Random edits to a generated workspace, as a user makes them: contacts renamed, moved,
/// re-coded, added and removed; segments described and added; a batch canceled; a template
/// overridden; codes.yml and segmark.yml changed; the as-of date moved. Each edit says which
/// files it touched (relative to the root), as a file watcher would report them.
struct RandomEdits {
    let root: String
    let rng: Random
    let fm = FileManager.default
    /// How many kinds of edit `apply` chooses from.
    static let kinds = 17

    init(root: String, seed: Int) {
        self.root = root
        rng = Random(seed: UInt64(seed))
    }

    struct Edit {
        var log: String
        var touched: [String] = []
        /// Set when the edit moves the as-of date.
        var asOf: Day?
    }

    func files(_ folder: String) -> [String] {
        ((try? fm.subpathsOfDirectory(atPath: root + "/" + folder)) ?? []).filter { $0.hasSuffix(".md") }.sorted().map { folder + "/" + $0 }
    }

    func edit(_ path: String, _ change: (String) -> String) throws {
        let text = try String(contentsOfFile: root + "/" + path, encoding: .utf8)
        try change(text).write(toFile: root + "/" + path, atomically: true, encoding: .utf8)
    }

    func write(_ path: String, _ text: String) throws {
        try text.write(toFile: root + "/" + path, atomically: true, encoding: .utf8)
    }

    static func replaceLine(_ text: String, key: String, with value: String) -> String {
        var lines = text.components(separatedBy: "\n")
        if let i = lines.firstIndex(where: { $0.hasPrefix(key + ":") }) { lines[i] = key + ": " + value } else { lines.insert(key + ": " + value, at: 1) }
        return lines.joined(separator: "\n")
    }

    func pick(_ paths: [String]) -> String { paths[Int(rng.next() % UInt64(paths.count))] }

    /// One random edit; `kinds` limits the choice to the first kinds (contacts and segments
    /// edited in place: 5).
    func apply(step: Int, kinds: Int = RandomEdits.kinds) throws -> Edit {
        let contacts = files("Content/contacts")
        let persons = contacts.filter { (try? String(contentsOfFile: root + "/" + $0, encoding: .utf8))?.contains("type: person") ?? false }
        switch Int(rng.next() % UInt64(kinds)) {
        case 0:
            let c = pick(contacts)
            try edit(c) { Self.replaceLine($0, key: "name", with: "\"Renamed \(step)\"") }
            return Edit(log: "rename \(c)", touched: [c])
        case 1:
            // A company's codes are its people's too (industry groups, business relations).
            let c = pick(contacts)
            try edit(c) {
                let text = Self.replaceLine($0, key: "country", with: ["NO", "GB", "SE"][step % 3])
                guard text.contains("type: company") else { return text }
                return Self.replaceLine(Self.replaceLine(text, key: "industry_groups", with: "[]"), key: "business_relations", with: "[]")
            }
            return Edit(log: "country and codes \(c)", touched: [c])
        case 2:
            // A code that is not in codes.yml (a warning in the contact's file), or a good one.
            let c = pick(contacts)
            try edit(c) { Self.replaceLine($0, key: "salesperson", with: step % 2 == 0 ? "ZZQ" : "HR") }
            return Edit(log: "salesperson \(c)", touched: [c])
        case 3:
            // An e-mail address that is not one (a warning), or a good one; a new company.
            let c = pick(persons.isEmpty ? contacts : persons)
            let companies = contacts.filter { (try? String(contentsOfFile: root + "/" + $0, encoding: .utf8))?.contains("type: company") ?? false }
            let company = companies.first.map { String($0.split(separator: "/").last!.dropLast(3)) } ?? ""
            try edit(c) {
                let text = Self.replaceLine($0, key: "email", with: step % 2 == 0 ? "\"not an address\"" : "x\(step)@example.com")
                return persons.isEmpty || company.isEmpty ? text : Self.replaceLine(text, key: "company", with: company)
            }
            return Edit(log: "email/company \(c)", touched: [c])
        case 4:
            // New criteria for a segment: a contact filter, and a segment of segments (one that
            // names no other, so no cycle).
            let segments = files("Content/segments").filter { !$0.contains("/ADD") }
            let s = pick(segments)
            let other = files("Content/segments").first { $0.contains("/ADD") }.map { String($0.split(separator: "/").last!.dropLast(3)) }
            var criteria = "criteria:\n  - add:\n      contact: { country: \(["NO|SE", "GB", "DE|NO"][step % 3]) }\n"
            if let other { criteria += "  - reduce:\n      segment: \(other)\n" }
            try write(s, "---\ndescription: \"Criteria \(step)\"\n" + criteria + "---\nNew criteria.\n")
            return Edit(log: "criteria \(s)", touched: [s])
        case 16:
            let path = "Content/contacts/NEW\(step).md"
            try write(path, "---\nname: \"New \(step)\"\ncountry: NO\nsalesperson: HR\n---\nAdded.\n")
            return Edit(log: "add contact", touched: [path])
        case 5:
            // Remove a contact that no batch names (else the workspace has an error).
            guard let c = contacts.last(where: { $0.contains("/NEW") }) else { return Edit(log: "nothing to remove") }
            try fm.removeItem(atPath: root + "/" + c)
            return Edit(log: "remove \(c)", touched: [c])
        case 6:
            // A custom field, and a type change: both change what other records' checks see.
            let c = pick(contacts)
            try edit(c) { Self.replaceLine($0, key: step % 2 == 0 ? "fields" : "exclude_from_segments", with: step % 2 == 0 ? "{ size: \"\(step)\" }" : "true") }
            return Edit(log: "field \(c)", touched: [c])
        case 7:
            let s = pick(files("Content/segments"))
            try edit(s) { Self.replaceLine($0, key: "description", with: "\"Edited \(step)\"") }
            return Edit(log: "describe \(s)", touched: [s])
        case 8:
            let path = "Content/segments/ADD\(step).md"
            try write(path, "---\ndescription: \"Added \(step)\"\ncriteria:\n  - add:\n      contact: { country: NO|GB }\n---\n")
            return Edit(log: "add segment", touched: [path])
        case 9:
            guard let b = files("Content/interactions").first else { return Edit(log: "no batch") }
            try edit(b) { Self.replaceLine($0, key: "canceled", with: step % 2 == 0 ? "true" : "false") }
            return Edit(log: "cancel \(b)", touched: [b])
        case 10:
            try fm.createDirectory(atPath: root + "/Templates/html", withIntermediateDirectories: true)
            let builtIn = BuiltinTemplates.files.first { $0.0 == "html/contact.html" }!.1
            try write("Templates/html/contact.html", builtIn.replacingOccurrences(of: "<h2>Notes</h2>", with: "<h2>Notes (\(step))</h2>"))
            return Edit(log: "template", touched: ["Templates/html", "Templates/html/contact.html"])
        case 11:
            try edit("Content/codes.yml") { $0 + "\n# \(step)\n" }
            try edit("Content/codes.yml") { $0.replacingOccurrences(of: "salespeople:", with: "salespeople:\n  ZZ\(step): Someone \(step)") }
            return Edit(log: "codes", touched: ["Content/codes.yml"])
        case 12:
            try edit("segmark.yml") { Self.replaceLine($0, key: "title", with: "\"Title \(step)\"") }
            return Edit(log: "title", touched: ["segmark.yml"])
        case 13:
            // An editor's swap file beside a contact: not a record, changes nothing.
            let path = "Content/contacts/.\(step).swp"
            try write(path, "swap \(step)")
            return Edit(log: "swap file", touched: [path])
        case 14:
            // The same bytes written again (an editor's save without a change).
            let c = pick(contacts)
            try edit(c) { $0 }
            return Edit(log: "touch \(c)", touched: [c])
        default:
            let asOf = Day(year: 2026, month: 1 + Int(rng.next() % 12), day: 1)!
            return Edit(log: "as of \(asOf)", asOf: asOf)
        }
    }
}
