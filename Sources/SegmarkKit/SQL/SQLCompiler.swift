import Foundation

/// Compiles a segment's criteria into one standalone `SELECT` over the tables of `SQLSchema`
/// (R90): each step is a CTE over the one before (add = union, reduce and refine keep or drop
/// members by their groups), groups are `EXISTS` over the value tables, `segment:` groups read
/// the CTEs of the segments they name (compiled first, in dependency order), and every filter
/// keeps BC's semantics as Segmark's own matcher has them (R40–R42): relative dates are
/// resolved here and written as literals, codes compare folded, wildcards escape `%` and `_`,
/// a missing value matches `''` and `<>A`.
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
        sql += "\nSELECT c.contact_id AS contact_id\nFROM \(name(si)) s\nJOIN contacts c ON c.contact_key = s.contact_key\nORDER BY c.contact_key;\n"
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
            for d in graph.dependencies[s].reversed() where !seen.contains(d) { stack.append((d, false)) }
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

    /// `last_interaction_date` and `last_attempt_date` as of the as-of date (R32, R48), in the
    /// value tables' shape.
    func computedDates() -> String {
        let d = dialect.literal(asOf.description)
        let shape = { (field: String, condition: String) in
            "SELECT contact_key, '\(field)' AS field, MAX(entry_date) AS value, MAX(entry_date) AS value_folded, CAST(NULL AS \(dialect.numberType)) AS value_number, MAX(entry_date) AS value_date\n"
                + "FROM interaction_entries WHERE canceled = 0 AND \(condition) AND entry_date <= \(d) GROUP BY contact_key"
        }
        return shape("last_interaction_date", "attempt_failed = 0") + "\nUNION ALL\n" + shape("last_attempt_date", "initiated_by = 'us'")
    }

    func name(_ si: Int) -> String { "segment_\(si)" }

    // MARK: steps

    func segmentCTEs(_ si: Int) -> [(String, String)] {
        let s = model.segments[si]
        let p = name(si)
        var out: [(String, String)] = [("\(p)_step0", "SELECT contact_key FROM contacts WHERE 1 = 0")]
        for (n, step) in s.criteria.enumerated() {
            let prev = "\(p)_step\(n)", this = "\(p)_step\(n + 1)"
            let groups = conditions(step.groups)
            switch step.action {
            case .add:
                var current = "\(this)_match"
                out.append((current, "SELECT c.contact_key FROM contacts c\nWHERE \(groups)"))
                if step.expandCompanies {
                    out.append(("\(this)_expanded", widened(current)))
                    current = "\(this)_expanded"
                }
                if step.allowRelatedCompanies {
                    out.append(("\(this)_related", "SELECT contact_key FROM \(current)\nUNION\nSELECT y.company_number FROM \(current) m JOIN contacts y ON y.contact_key = m.contact_key\nWHERE y.type = 'person' AND y.company_number IS NOT NULL"))
                    current = "\(this)_related"
                }
                if !step.ignoreExclusion {
                    out.append(("\(this)_allowed", "SELECT m.contact_key FROM \(current) m JOIN contacts c ON c.contact_key = m.contact_key\nWHERE c.exclude_from_segments = 0"))
                    current = "\(this)_allowed"
                }
                out.append((this, "SELECT contact_key FROM \(prev)\nUNION\nSELECT contact_key FROM \(current)"))
            case .reduce, .refine:
                let keep = step.action == .refine
                if step.entireCompanies {
                    out.append(("\(this)_companies", widened(prev)))
                    out.append(("\(this)_match", "SELECT c.contact_key FROM \(this)_companies t JOIN contacts c ON c.contact_key = t.contact_key\nWHERE \(groups)"))
                    out.append(("\(this)_widened", widened("\(this)_match")))
                    out.append((this, "SELECT p.contact_key FROM \(prev) p\nWHERE \(keep ? "" : "NOT ")EXISTS (SELECT 1 FROM \(this)_widened x WHERE x.contact_key = p.contact_key)"))
                } else {
                    out.append((this, "SELECT c.contact_key FROM \(prev) p JOIN contacts c ON c.contact_key = p.contact_key\nWHERE \(keep ? "" : "NOT ")(\(groups))"))
                }
            }
        }
        out.append((p, "SELECT contact_key FROM \(p)_step\(s.criteria.count)"))
        return out
    }

    /// The contacts of `set` and every contact sharing a company number with one of them (R35, R37).
    func widened(_ set: String) -> String {
        "SELECT c.contact_key FROM contacts c\nWHERE EXISTS (SELECT 1 FROM \(set) m WHERE m.contact_key = c.contact_key)\n"
            + "   OR EXISTS (SELECT 1 FROM \(set) m JOIN contacts y ON y.contact_key = m.contact_key WHERE y.company_number = c.company_number)"
    }

    // MARK: groups

    /// Every group of a step must hold (R31); no groups hold for every contact (R30).
    func conditions(_ groups: [FilterGroup]) -> String {
        let parts = groups.map(group)
        return parts.isEmpty ? "1 = 1" : parts.map { "(\($0))" }.joined(separator: "\n  AND ")
    }

    func group(_ g: FilterGroup) -> String {
        switch g.kind {
        case .contact:
            // Each value table row is named by the field as written in filters (`city`, `fields.score`).
            return zip(g.conditions, g.fields).map { condition, field in
                let table = Self.isComputedDate(field) ? "computed_dates" : "contact_values"
                return valueCondition(table: table, key: "contact_key", owner: "c.contact_key", field: condition.field, filter: condition.filter,
                                      missingMatters: true)
            }.joined(separator: " AND ")
        case .profile:
            return g.conditions.map { question, filter in
                valueCondition(table: "contact_values", key: "contact_key", owner: "c.contact_key", field: "profile." + Text.fold(question),
                               filter: filter, missingMatters: false)
            }.joined(separator: " AND ")
        case .mailingGroups, .jobResponsibilities:
            return valueCondition(table: "contact_values", key: "contact_key", owner: "c.contact_key", field: g.kind.rawValue,
                                  filter: g.conditions[0].filter, missingMatters: false)
        case .industryGroups, .businessRelations:
            // Read from the company number: a person inherits its company's codes (R12).
            return valueCondition(table: "contact_values", key: "contact_key", owner: "c.company_number", field: g.kind.rawValue,
                                  filter: g.conditions[0].filter, missingMatters: false)
        case .interactions:
            var parts = ["e.contact_key = c.contact_key", "e.entry_date <= \(dialect.literal(asOf.description))"]
            for (field, filter) in g.conditions {
                parts.append(valueCondition(table: "entry_values", key: "entry_id", owner: "e.entry_id", field: field, filter: filter, missingMatters: true))
            }
            return "EXISTS (SELECT 1 FROM interaction_entries e WHERE " + parts.joined(separator: " AND ") + ")"
        case .segment:
            let filter = g.conditions[0].filter
            let named = model.segments.indices.filter { filter.matches(.text(model.segments[$0].id), asOf: asOf) }
            if named.isEmpty { return "1 = 0" }
            return named.map { "EXISTS (SELECT 1 FROM \(name($0)) m WHERE m.contact_key = c.contact_key)" }.joined(separator: " OR ")
        }
    }

    /// A field's filter: some row of the field matches it, or — when the filter matches a
    /// missing value (`''`, `<>A`) and the field is single-valued — the field has no row.
    func valueCondition(table: String, key: String, owner: String, field: String, filter: Filter, missingMatters: Bool) -> String {
        let f = dialect.literal(field)
        var sql = "EXISTS (SELECT 1 FROM \(table) v WHERE v.\(key) = \(owner) AND v.field = \(f) AND (\(matches(filter))))"
        if missingMatters && filter.matches(.missing, asOf: asOf) {
            sql = "(\(sql) OR NOT EXISTS (SELECT 1 FROM \(table) v WHERE v.\(key) = \(owner) AND v.field = \(f)))"
        }
        return sql
    }

    // MARK: filters on a present value (v.value, v.value_folded, v.value_number, v.value_date)

    func matches(_ filter: Filter) -> String {
        let alternatives = filter.alternatives.map { terms in
            terms.isEmpty ? "1 = 1" : terms.map { "COALESCE(\(term($0, filter.type)), FALSE)" }.joined(separator: " AND ")
        }
        return alternatives.isEmpty ? "1 = 0" : alternatives.map { "(\($0))" }.joined(separator: " OR ")
    }

    func term(_ t: FilterTerm, _ type: FieldType) -> String {
        switch t.operation {
        case .empty: return "1 = 0"
        case .notEmpty: return "1 = 1"
        case .equal: return t.value.map { equal($0, type, t.caseInsensitive) } ?? "1 = 0"
        case .notEqual: return t.value.map { "NOT COALESCE(\(equal($0, type, t.caseInsensitive)), FALSE)" } ?? "1 = 1"
        case .less: return t.value.map { compare($0, "<", type, t.caseInsensitive) } ?? "1 = 0"
        case .lessOrEqual: return t.value.map { compare($0, "<=", type, t.caseInsensitive) } ?? "1 = 0"
        case .greater: return t.value.map { compare($0, ">", type, t.caseInsensitive) } ?? "1 = 0"
        case .greaterOrEqual: return t.value.map { compare($0, ">=", type, t.caseInsensitive) } ?? "1 = 0"
        case .range(let low, let high):
            var parts: [String] = []
            if let low { parts.append("COALESCE(\(compare(low, ">=", type, t.caseInsensitive)), FALSE)") }
            if let high { parts.append("COALESCE(\(compare(high, "<=", type, t.caseInsensitive)), FALSE)") }
            return parts.isEmpty ? "1 = 1" : parts.joined(separator: " AND ")
        }
    }

    func folds(_ type: FieldType, _ ci: Bool) -> Bool { ci || type == .code || type == .fixed }

    func number(_ d: Decimal) -> String { Number.format(d) }

    func equal(_ v: FilterValue, _ type: FieldType, _ ci: Bool) -> String {
        switch type {
        case .number: return v.number.map { "v.value_number = \(number($0))" } ?? "1 = 0"
        case .date: return v.date.map { "v.value_date = \(dialect.literal($0.resolve(asOf: asOf).description))" } ?? "1 = 0"
        case .bool: return v.bool.map { "v.value_folded = '\($0 ? "true" : "false")'" } ?? "1 = 0"
        case .custom where !v.hasWildcards:
            return typedCustom(v, op: "=", text: textEqual(v, ci: ci, fold: ci))
        default:
            return textEqual(v, ci: ci, fold: folds(type, ci))
        }
    }

    func textEqual(_ v: FilterValue, ci: Bool, fold: Bool) -> String {
        let column = fold ? "v.value_folded" : "v.value"
        if v.hasWildcards {
            let pieces = v.pieces.map { p -> FilterValue.Piece in
                if fold, case .text(let s) = p { return .text(s.lowercased()) }
                return p
            }
            return dialect.wildcard(column, pieces)
        }
        return "\(column) = \(dialect.literal(fold ? v.text.lowercased() : v.text))"
    }

    func compare(_ v: FilterValue, _ op: String, _ type: FieldType, _ ci: Bool) -> String {
        switch type {
        case .number: return v.number.map { "v.value_number \(op) \(number($0))" } ?? "1 = 0"
        case .date: return v.date.map { "v.value_date \(op) \(dialect.literal($0.resolve(asOf: asOf).description))" } ?? "1 = 0"
        case .bool: return "1 = 0"
        case .custom: return typedCustom(v, op: op, text: textCompare(v, op, fold: ci))
        default: return textCompare(v, op, fold: folds(type, ci))
        }
    }

    func textCompare(_ v: FilterValue, _ op: String, fold: Bool) -> String {
        fold ? "v.value_folded \(op) \(dialect.literal(v.text.lowercased()))" : "v.value \(op) \(dialect.literal(v.text))"
    }

    /// A custom field compares as a number when both sides are numbers, as a date when both
    /// are dates, else as text (R32).
    func typedCustom(_ v: FilterValue, op: String, text: String) -> String {
        var branches: [String] = []
        if let n = v.number { branches.append("WHEN v.value_number IS NOT NULL THEN v.value_number \(op) \(number(n))") }
        if let d = v.date { branches.append("WHEN v.value_date IS NOT NULL THEN v.value_date \(op) \(dialect.literal(d.resolve(asOf: asOf).description))") }
        if branches.isEmpty { return text }
        return "CASE " + branches.joined(separator: " ") + " ELSE \(text) END"
    }
}
