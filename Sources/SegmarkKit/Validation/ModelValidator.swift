import Foundation

/// Cross-record rules: unique ids, companies, references, code tables,
/// segment references and cycles, batch entries.
public struct ModelValidator: Sendable {
    /// "Did you mean" for each table and unknown code, found once: 100,000 imported contacts
    /// may carry the same code that a table of thousands lacks. (A validator checks one model.)
    private let hints = Hints()

    public init() {}

    /// "Did you mean" per list (a code table, the segment ids, …), each list's search made
    /// once per check and shared by the threads that check contacts.
    final class Hints: @unchecked Sendable {
        private let lock = NSLock()
        private var suggesters: [String: Suggester] = [:]

        /// "; did you mean 'X'?" for `word` among the list called `list`, or empty.
        func didYouMean(_ word: String, in list: String, _ candidates: () -> [String]) -> String {
            lock.lock()
            let suggester = suggesters[list] ?? Suggester(candidates())
            suggesters[list] = suggester
            lock.unlock()
            return suggester.didYouMean(word)
        }
    }

    public func validate(_ model: Model) -> [Diagnostic] {
        var out: [Diagnostic] = []
        duplicates(model.contacts, \.id, \.path, \.idLocation, RecordKind.contact, &out)
        duplicates(model.segments, \.id, \.path, \.idLocation, RecordKind.segment, &out)
        duplicates(model.campaigns, \.id, \.path, \.idLocation, RecordKind.campaign, &out)
        duplicates(model.templates, \.id, \.path, \.idLocation, RecordKind.interactionTemplate, &out)
        duplicates(model.batches, \.id, \.path, \.idLocation, RecordKind.batch, &out)
        contacts(model, &out)
        segments(model, &out)
        campaigns(model, &out)
        templates(model, &out)
        batches(model, &out)
        outputCollisions(model, &out)
        filterValues(model, &out)
        out += LetterMerge.diagnostics(model)
        return out
    }

    func duplicates<T>(_ items: [T], _ id: KeyPath<T, String>, _ path: KeyPath<T, String>, _ location: KeyPath<T, SourceLocation>,
                       _ kind: RecordKind, _ out: inout [Diagnostic]) {
        var i = 0
        while i < items.count {
            var j = i + 1
            let key = Text.fold(items[i][keyPath: id])
            while j < items.count, Text.fold(items[j][keyPath: id]) == key {
                out.append(duplicate(items[j][keyPath: id], of: items[i][keyPath: path], kind, at: items[j][keyPath: location]))
                j += 1
            }
            i = j
        }
    }

    /// Every rule that reads segments (ids, references, cycles, filter values, report paths):
    /// after a change to segments alone, the diagnostics in segment files are these again.
    func segmentRules(_ model: Model) -> [Diagnostic] {
        var out: [Diagnostic] = []
        duplicates(model.segments, \.id, \.path, \.idLocation, RecordKind.segment, &out)
        segments(model, &out)
        outputCollisions(model, &out)
        filterValues(model, &out)
        return out
    }

    func duplicate(_ id: String, of firstPath: String, _ kind: RecordKind, at location: SourceLocation) -> Diagnostic {
        .error("duplicate \(kind.noun) id '\(id)': \(firstPath) has the same id (ids are compared ignoring case)", at: location)
    }

    /// Every diagnostic located in contact `i`'s file that validation gives: its own checks and
    /// the duplicate-id error when an earlier contact has its id (the model sorts by folded id).
    func diagnostics(ofContact i: Int, _ model: Model) -> [Diagnostic] {
        var out = contact(i, model)
        let key = Text.fold(model.contacts[i].id)
        var first = i
        while first > 0, Text.fold(model.contacts[first - 1].id) == key { first -= 1 }
        if first != i {
            out.append(duplicate(model.contacts[i].id, of: model.contacts[first].path, .contact, at: model.contacts[i].idLocation))
        }
        return out
    }

