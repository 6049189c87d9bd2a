import Foundation

/// Compiles a segment's criteria into one standalone `SELECT` over the tables of `SQLSchema`,
/// whose rows are the segment's members: each step is a CTE over the one before (add = union, reduce and refine keep or drop
/// members by their groups); a single-valued field is a predicate on its record's row, the
/// codes, custom fields and profile answers `EXISTS` over `contact_values`; `segment:` groups
/// read the CTEs of the segments they name (compiled first, in dependency order). Every join
/// and `EXISTS` is on the integer `contact_no` (text keys made the hash joins three times
/// slower on DuckDB at 1M contacts); the rows come out by `contact_key`. Every filter keeps
/// BC's semantics as Segmark's own matcher has them: relative dates are resolved
/// here and written as literals, codes compare folded, wildcards escape `%` and `_`, a
/// missing value matches `''` and `<>A`.
public struct SQLCompiler {
    public let model: Model
    public let asOf: Day
    public let dialect: SQLDialect
    let graph: SegmentGraph

    public init(model: Model, asOf: Day, dialect: SQLDialect) {
        self.model = model
        self.asOf = asOf
        self.dialect = dialect
        self.graph = SegmentGraph(model: model)
    }

    public enum Problem: Error, Equatable { case cycle(String) }

    /// The query whose rows are the segment's members: one column `contact_id`, ordered by folded id.
    public func query(_ si: Int) throws(Problem) -> String {
        let needed = try segmentsNeeded(si)
        var ctes: [(String, String)] = []
        if usesComputedDates(needed) { ctes.append(("computed_dates", computedDates())) }
        for sj in needed { ctes += segmentCTEs(sj) }
        var sql = "WITH\n"
        sql += ctes.map { "\($0.0) AS (\n  \($0.1.replacingOccurrences(of: "\n", with: "\n  "))\n)" }.joined(separator: ",\n")
        sql += "\nSELECT c.contact_id AS contact_id\nFROM \(name(si)) s\nJOIN contacts c ON c.contact_no = s.contact_no\nORDER BY c.contact_key;\n"
        return sql
    }

    /// The segment and those it reads, each after the ones it reads.
    func segmentsNeeded(_ si: Int) throws(Problem) -> [Int] {
        let cyclic = graph.cyclic
        var seen = Set<Int>(), order: [Int] = []
        var stack: [(Int, Bool)] = [(si, false)]
        while let (s, done) = stack.popLast() {
            if cyclic.contains(s) { throw .cycle(model.segments[s].id) }
            if done { order.append(s); continue }
            guard seen.insert(s).inserted else { continue }
            stack.append((s, true))
            for d in graph.dependencies(of: s).reversed() where !seen.contains(d) { stack.append((d, false)) }
        }
        return order
    }

    /// The dates worked out from interaction entries, as of the as-of date.
    static func isComputedDate(_ field: CriterionField) -> Bool {
        field == .computed(.last_interaction_date) || field == .computed(.last_attempt_date)
    }

    func usesComputedDates(_ segments: [Int]) -> Bool {
        segments.contains { sj in
            model.segments[sj].criteria.contains { step in
                step.groups.contains { g in g.fields.contains(where: Self.isComputedDate) }
            }
        }
    }

    /// `last_interaction_date` and `last_attempt_date` as of the as-of date, in the
    /// value tables' shape.
    func computedDates() -> String {
        let d = dialect.literal(asOf.description)
        let shape = { (field: String, condition: String) in
            "SELECT contact_no, '\(field)' AS field, MAX(entry_date) AS value, MAX(entry_date) AS value_folded, CAST(NULL AS \(dialect.numberType)) AS value_number, MAX(entry_date) AS value_date\n"
                + "FROM interaction_entries WHERE canceled = 0 AND \(condition) AND entry_date <= \(d) GROUP BY contact_no"
        }
        return shape("last_interaction_date", "attempt_failed = 0") + "\nUNION ALL\n" + shape("last_attempt_date", "initiated_by = 'us'")
    }

    func name(_ si: Int) -> String { "segment_\(si)" }

    // MARK: steps

