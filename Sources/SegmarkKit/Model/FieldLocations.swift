/// Where each field of a contact's file was written (`city`, `industry_groups.0`,
/// `profile.QUESTION`), for diagnostics: by key, in code-point order of the keys.
///
/// A table per contact (`[String: SourceLocation]`) took 133 MB at L, 1.3 KB a contact
/// (heaptrack): every location repeated the file's path, and a hash table keeps room to spare.
/// Here the path is held once and a location is two numbers beside its key.
public struct FieldLocations: Sendable, Equatable, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    private struct Entry: Sendable, Equatable {
        var key: String
        var line: Int32
        var column: Int32
    }

    /// The path of the locations held in `entries` (that of the first location set).
    private var path: String?
    private var entries: [Entry] = []
    /// Locations in another file, or whose numbers do not fit (none that a decoder makes).
    private var others: [String: SourceLocation] = [:]

    public init() {}

    public init(dictionaryLiteral elements: (String, SourceLocation)...) {
        for (key, location) in elements { self[key] = location }
    }

    public var isEmpty: Bool { entries.isEmpty && others.isEmpty }

    /// The keys, in code-point order.
    public var keys: [String] { (entries.map(\.key) + others.keys).sorted(by: Text.codePointLess) }

    public subscript(key: String) -> SourceLocation? {
        get {
            if case .found(let i) = place(of: key), let path { return SourceLocation(path: path, line: Int(entries[i].line), column: Int(entries[i].column)) }
            return others.isEmpty ? nil : others[key]
        }
        set {
            let at = place(of: key)
            if !others.isEmpty { others[key] = nil }
            guard let location = newValue else {
                if case .found(let i) = at { entries.remove(at: i) }
                return
            }
            if path == nil { path = location.path }
            guard location.path == path, let line = Int32(exactly: location.line), let column = Int32(exactly: location.column) else {
                if case .found(let i) = at { entries.remove(at: i) }
                others[key] = location
                return
            }
            switch at {
            case .found(let i): entries[i] = Entry(key: key, line: line, column: column)
            case .missing(let i): entries.insert(Entry(key: key, line: line, column: column), at: i)
            }
        }
    }

    /// The same keys at the same places (however they are held).
    public static func == (a: FieldLocations, b: FieldLocations) -> Bool {
        a.keys == b.keys && a.keys.allSatisfy { a[$0] == b[$0] }
    }

    /// `[key: path:line:column, …]` in key order.
    public var description: String {
        "[" + keys.map { "\($0): \(self[$0]!)" }.joined(separator: ", ") + "]"
    }

    /// Reserves room for this many locations (decoding knows the count).
    public mutating func reserveCapacity(_ count: Int) { entries.reserveCapacity(count) }

    private enum Place { case found(Int), missing(Int) }

    /// Binary search by code point order; the parse cache lists a contact's keys in that order,
    /// so reading it compares each key with the last one only.
    private func place(of key: String) -> Place {
        if let last = entries.last, Text.codePointLess(last.key, key) { return .missing(entries.count) }
        var lo = 0, hi = entries.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if Text.codePointLess(entries[mid].key, key) { lo = mid + 1 } else { hi = mid }
        }
        return lo < entries.count && entries[lo].key == key ? .found(lo) : .missing(lo)
    }
}
