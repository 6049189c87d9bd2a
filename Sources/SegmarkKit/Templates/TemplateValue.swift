/// The data a page template reads: a small typed tree, so the renderer never casts `Any`.
/// Sections treat `.null`, `false` and an empty list as false; everything else as true
/// (an empty text too, as most Mustache implementations do).
public enum TemplateValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case text(String)
    case list([TemplateValue])
    /// A list whose items are made when they are rendered (a sheet's 100,000 member rows are
    /// never all held at once); to a template it is a list like any other.
    case rows(TemplateRows)
    case object(TemplateObject)

    /// `.text` for a present value, `.null` for a missing one (so `{{#x}}` opens only when it is there).
    public static func optional(_ s: String?) -> TemplateValue { s.map(TemplateValue.text) ?? .null }

    /// `TemplateObject.withField` on an object value; nil on any other.
    @inline(__always)
    func withField<R>(_ key: String, _ body: (borrowing TemplateValue) -> R) -> R? {
        guard case .object(let object) = self else { return nil }
        return object.withField(key, body)
    }

    /// Whether this is an object with shared fields (a list of them may render through the memo).
    var hasSharedFields: Bool {
        if case .object(let object) = self { return object.shared != nil }
        return false
    }

    var isFalsey: Bool {
        switch self {
        case .null: return true
        case .bool(let b): return !b
        case .list(let items): return items.isEmpty
        case .rows(let rows): return rows.count == 0
        default: return false
        }
    }
}

/// A template object: named fields in the order they were set. Pages have a dozen fields at
/// most, so a linear scan over short keys beats hashing.
public struct TemplateObject: Sendable, Equatable {
    public var fields: [(key: String, value: TemplateValue)]
    /// Fields this object shares with others (looked up after its own): see `SharedFields`.
    public var shared: SharedFields?

    public init(_ fields: [(key: String, value: TemplateValue)] = [], shared: SharedFields? = nil) {
        self.fields = fields
        self.shared = shared
    }

    public subscript(key: String) -> TemplateValue? {
        get { withField(key) { copy $0 } }
        set {
            if let i = fields.firstIndex(where: { $0.key == key }) {
                if let newValue { fields[i].value = newValue } else { fields.remove(at: i) }
            } else if let newValue {
                fields.append((key, newValue))
            }
        }
    }

    /// Calls `body` with the value of the field `key` (its own, then a shared one) where it is,
    /// without copying it out; nil when there is no such field. The renderer's hot path.
    @inline(__always)
    func withField<R>(_ key: String, _ body: (borrowing TemplateValue) -> R) -> R? {
        // Through pointers: an element read from an array is a copy (a retain and a release).
        fields.withUnsafeBufferPointer { Self.withField(key, own: $0, shared: shared, body) }
    }

    /// `withField` over an object's own fields, already in hand, and its shared ones.
    @inline(__always)
    static func withField<R>(_ key: String, own: UnsafeBufferPointer<(key: String, value: TemplateValue)>, shared: SharedFields?,
                             _ body: (borrowing TemplateValue) -> R) -> R? {
        if let i = index(of: key, in: own) { return body(own[i].value) }
        return withField(key, shared: shared, body)
    }

    /// `withField` over an object's shared fields only.
    @inline(__always)
    static func withField<R>(_ key: String, shared: SharedFields?, _ body: (borrowing TemplateValue) -> R) -> R? {
        guard let shared else { return nil }
        let count = key.utf8.count
        return shared.keys.withUnsafeBufferPointer { keys in
            for i in keys.indices where keys[i].utf8.count == count && keys[i] == key {
                return shared.values.withUnsafeBufferPointer { body($0[i]) }
            }
            return nil
        }
    }

    /// Where the field `key` is among `own`.
    @inline(__always)
    static func index(of key: String, in own: UnsafeBufferPointer<(key: String, value: TemplateValue)>) -> Int? {
        // Comparing lengths first skips most keys without a string comparison.
        let count = key.utf8.count
        for i in own.indices where own[i].key.utf8.count == count && own[i].key == key { return i }
        return nil
    }

    /// Every field as a lookup finds it: its own, then the shared ones it does not have itself.
    public var allFields: [(key: String, value: TemplateValue)] {
        guard let shared else { return fields }
        return fields + zip(shared.keys, shared.values).filter { k, _ in !fields.contains { $0.key == k } }.map { ($0, $1) }
    }

    public static func == (a: TemplateObject, b: TemplateObject) -> Bool {
        let x = a.allFields, y = b.allFields
        return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}

/// The items of a `.rows` list, made one at a time by `make` (which only reads what it
/// captured, so rows may be made on any thread).
public final class TemplateRows: @unchecked Sendable, Equatable {
    public let count: Int
    private let make: (Int) -> TemplateValue
    /// A number per item such that two items with the same number are the same values (a
    /// member row: its contact's files, its channel and step), when the maker of the list can
    /// tell: a build then copies an unchanged row from the page the last build wrote
    /// (`RowSplice`) instead of rendering it.
    let key: ((Int) -> UInt64)?

    public init(count: Int, key: ((Int) -> UInt64)? = nil, make: @escaping (Int) -> TemplateValue) {
        self.count = count
        self.make = make
        self.key = key
    }

    public subscript(i: Int) -> TemplateValue { make(i) }

    /// Every item, made now.
    public var items: [TemplateValue] { (0..<count).map(make) }

    public static func == (a: TemplateRows, b: TemplateRows) -> Bool { a === b || a.items == b.items }
}

/// Fields that many list items share, with an id: a contact's cells on every sheet it is on,
/// its address label. Where a list's body reads nothing but shared fields for a stretch (a
/// member row's id, name and company), the renderer renders that stretch once per id and
/// copies it afterwards (`FragmentMemo`), so sheets cost contacts + segments, not contacts ×
/// segments. Objects that share fields of one kind use one `keys` array; `id` is unique among them.
public final class SharedFields: Sendable {
    public let id: Int
    public let keys: [String]
    public let values: [TemplateValue]

    public init(id: Int, keys: [String], values: [TemplateValue]) {
        precondition(keys.count == values.count)
        self.id = id
        self.keys = keys
        self.values = values
    }
}

extension TemplateValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: TemplateValue...) { self = .list(elements) }
    public init(dictionaryLiteral elements: (String, TemplateValue)...) {
        self = .object(TemplateObject(elements.map { (key: $0.0, value: $0.1) }))
    }
    public init(nilLiteral: ()) { self = .null }
}

extension TemplateValue {
    /// Reads or sets a field of an object value (setting on a non-object makes it an object).
    public subscript(key: String) -> TemplateValue? {
        get {
            if case .object(let o) = self { return o[key] }
            return nil
        }
        set {
            var o: TemplateObject
            if case .object(let existing) = self { o = existing } else { o = TemplateObject() }
            o[key] = newValue
            self = .object(o)
        }
    }
}
