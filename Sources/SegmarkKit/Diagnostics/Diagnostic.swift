/// One problem found in a workspace, printed as `PATH:LINE:COL: error: MESSAGE`.
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

/// Diagnostics in the formats `segmark check --format` offers.
public enum DiagnosticFormat: String, Sendable, CaseIterable {
    /// `PATH:LINE:COL: error: MESSAGE`, one a line.
    case text
    /// GitHub Actions workflow commands, so a pull request shows each problem on its line.
    case github
    /// One JSON array of objects with path, line, column, severity and message.
    case json

    public func render(_ diagnostics: [Diagnostic]) -> String {
        switch self {
        case .text:
            return diagnostics.map { $0.description + "\n" }.joined()
        case .github:
            // Workflow-command escaping: % CR LF in the message; also : and , in properties.
            func data(_ s: String) -> String {
                Text.line(s).replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
            }
            func property(_ s: String) -> String { data(s).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C") }
            return diagnostics.map { d in
                "::\(d.severity.rawValue) file=\(property(d.location.path)),line=\(d.location.line),col=\(d.location.column)::\(data(d.message))\n"
            }.joined()
        case .json:
            struct Item: Encodable {
                var path: String
                var line: Int
                var column: Int
                var severity: String
                var message: String
            }
            let items = diagnostics.map { Item(path: $0.location.path, line: $0.location.line, column: $0.location.column,
                                               severity: $0.severity.rawValue, message: $0.message) }
            return JSONOutput.encode(items)
        }
    }
}

/// Thrown by a stage when content has errors; carries every diagnostic found.
public struct ContentErrors: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics.sortedForOutput() }
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