    func segmentCTEs(_ si: Int) -> [(String, String)] {
        let s = model.segments[si]
        let p = name(si)
        var out: [(String, String)] = [("\(p)_step0", "SELECT contact_no FROM contacts WHERE 1 = 0")]
        for (n, step) in s.criteria.enumerated() {
            let prev = "\(p)_step\(n)", this = "\(p)_step\(n + 1)"
            let groups = conditions(step.groups)
            switch step.action {
            case .add:
                var current = "\(this)_match"
                // Without widening, the exclusion is one more predicate on the same row (no join).
                let excludeHere = !step.ignoreExclusion && !step.expandCompanies && !step.allowRelatedCompanies
                // Widened to companies and nothing more: the exclusion is applied while widening.
                let excludeWidening = !step.ignoreExclusion && step.expandCompanies && !step.allowRelatedCompanies
                if step.expandCompanies {
                    // The matches widened to their companies, in one pass: every contact whose
                    // company group has a contact that matches.
                    current = "\(this)_expanded"
                    out.append((current, companiesWith(groups) + (excludeWidening ? "\n  AND w.exclude_from_segments = 0" : "")))
                } else {
                    out.append((current, "SELECT c.contact_no FROM contacts c\nWHERE \(groups)" + (excludeHere ? "\n  AND c.exclude_from_segments = 0" : "")))
                }
                if step.allowRelatedCompanies {
                    out.append(("\(this)_related", "SELECT contact_no FROM \(current)\nUNION\nSELECT y.company_no FROM \(current) m JOIN contacts y ON y.contact_no = m.contact_no\nWHERE y.type = 'person' AND y.company_no IS NOT NULL"))
                    current = "\(this)_related"
                }
                if !step.ignoreExclusion && !excludeHere && !excludeWidening {
                    out.append(("\(this)_allowed", "SELECT m.contact_no FROM \(current) m JOIN contacts c ON c.contact_no = m.contact_no\nWHERE c.exclude_from_segments = 0"))
                    current = "\(this)_allowed"
                }
                // Every CTE above holds each contact once: the first step needs no UNION.
                out.append((this, n == 0 ? "SELECT contact_no FROM \(current)" : "SELECT contact_no FROM \(prev)\nUNION\nSELECT contact_no FROM \(current)"))
            case .reduce, .refine:
                let keep = step.action == .refine
                if step.entireCompanies {
                    // entire companies: a member is in X when a contact of its company group matches (that
                    // contact is in T, since the member is): one read of the members.
                    out.append((this, "SELECT p.contact_no FROM \(prev) p JOIN contacts w ON w.contact_no = p.contact_no\nWHERE \(keep ? "" : "NOT ")EXISTS (SELECT 1 FROM contacts c WHERE c.company_group = w.company_group AND (\(groups)))"))
                } else {
                    out.append((this, "SELECT c.contact_no FROM \(prev) p JOIN contacts c ON c.contact_no = p.contact_no\nWHERE \(keep ? "" : "NOT ")(\(groups))"))
                }
            }
        }
        out.append((p, "SELECT contact_no FROM \(p)_step\(s.criteria.count)"))
        return out
    }

    /// Every contact (alias `w`) sharing a company group with a contact (alias `c`) that meets
    /// `condition`: the company and all its persons for a match with a company number, the
    /// contact alone for one without. `company_group` is the company's `contact_no`
    /// or the contact's own, so this is one semi-join on a plain column in every engine; it
    /// reads no step, so no step is read twice (Spark copies a CTE into every reader).
    func companiesWith(_ condition: String) -> String {
        "SELECT w.contact_no FROM contacts w\nWHERE EXISTS (SELECT 1 FROM contacts c WHERE c.company_group = w.company_group AND (\(condition)))"
    }

    // MARK: groups

    /// Every group of a step must hold; no groups hold for every contact.
    func conditions(_ groups: [FilterGroup]) -> String {
        let parts = groups.map(group)
        return parts.isEmpty ? "1 = 1" : parts.map { "(\($0))" }.joined(separator: "\n  AND ")
    }