    /// A warning when a value is not a code of its table. The location is looked up only then
    /// (a workspace holds hundreds of thousands of codes, nearly all of them good).
    func code(_ model: Model, _ table: String, _ value: String?, at location: @autoclosure () -> SourceLocation?, what: String,
              _ out: inout [Diagnostic]) {
        guard let value, !value.isEmpty, let t = model.codes.table(table), !t.contains(value), let location = location() else { return }
        let hint = hints.didYouMean(value, in: "codes " + table) { t.entries.map(\.code) }
        out.append(.warning("\(what) '\(value)' is not in the \(table) table of codes.yml" + hint, at: location))
    }

    func contacts(_ model: Model, _ out: inout [Diagnostic]) {
        // Contacts are checked on every core; the diagnostics are sorted afterwards.
        let found = parallelMap(model.contacts.count, itemsPerWorker: 512) { i in contact(i, model) }
        for list in found { out += list }
    }

    static let scalarTables: [(field: ContactField, table: String, what: String)] = [
        (.salesperson, "salespeople", "salesperson"), (.territory, "territories", "territory"),
        (.country, "countries", "country"), (.language, "languages", "language"),
    ]

    /// The checks of contact `i` on its own and of what it names (its company, codes, e-mail
    /// address, profile answers); every diagnostic is located in its file.
    func contact(_ i: Int, _ model: Model) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let c = model.contacts[i]
        if c.type == .person, let company = c.company {
            if let target = model.contactIndex(of: company.value) {
                if model.contacts[target].type != .company {
                    out.append(.error("company '\(company.value)' is a person, not a company contact", at: company.location))
                }
            } else {
                if !model.isUnreadable(.contact, company.value) { out.append(.error("company '\(company.value)' is not an existing company contact" + Text.didYouMean(company.value, []), at: company.location)) }
            }
        }
        for (field, table, what) in Self.scalarTables {
            code(model, table, c.values[field], at: c.locations[field.rawValue], what: what, &out)
        }
        let lists = [(c.industryGroups, "industry_groups"), (c.businessRelations, "business_relations"),
                     (c.mailingGroups, "mailing_groups"), (c.jobResponsibilities, "job_responsibilities")]
        for (codes, table) in lists {
            for (i, value) in codes.enumerated() {
                code(model, table, value, at: c.locations["\(table).\(i)"], what: "code", &out)
            }
        }
        if let email = c.values[.email], !email.isEmpty, !MailAddress.isValid(email), let loc = c.locations["email"] {
            out.append(.warning("'\(email)' is not an e-mail address like name@example.com; this contact gets no e-mail drafts", at: loc))
        }
        if !model.codes.questions.isEmpty {
            for (question, answers) in c.profile {
                guard let loc = c.locations["profile." + question] else { continue }
                guard let q = model.codes.question(question) else {
                    out.append(.warning("profile question '\(question)' is not in the profile table of codes.yml" + hints.didYouMean(question, in: "questions") { model.codes.questions.map(\.code) }, at: loc))
                    continue
                }
                if !q.answers.entries.isEmpty {
                    for a in answers where !q.answers.contains(a) {
                        out.append(.warning("answer '\(a)' is not an answer of profile question '\(q.code)' in codes.yml", at: c.locations["profile." + question + ".answers"] ?? loc))
                    }
                }
            }
        }
        return out
    }

    /// Two records whose reports would be the same file (compared as a case-insensitive file
    /// system would): segment `S1-labels` and the labels page of segment `S1`.
    func outputCollisions(_ model: Model, _ out: inout [Diagnostic]) {
        var owners: [String: (id: String, path: String, page: String)] = [:]
        func claim(_ kind: String, _ id: String, _ path: String, _ location: SourceLocation, _ pages: [(String, String)]) {
            for (file, page) in pages {
                let key = Text.fold(file)
                if let owner = owners[key] {
                    out.append(.error("\(kind) '\(id)' would write its \(page) to \(file), the \(owner.page) (\(owner.path)); "
                                      + "rename one of the two", at: location))
                } else {
                    owners[key] = (id, path, "\(page) of \(kind) \(id)")
                }
            }
        }
        for s in model.segments {
            claim("segment", s.id, s.path, s.idLocation, [("segments/\(s.id).html", "sheet"), ("segments/\(s.id)-labels.html", "labels page")])
        }
        for b in model.batches {
            claim("batch", b.id, b.path, b.idLocation, [("interactions/\(b.id).html", "page"), ("interactions/\(b.id)-labels.html", "labels page"),
                                                         ("interactions/\(b.id)-letters.html", "letters"), ("interactions/\(b.id)-mail", "e-mail folder")])
        }
    }

    /// Filters that can match nothing because a value is not a code of its table, or a custom
    /// field no contact has: legal, but almost always a typo (`country: NO OR GB`).
    func filterValues(_ model: Model, _ out: inout [Diagnostic]) {
        let contactTables: [String: (table: String, noun: String)] = [
            "salesperson": ("salespeople", "salesperson code"), "territory": ("territories", "territory code"),
            "country": ("countries", "country code"), "language": ("languages", "language code"),
        ]
        let groupTables: [FilterGroup.Kind: (table: String, noun: String)] = [
            .industryGroups: ("industry_groups", "industry group code"), .businessRelations: ("business_relations", "business relation code"),
            .mailingGroups: ("mailing_groups", "mailing group code"), .jobResponsibilities: ("job_responsibilities", "job responsibility code"),
        ]
        var customFields = Set<String>()
        for c in model.contacts { for f in c.fields { customFields.insert(f.name) } }
        let knownFields = customFields.sorted()
        for s in model.segments {
            for step in s.criteria {
                for group in step.groups {
                    for (field, filter) in group.conditions {
                        var table: (table: String, noun: String)?
                        switch group.kind {
                        case .contact:
                            if field.hasPrefix("fields.") {
                                let name = String(field.dropFirst(7))
                                if !customFields.contains(name) {
                                    out.append(.warning("no contact has the custom field '\(name)', so this filter sees it empty everywhere"
                                                        + Text.didYouMean(name, knownFields).replacingOccurrences(of: "did you mean '", with: "did you mean 'fields."),
                                                        at: filter.location))
                                }
                                continue
                            }
                            table = contactTables[field]
                        default:
                            table = groupTables[group.kind]
                        }
                        guard let table, let codes = model.codes.table(table.table) else { continue }
                        for alternative in filter.alternatives {
                            for term in alternative {
                                guard case .equal = term.operation, let v = term.value, !v.hasWildcards, !v.text.isEmpty, !codes.contains(v.text) else { continue }
                                let words = v.text.split(whereSeparator: { $0 == " " || $0 == "," }).filter { $0.uppercased() != "OR" }
                                var hint = hints.didYouMean(v.text, in: "codes " + table.table) { codes.entries.map(\.code) }
                                if words.count > 1, words.allSatisfy({ codes.contains(String($0)) }) {
                                    hint = "; for any of them, write " + words.joined(separator: "|")
                                }
                                out.append(.warning("'\(v.text)' is not a \(table.noun) (not in the \(table.table) table of codes.yml), so it matches nothing" + hint,
                                                    at: filter.location))
                            }
                        }
                    }
                }
            }
        }
    }

    func segments(_ model: Model, _ out: inout [Diagnostic]) {
        for s in model.segments {
            if let c = s.campaign, model.campaign(c.value) == nil {
                if !model.isUnreadable(.campaign, c.value) { out.append(.error("campaign '\(c.value)' does not exist" + hints.didYouMean(c.value, in: "campaigns") { model.campaigns.map(\.id) }, at: c.location)) }
            }
            if let t = s.interactionTemplate, model.template(t.value) == nil {
                if !model.isUnreadable(.interactionTemplate, t.value) { out.append(.error("interaction template '\(t.value)' does not exist" + hints.didYouMean(t.value, in: "templates") { model.templates.map(\.id) }, at: t.location)) }
            }
            code(model, "salespeople", s.salesperson?.value, at: s.salesperson?.location, what: "salesperson", &out)
            for step in s.criteria {
                for group in step.groups where group.kind == .segment {
                    for (_, filter) in group.conditions {
                        for alternative in filter.alternatives {
                            for term in alternative {
                                guard case .equal = term.operation, let v = term.value, !v.hasWildcards else { continue }
                                if model.segment(v.text) == nil, !model.isUnreadable(.segment, v.text) {
                                    out.append(.error("segment '\(v.text)' does not exist" + hints.didYouMean(v.text, in: "segments") { model.segments.map(\.id) }, at: filter.location))
                                }
                            }
                        }
                    }
                }
            }
        }
        let graph = SegmentGraph(model: model)
        for group in graph.cycles {
            let names = (group.path + [group.path[0]]).map { model.segments[$0].id }.joined(separator: " → ")
            let others = group.others.map { model.segments[$0].id }
            var message = "segments form a cycle: \(names)"
            if !others.isEmpty {
                message += "; \(others.count) more segment\(others.count == 1 ? "" : "s") read each other with them: "
                    + others.prefix(20).joined(separator: ", ") + (others.count > 20 ? ", …" : "")
            }
            let s = model.segments[group.path[0]]
            let loc = s.criteria.flatMap(\.groups).first { $0.kind == .segment }?.location ?? s.idLocation
            out.append(.error(message + " (none of them can be evaluated)", at: loc))
        }
    }

    func campaigns(_ model: Model, _ out: inout [Diagnostic]) {
        for c in model.campaigns {
            code(model, "salespeople", c.salesperson?.value, at: c.salesperson?.location, what: "salesperson", &out)
        }
    }

    func templates(_ model: Model, _ out: inout [Diagnostic]) {
        for t in model.templates {
            if let c = t.campaign, model.campaign(c.value) == nil {
                if !model.isUnreadable(.campaign, c.value) { out.append(.error("campaign '\(c.value)' does not exist" + hints.didYouMean(c.value, in: "campaigns") { model.campaigns.map(\.id) }, at: c.location)) }
            }
        }
    }

    func batches(_ model: Model, _ out: inout [Diagnostic]) {
        // Batches are checked on every core; the diagnostics are sorted afterwards.
        let found = parallelMap(model.batches.count, itemsPerWorker: 64) { bi -> [Diagnostic] in
            var out: [Diagnostic] = []
            let b = model.batches[bi]
            if let t = b.template, model.template(t.value) == nil {
                if !model.isUnreadable(.interactionTemplate, t.value) { out.append(.error("interaction template '\(t.value)' does not exist" + hints.didYouMean(t.value, in: "templates") { model.templates.map(\.id) }, at: t.location)) }
            }
            var campaigns = [b.values.campaign].compactMap { $0 }
            campaigns += b.entries.compactMap(\.values.campaign)
            for c in campaigns where model.campaignIndex[Text.fold(c.value)] == nil {
                if !model.isUnreadable(.campaign, c.value) { out.append(.error("campaign '\(c.value)' does not exist" + hints.didYouMean(c.value, in: "campaigns") { model.campaigns.map(\.id) }, at: c.location)) }
            }
            if let s = b.segment, model.segment(s.value) == nil {
                if !model.isUnreadable(.segment, s.value) { out.append(.warning("segment '\(s.value)' does not exist (was it deleted?)", at: s.location)) }
            }
            // Contact index → where the batch first names it; unknown ids by their folded text.
            var seen: [Int: SourceLocation] = [:]
            var unknown: [String: SourceLocation] = [:]
            seen.reserveCapacity(b.contacts.count + b.entries.count)
            func visit(_ contact: Located<String>) {
                let index = model.contactIndex(of: contact.value)
                let key = index == nil ? Text.fold(contact.value) : ""
                let first: SourceLocation? = if let index { seen[index] } else { unknown[key] }
                if let first {
                    out.append(.error("contact '\(contact.value)' is listed twice in this batch (first at line \(first.line))", at: contact.location))
                    return
                }
                if let index {
                    seen[index] = contact.location
                } else {
                    unknown[key] = contact.location
                    if !model.isUnreadable(.contact, contact.value) { out.append(.error("contact '\(contact.value)' does not exist", at: contact.location)) }
                }
            }
            for contact in b.contacts { visit(contact) }
            for entry in b.entries { visit(entry.contact) }
            return out
        }
        for list in found { out += list }
    }
}
