import Yams

/// Parses a front-matter YAML block with Yams and converts it into `YAMLNode`s with positions.
/// Guards Yams against hostile input first: nesting depth, size and aliases (which the
/// converter detects, since an alias reuses its anchor's earlier position).
public struct YAMLReader: Sendable {
    public static let maxDepth = 64

    public init() {}

    /// - Parameters:
    ///   - text: the YAML block (no fences).
    ///   - path: the file, relative to the workspace.
    ///   - lineOffset: lines before the YAML block's first line (1 for a `---` fence).
    public func read(_ text: String, path: String, lineOffset: Int) -> Result<YAMLNode?, Diagnostic> {
        if let problem = Self.depthProblem(text) {
            return .failure(.error(problem.message,
                                   at: SourceLocation(path: path, line: problem.line + lineOffset, column: problem.column)))
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            return .failure(Self.diagnostic(for: error, text: text, path: path, lineOffset: lineOffset))
        } catch {
            return .failure(.error("invalid YAML: \(error)", at: SourceLocation(path: path, line: 1 + lineOffset, column: 1)))
        }
        guard let node else { return .success(nil) }
        var converter = Converter(path: path, lineOffset: lineOffset)
        do {
            return .success(try converter.convert(node, depth: 0))
        } catch let diagnostic as Diagnostic {
            return .failure(diagnostic)
        } catch {
            return .failure(.error("invalid YAML", at: SourceLocation(path: path, line: 1 + lineOffset, column: 1)))
        }
    }

    struct Converter {
        let path: String
        let lineOffset: Int

        func location(_ mark: Mark?) -> SourceLocation {
            SourceLocation(path: path, line: (mark?.line ?? 1) + lineOffset, column: mark?.column ?? 1)
        }

        func aliasError(_ at: SourceLocation) -> Diagnostic {
            .error("YAML aliases (*name) are not supported in content files; write the value out", at: at)
        }

        mutating func convert(_ node: Node, depth: Int) throws -> YAMLNode {
            if depth > YAMLReader.maxDepth {
                throw Diagnostic.error("YAML nested deeper than \(YAMLReader.maxDepth) levels", at: location(node.mark))
            }
            let here = location(node.mark)
            switch node {
            case .scalar(let scalar):
                return YAMLNode(.scalar(scalar.string, plain: scalar.style == .plain || scalar.style == .any), at: here)
            case .alias:
                throw aliasError(here)
            case .sequence(let sequence):
                var items: [YAMLNode] = []
                items.reserveCapacity(sequence.count)
                var last = here
                var first = true
                for item in sequence {
                    let itemLocation = location(item.mark)
                    if itemLocation < last || (!first && itemLocation == last) { throw aliasError(last) }
                    items.append(try convert(item, depth: depth + 1))
                    last = itemLocation
                    first = false
                }
                return YAMLNode(.sequence(items), at: here)
            case .mapping(let mapping):
                var pairs: [YAMLPair] = []
                pairs.reserveCapacity(mapping.count)
                var last = here
                var first = true
                for (key, value) in mapping {
                    let keyLocation = location(key.mark)
                    let valueLocation = location(value.mark)
                    if keyLocation < last || (!first && keyLocation == last) { throw aliasError(last) }
                    if valueLocation < keyLocation { throw aliasError(keyLocation) }
                    let k = try convert(key, depth: depth + 1)
                    if k.scalar == nil { throw Diagnostic.error("a key must be a plain text, not \(k.kindName)", at: keyLocation) }
                    pairs.append(YAMLPair(key: k, value: try convert(value, depth: depth + 1)))
                    last = valueLocation
                    first = false
                }
                return YAMLNode(.mapping(pairs), at: here)
            }
        }
    }

    /// Flow brackets nested too deep, or indentation too deep, checked before Yams recurses.
    static func depthProblem(_ text: String) -> (message: String, line: Int, column: Int)? {
        var depth = 0
        var line = 1
        var column = 0
        var quote: UInt8? = nil
        var atLineStart = true
        var indent = 0
        for byte in text.utf8 {
            column += 1
            if byte == UInt8(ascii: "\n") {
                line += 1; column = 0; atLineStart = true; indent = 0
                if quote == UInt8(ascii: "'") || quote == UInt8(ascii: "\"") { continue }
                continue
            }
            if atLineStart {
                if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "-") {
                    indent += 1
                    if indent > 4 * maxDepth {
                        return ("YAML nested deeper than \(maxDepth) levels", line, column)
                    }
                    continue
                }
                atLineStart = false
            }
            if let q = quote {
                if byte == q { quote = nil }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                quote = byte
            case UInt8(ascii: "#"):
                continue
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > maxDepth { return ("YAML nested deeper than \(maxDepth) levels", line, column) }
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth = max(0, depth - 1)
            default:
                break
            }
        }
        return nil
    }

    static func diagnostic(for error: YamlError, text: String, path: String, lineOffset: Int) -> Diagnostic {
        func at(_ mark: Mark) -> SourceLocation {
            SourceLocation(path: path, line: mark.line + lineOffset, column: mark.column)
        }
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            var message = "invalid YAML: \(problem)"
            if let context { message += " (\(context.text) at line \(context.mark.line + lineOffset))" }
            if problem == "found undefined alias" {
                return .error("YAML aliases (*name) are not supported in content files; write the value out", at: at(mark))
            }
            return .error(message, at: at(mark))
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.first ?? ""
            let first = context.mark
            let second = secondOccurrence(of: key, afterLine: first.line, column: first.column, in: text)
                ?? (first.line, first.column)
            return .error("key '\(key)' is given twice (first at line \(first.line + lineOffset)); YAML would keep only one value",
                          at: SourceLocation(path: path, line: second.line + lineOffset, column: second.column))
        case .reader(let problem, let offset, _, _):
            var line = 1, column = 1
            if let offset {
                for ch in text.prefix(offset) {
                    if ch == "\n" { line += 1; column = 1 } else { column += 1 }
                }
            }
            return .error("invalid YAML: \(problem)", at: SourceLocation(path: path, line: line + lineOffset, column: column))
        default:
            return .error("invalid YAML: \(error)", at: SourceLocation(path: path, line: 1 + lineOffset, column: 1))
        }
    }

    /// Where a duplicated key appears again: the next line below `first` with the key at the same column.
    static func secondOccurrence(of key: String, afterLine firstLine: Int, column firstColumn: Int, in text: String) -> (line: Int, column: Int)? {
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            guard lineNumber > firstLine else { continue }
            let scalars = Array(line.unicodeScalars)
            let start = firstColumn - 1
            guard start < scalars.count else { continue }
            let prefix = scalars[..<start]
            guard prefix.allSatisfy({ $0 == " " || $0 == "-" }) else { continue }
            var rest = String(String.UnicodeScalarView(scalars[start...]))
            for quote in ["\"", "'"] where rest.hasPrefix(quote) {
                rest = String(rest.dropFirst())
                if rest.hasPrefix(key + quote) { rest = key + String(rest.dropFirst(key.count + 1)) }
            }
            if rest.hasPrefix(key) {
                let after = rest.dropFirst(key.count).drop { $0 == " " }
                if after.hasPrefix(":") { return (lineNumber, firstColumn) }
            }
        }
        return nil
    }
}

extension Diagnostic: Error {}