    func group(_ g: FilterGroup) -> String {
        switch g.kind {
        case .contact:
            // A single-valued field is a column of the contact's row (`c.city__value`); custom
            // fields are rows of contact_values and the computed dates rows of computed_dates,
            // each named by the field as written in filters (`fields.score`).
            return zip(g.conditions, g.fields).map { condition, field in
                switch field {
                case .contact(let f):
                    return columnCondition(.field("c", f.rawValue), filter: condition.filter)
                case .computed(.company_name):
                    return columnCondition(.field("c", ComputedContactField.company_name.rawValue), filter: condition.filter)
                default:
                    let table = Self.isComputedDate(field) ? "computed_dates" : "contact_values"
                    return valueCondition(table: table, key: "contact_no", owner: "c.contact_no", field: condition.field, filter: condition.filter,
                                          missingMatters: true)
                }
            }.joined(separator: " AND ")
        case .profile:
            return g.conditions.map { question, filter in
                valueCondition(table: "contact_values", key: "contact_no", owner: "c.contact_no", field: "profile." + Text.fold(question),
                               filter: filter, missingMatters: false)
            }.joined(separator: " AND ")
        case .mailingGroups, .jobResponsibilities:
            return valueCondition(table: "contact_values", key: "contact_no", owner: "c.contact_no", field: g.kind.rawValue,
                                  filter: g.conditions[0].filter, missingMatters: false)
        case .industryGroups, .businessRelations:
            // Read from the company number: a person inherits its company's codes.
            return valueCondition(table: "contact_values", key: "contact_no", owner: "c.company_no", field: g.kind.rawValue,
                                  filter: g.conditions[0].filter, missingMatters: false)
        case .interactions:
            // One pass over the entries: every condition is a predicate on the entry's own row.
            var parts = ["e.contact_no = c.contact_no", "e.entry_date <= \(dialect.literal(asOf.description))"]
            for ((_, filter), field) in zip(g.conditions, g.fields) {
                guard case .interaction(let f) = field else {
                    parts.append(filter.matches(.missing, asOf: asOf) ? "1 = 1" : "1 = 0")  // a field no entry has
                    continue
                }
                parts.append(columnCondition(.field("e", f.rawValue), filter: filter))
            }
            return "EXISTS (SELECT 1 FROM interaction_entries e WHERE " + parts.joined(separator: " AND ") + ")"
        case .segment:
            let filter = g.conditions[0].filter
            let named = graph.segments(matching: filter, in: model)
            if named.isEmpty { return "1 = 0" }
            return named.map { "EXISTS (SELECT 1 FROM \(name($0)) m WHERE m.contact_no = c.contact_no)" }.joined(separator: " OR ")
        }
    }

    /// A single-valued field held in columns of a row: its value is present and matches, or
    /// — when the filter matches a missing value (`''`, `<>A`) — it is missing.
    func columnCondition(_ columns: Columns, filter: Filter) -> String {
        let match = matches(filter, columns)
        if filter.matches(.missing, asOf: asOf) { return "(\(columns.value) IS NULL OR (\(match)))" }
        return "(\(columns.value) IS NOT NULL AND (\(match)))"
    }

    /// Where a filter finds a value's forms: the value table's columns (`v.value`, …) or a
    /// field's columns on its record's row (`c.city__value`, …).
    struct Columns {
        var value, folded, number, date: String
        static let row = Columns(value: "v.value", folded: "v.value_folded", number: "v.value_number", date: "v.value_date")
        static func field(_ alias: String, _ name: String) -> Columns {
            let p = "\(alias).\(name)__"
            return Columns(value: p + "value", folded: p + "folded", number: p + "number", date: p + "date")
        }
    }

    /// A field's filter: some row of the field matches it, or — when the filter matches a
    /// missing value (`''`, `<>A`) and the field is single-valued — the field has no row.
    func valueCondition(table: String, key: String, owner: String, field: String, filter: Filter, missingMatters: Bool) -> String {
        let f = dialect.literal(field)
        var sql = "EXISTS (SELECT 1 FROM \(table) v WHERE v.\(key) = \(owner) AND v.field = \(f) AND (\(matches(filter, .row))))"
        if missingMatters && filter.matches(.missing, asOf: asOf) {
            sql = "(\(sql) OR NOT EXISTS (SELECT 1 FROM \(table) v WHERE v.\(key) = \(owner) AND v.field = \(f)))"
        }
        return sql
    }

    // MARK: filters on a present value (its forms as written, folded, number and date: `Columns`)

    func matches(_ filter: Filter, _ c: Columns) -> String {
        let alternatives = filter.alternatives.map { terms in
            terms.isEmpty ? "1 = 1" : terms.map { "COALESCE(\(term($0, filter.type, c)), FALSE)" }.joined(separator: " AND ")
        }
        return alternatives.isEmpty ? "1 = 0" : alternatives.map { "(\($0))" }.joined(separator: " OR ")
    }

