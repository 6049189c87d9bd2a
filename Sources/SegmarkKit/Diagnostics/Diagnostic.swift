/// One problem found in a workspace, printed as `PATH:LINE:COL: error: MESSAGE` (R20).
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Sendable, Comparable {
        case error, warning
        public static func < (a: Severity, b: Severity) -> Bool { a == .error && b == .warning }
    }

    public var location: SourceLocation
    public var severity: Severity
    public var message: String

    public init(_ severity: Severity, _ message: String, at location: SourceLocation) {
        self.severity = severity
        self.message = message
        self.location = location
    }

    public static func error(_ message: String, at location: SourceLocation) -> Diagnostic {
        Diagnostic(.error, message, at: location)
    }

    public static func warning(_ message: String, at location: SourceLocation) -> Diagnostic {
        Diagnostic(.warning, message, at: location)
    }

    /// One line: control characters and line breaks from content (in a path or a message) escaped.
    public var description: String {
        Text.escapingControls("\(location): \(severity.rawValue): \(message)", keepLineBreaks: false)
    }
}

extension Array where Element == Diagnostic {
    /// Sorted by path, line, column, then severity and message, so every run prints the same order.
    public func sortedForOutput() -> [Diagnostic] {
        var seen = Set<Diagnostic>()
        let unique = filter { seen.insert($0).inserted }
        return unique.sorted { a, b in
            if a.location != b.location { return a.location < b.location }
            if a.severity != b.severity { return a.severity < b.severity }
            return a.message.utf8.lexicographicallyPrecedes(b.message.utf8)
        }
    }

    public var hasErrors: Bool { contains { $0.severity == .error } }
    public var errorCount: Int { filter { $0.severity == .error }.count }
    public var warningCount: Int { filter { $0.severity == .warning }.count }
}

/// Thrown by a stage when content has errors; carries every diagnostic found (R20, R22).
public struct ContentErrors: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics.sortedForOutput() }
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
