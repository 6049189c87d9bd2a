/// A YAML node with its position in the content file (lines already include the fence offset).
/// Scalars keep the text exactly as written: nothing is retyped to booleans or numbers here.
public struct YAMLNode: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case scalar(String, plain: Bool)
        case mapping([YAMLPair])
        case sequence([YAMLNode])
    }

    public var kind: Kind
    public var location: SourceLocation

    public init(_ kind: Kind, at location: SourceLocation) {
        self.kind = kind
        self.location = location
    }

    /// A plain scalar that YAML reads as null: empty, `~` or `null`.
    public var isNull: Bool {
        if case .scalar(let s, let plain) = kind, plain {
            return s.isEmpty || s == "~" || s == "null" || s == "Null" || s == "NULL"
        }
        return false
    }

    public var scalar: String? {
        if case .scalar(let s, _) = kind { return s }
        return nil
    }

    public var isPlainScalar: Bool {
        if case .scalar(_, let plain) = kind { return plain }
        return false
    }

    public var mapping: [YAMLPair]? {
        if case .mapping(let pairs) = kind { return pairs }
        return nil
    }

    public var sequence: [YAMLNode]? {
        if case .sequence(let items) = kind { return items }
        return nil
    }

    /// The kind of node in words, for messages.
    public var kindName: String {
        switch kind {
        case .scalar: return isNull ? "nothing" : "a scalar"
        case .mapping: return "a map"
        case .sequence: return "a list"
        }
    }

    /// Column of the first character of a scalar's text (after an opening quote).
    public var textColumnOffset: Int {
        if case .scalar(_, let plain) = kind, !plain { return 1 }
        return 0
    }
}

public struct YAMLPair: Sendable, Equatable {
    public var key: YAMLNode
    public var value: YAMLNode
    public var keyText: String { key.scalar ?? "" }
}