    func term(_ t: FilterTerm, _ type: FieldType, _ c: Columns) -> String {
        switch t.operation {
        case .empty: return "1 = 0"
        case .notEmpty: return "1 = 1"
        case .equal: return t.value.map { equal($0, type, t.caseInsensitive, c) } ?? "1 = 0"
        case .notEqual: return t.value.map { "NOT COALESCE(\(equal($0, type, t.caseInsensitive, c)), FALSE)" } ?? "1 = 1"
        case .less: return t.value.map { compare($0, "<", type, t.caseInsensitive, c) } ?? "1 = 0"
        case .lessOrEqual: return t.value.map { compare($0, "<=", type, t.caseInsensitive, c) } ?? "1 = 0"
        case .greater: return t.value.map { compare($0, ">", type, t.caseInsensitive, c) } ?? "1 = 0"
        case .greaterOrEqual: return t.value.map { compare($0, ">=", type, t.caseInsensitive, c) } ?? "1 = 0"
        case .range(let low, let high):
            var parts: [String] = []
            if let low { parts.append("COALESCE(\(compare(low, ">=", type, t.caseInsensitive, c)), FALSE)") }
            if let high { parts.append("COALESCE(\(compare(high, "<=", type, t.caseInsensitive, c)), FALSE)") }
            return parts.isEmpty ? "1 = 1" : parts.joined(separator: " AND ")
        }
    }

    func folds(_ type: FieldType, _ ci: Bool) -> Bool { ci || type == .code || type == .fixed }

    func number(_ d: Decimal) -> String { Number.format(d) }

    func equal(_ v: FilterValue, _ type: FieldType, _ ci: Bool, _ c: Columns) -> String {
        switch type {
        case .number: return v.number.map { "\(c.number) = \(number($0))" } ?? "1 = 0"
        case .date: return v.date.map { "\(c.date) = \(dialect.literal($0.resolve(asOf: asOf).description))" } ?? "1 = 0"
        case .bool: return v.bool.map { "\(c.folded) = '\($0 ? "true" : "false")'" } ?? "1 = 0"
        case .custom where !v.hasWildcards:
            return typedCustom(v, op: "=", text: textEqual(v, ci: ci, fold: ci, c), c)
        default:
            return textEqual(v, ci: ci, fold: folds(type, ci), c)
        }
    }

    func textEqual(_ v: FilterValue, ci: Bool, fold: Bool, _ c: Columns) -> String {
        let column = fold ? c.folded : c.value
        if v.hasWildcards {
            let pieces = v.pieces.map { p -> FilterValue.Piece in
                if fold, case .text(let s) = p { return .text(s.lowercased()) }
                return p
            }
            return dialect.wildcard(column, pieces)
        }
        return "\(column) = \(dialect.literal(fold ? v.text.lowercased() : v.text))"
    }

    func compare(_ v: FilterValue, _ op: String, _ type: FieldType, _ ci: Bool, _ c: Columns) -> String {
        switch type {
        case .number: return v.number.map { "\(c.number) \(op) \(number($0))" } ?? "1 = 0"
        case .date: return v.date.map { "\(c.date) \(op) \(dialect.literal($0.resolve(asOf: asOf).description))" } ?? "1 = 0"
        case .bool: return "1 = 0"
        case .custom: return typedCustom(v, op: op, text: textCompare(v, op, fold: ci, c), c)
        default: return textCompare(v, op, fold: folds(type, ci), c)
        }
    }

    func textCompare(_ v: FilterValue, _ op: String, fold: Bool, _ c: Columns) -> String {
        fold ? "\(c.folded) \(op) \(dialect.literal(v.text.lowercased()))" : "\(c.value) \(op) \(dialect.literal(v.text))"
    }

    /// A custom field compares as a number when both sides are numbers, as a date when both
    /// are dates, else as text.
    func typedCustom(_ v: FilterValue, op: String, text: String, _ c: Columns) -> String {
        var branches: [String] = []
        if let n = v.number { branches.append("WHEN \(c.number) IS NOT NULL THEN \(c.number) \(op) \(number(n))") }
        if let d = v.date { branches.append("WHEN \(c.date) IS NOT NULL THEN \(c.date) \(op) \(dialect.literal(d.resolve(asOf: asOf).description))") }
        if branches.isEmpty { return text }
        return "CASE " + branches.joined(separator: " ") + " ELSE \(text) END"
    }
}
