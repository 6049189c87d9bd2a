import Foundation

/// A value seen on a record, as the filter matcher compares it.
public enum FieldValue: Sendable, Hashable, CustomStringConvertible {
    case missing
    case text(String)
    case number(Decimal)
    case date(Day)
    case bool(Bool)

    public init(_ text: String?) {
        if let text, !text.isEmpty { self = .text(text) } else { self = .missing }
    }

    public var description: String {
        switch self {
        case .missing: return "(empty)"
        case .text(let s): return s
        case .number(let n): return Number.format(n)
        case .date(let d): return d.description
        case .bool(let b): return b ? "true" : "false"
        }
    }

    public var isMissing: Bool { self == .missing }
}
