import Foundation

/// Typed access to one YAML mapping's keys, collecting diagnostics as it goes.
/// Every value is read as written; only the types asked for (number, bool, date) are converted.
public struct FieldReader {
    public let path: String
    public let location: SourceLocation
    public private(set) var pairs: [YAMLPair]
    public var diagnostics: [Diagnostic] = []
    private var index: [String: Int] = [:]

    /// - Parameters:
    ///   - node: the mapping (nil or null is an empty mapping).
    ///   - known: the keys this record understands; others get a warning with a suggestion.
    ///   - what: a noun for messages ("front matter", "step").
    public init(_ node: YAMLNode?, path: String, known: [String], what: String, unknownIsError: Bool = false) {
        self.path = path
        self.location = node?.location ?? SourceLocation(path: path, line: 1, column: 1)
        self.pairs = []
        guard let node, !node.isNull else { return }
        guard let pairs = node.mapping else {
            diagnostics.append(.error("\(what) must be a map of keys to values, not \(node.kindName)", at: node.location))
            return
        }
        self.pairs = pairs
        for (i, pair) in pairs.enumerated() {
            let key = pair.keyText
            index[key] = i
            if !known.contains(key) {
                let message = "unknown key '\(key)'" + Text.didYouMean(key, known)
                diagnostics.append(Diagnostic(unknownIsError ? .error : .warning, message, at: pair.key.location))
            }
        }
    }

    public func node(_ key: String) -> YAMLNode? {
        guard let i = index[key] else { return nil }
        let n = pairs[i].value
        return n.isNull ? nil : n
    }

    public func keyLocation(_ key: String) -> SourceLocation? {
        index[key].map { pairs[$0].key.location }
    }

    public func has(_ key: String) -> Bool { node(key) != nil }

    mutating func error(_ message: String, at location: SourceLocation) {
        diagnostics.append(.error(message, at: location))
    }

    mutating func warning(_ message: String, at location: SourceLocation) {
        diagnostics.append(.warning(message, at: location))
    }

    /// A scalar as written; a map or list is an error.
    public mutating func text(_ key: String) -> String? {
        guard let n = node(key) else { return nil }
        guard let s = n.scalar else {
            error("'\(key)' must be a single value, not \(n.kindName)", at: n.location)
            return nil
        }
        return s
    }

    public mutating func located(_ key: String) -> Located<String>? {
        guard let n = node(key), let s = text(key) else { return nil }
        return Located(s, at: n.location.advanced(by: n.textColumnOffset))
    }

    public mutating func requiredText(_ key: String, noun: String) -> String? {
        if let s = text(key), !s.isEmpty { return s }
        if node(key) == nil {
            error("\(noun) has no '\(key)'; it is required", at: keyLocation(key) ?? location)
        }
        return nil
    }

    public mutating func number(_ key: String, nonNegative: Bool = false) -> Decimal? {
        guard let n = node(key), let s = text(key) else { return nil }
        guard let value = Number.parse(s) else {
            error("'\(key)' must be a number, found '\(s)'", at: n.location)
            return nil
        }
        if nonNegative && value < 0 {
            error("'\(key)' must not be negative, found \(s)", at: n.location)
            return nil
        }
        return value
    }

    public mutating func bool(_ key: String) -> Bool? {
        guard let n = node(key), let s = text(key) else { return nil }
        guard let b = FilterValue.parseBool(s) else {
            error("'\(key)' must be true or false, found '\(s)'", at: n.location)
            return nil
        }
        return b
    }

    public mutating func date(_ key: String) -> Day? {
        guard let n = node(key), let s = text(key) else { return nil }
        guard let d = Day(s) else {
            if Day.looksLikeDate(s) {
                error("'\(key)' is not a real date: '\(s)' does not exist in the calendar", at: n.location)
            } else {
                error("'\(key)' must be a date written YYYY-MM-DD, found '\(s)'", at: n.location)
            }
            return nil
        }
        return d
    }

    public mutating func oneOf<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type) -> E? where E.RawValue == String {
        guard let n = node(key), let s = text(key) else { return nil }
        if let e = E.allCases.first(where: { $0.rawValue.lowercased() == s.lowercased() }) { return e }
        let values = E.allCases.map(\.rawValue)
        error("'\(key)' must be \(FilterParser.orList(values)), found '\(s)'" + Text.didYouMean(s, values), at: n.location)
        return nil
    }

    /// A list of scalars; a single scalar is a list of one.
    public mutating func list(_ key: String) -> [Located<String>] {
        guard let n = node(key) else { return [] }
        if let s = n.scalar { return [Located(s, at: n.location.advanced(by: n.textColumnOffset))] }
        guard let items = n.sequence else {
            error("'\(key)' must be a list, not \(n.kindName)", at: n.location)
            return []
        }
        var out: [Located<String>] = []
        for item in items {
            if item.isNull { continue }
            guard let s = item.scalar else {
                error("each item of '\(key)' must be a single value, not \(item.kindName)", at: item.location)
                continue
            }
            out.append(Located(s, at: item.location.advanced(by: item.textColumnOffset)))
        }
        return out
    }

    /// A map of keys to nodes.
    public mutating func map(_ key: String) -> [YAMLPair] {
        guard let n = node(key) else { return [] }
        guard let pairs = n.mapping else {
            error("'\(key)' must be a map, not \(n.kindName)", at: n.location)
            return []
        }
        return pairs
    }

    /// The record id: the `id` key, else the file name without `.md`.
    public mutating func id(fileName: String) -> Located<String> {
        if let n = node("id"), let s = text("id") {
            let located = Located(s, at: n.location)
            if !Text.isValidID(s) {
                error("invalid id '\(s)'; an id is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit", at: n.location)
            }
            return located
        }
        let name = fileName.hasSuffix(".md") ? String(fileName.dropLast(3)) : fileName
        if !Text.isValidID(name) {
            error("the file name '\(name)' is not a valid id; add an 'id' key (letters, digits, '.', '_' or '-', at most 64)", at: location)
        }
        return Located(name, at: SourceLocation(path: path, line: 1, column: 1))
    }
}
