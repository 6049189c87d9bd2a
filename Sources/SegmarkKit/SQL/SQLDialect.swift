/// The SQL engines Segmark writes for, and what differs between them: string literals,
/// wildcard matching, column types and how a table is loaded from CSV.
public enum SQLDialect: String, Sendable, CaseIterable {
    case sqlite, postgres, duckdb, spark

    /// A string literal: quotes doubled; Spark also reads backslashes as escapes.
    func literal(_ s: String) -> String {
        var out = "'"
        for ch in s.unicodeScalars {
            if ch == "'" { out += "''"; continue }
            if ch == "\\" && self == .spark { out += "\\\\"; continue }
            out.unicodeScalars.append(ch)
        }
        return out + "'"
    }

    /// `column` matches the wildcard pattern (`*` any run, `?` one character), every other
    /// character literal. SQLite's LIKE ignores ASCII case, so SQLite uses GLOB; the others
    /// use LIKE with `!` as the escape character (no dialect reads `!` specially in strings).
    func wildcard(_ column: String, _ pieces: [FilterValue.Piece]) -> String {
        var pattern = ""
        for piece in pieces {
            switch piece {
            case .anyRun: pattern += self == .sqlite ? "*" : "%"
            case .anyOne: pattern += self == .sqlite ? "?" : "_"
            case .text(let s):
                for ch in s {
                    if self == .sqlite {
                        if ch == "*" || ch == "?" || ch == "[" { pattern += "[\(ch)]" } else { pattern.append(ch) }
                    } else {
                        if ch == "%" || ch == "_" || ch == "!" { pattern.append("!") }
                        pattern.append(ch)
                    }
                }
            }
        }
        return self == .sqlite ? "\(column) GLOB \(literal(pattern))" : "\(column) LIKE \(literal(pattern)) ESCAPE '!'"
    }

    var textType: String {
        switch self {
        case .sqlite, .duckdb: return "TEXT"
        case .postgres: return "TEXT COLLATE \"C\""  // ranges and order by code point
        case .spark: return "STRING"
        }
    }

    var numberType: String {
        switch self {
        case .sqlite: return "REAL"
        case .postgres: return "DOUBLE PRECISION"
        case .duckdb, .spark: return "DOUBLE"
        }
    }

    var integerType: String { self == .spark ? "INT" : "INTEGER" }
}
