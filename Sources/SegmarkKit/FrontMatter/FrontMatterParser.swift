import Foundation

/// Turns a content file's bytes into a `SourceDocument`: UTF-8 with an optional BOM, CRLF
/// accepted, front matter only when the first line is `---` and a later line is `---`.
public struct FrontMatterParser: Sendable {
    /// Files larger than this are refused with a diagnostic.
    public static let maxFileSize = 8 * 1024 * 1024

    public init() {}

    public func parse(_ bytes: [UInt8], path: String) -> Result<SourceDocument, Diagnostic> {
        if bytes.count > Self.maxFileSize {
            return .failure(Self.tooLarge(bytes.count, at: SourceLocation(path: path, line: 1, column: 1)))
        }
        var bytes = bytes[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if let problem = Self.encodingProblem(bytes) {
            return .failure(.error(problem.message, at: SourceLocation(path: path, line: problem.line, column: problem.column)))
        }
        var text = String(decoding: bytes, as: UTF8.self)
        if text.utf8.contains(UInt8(ascii: "\r")) {
            text = text.replacingOccurrences(of: "\r\n", with: "\n")
        }
        return split(text, path: path)
    }

    static func tooLarge(_ size: Int, at location: SourceLocation) -> Diagnostic {
        .error("file is \(size) bytes; content files may be at most \(maxFileSize) bytes (8 MiB)", at: location)
    }

    func split(_ text: String, path: String) -> Result<SourceDocument, Diagnostic> {
        let utf8 = text.utf8
        guard Self.isFence(utf8.prefix { $0 != UInt8(ascii: "\n") }) else {
            return .success(SourceDocument(path: path, frontMatter: nil, body: text, bodyLine: 1))
        }
        // Find the closing fence line.
        var index = utf8.firstIndex(of: UInt8(ascii: "\n")) ?? utf8.endIndex
        if index == utf8.endIndex {
            return .failure(.error("front matter opened with '---' on line 1 is never closed; add a '---' line after it",
                                   at: SourceLocation(path: path, line: 1, column: 1)))
        }
        let yamlStart = utf8.index(after: index)
        var line = 2
        var lineStart = yamlStart
        while lineStart < utf8.endIndex {
            let lineEnd = utf8[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? utf8.endIndex
            if Self.isFence(utf8[lineStart..<lineEnd]) {
                let yamlBytes = Array(utf8[yamlStart..<lineStart])
                let bodyStart = lineEnd == utf8.endIndex ? lineEnd : utf8.index(after: lineEnd)
                let body = String(text[bodyStart...])
                if let node = PlainYAMLReader().read(yamlBytes, path: path, lineOffset: 1) {
                    return .success(SourceDocument(path: path, frontMatter: node, body: body, bodyLine: line + 1))
                }
                switch YAMLReader().read(String(decoding: yamlBytes, as: UTF8.self), path: path, lineOffset: 1) {
                case .failure(let diagnostic):
                    return .failure(diagnostic)
                case .success(let node):
                    return .success(SourceDocument(path: path, frontMatter: node, body: body, bodyLine: line + 1))
                }
            }
            line += 1
            index = lineEnd
            lineStart = lineEnd == utf8.endIndex ? lineEnd : utf8.index(after: lineEnd)
        }
        return .failure(.error("front matter opened with '---' on line 1 is never closed; add a '---' line after it",
                               at: SourceLocation(path: path, line: 1, column: 1)))
    }

    /// A fence line is `---` with nothing after it but blanks.
    static func isFence<C: Collection>(_ line: C) -> Bool where C.Element == UInt8 {
        var it = line.makeIterator()
        for _ in 0..<3 { guard it.next() == UInt8(ascii: "-") else { return false } }
        while let b = it.next() { if b != UInt8(ascii: " ") && b != UInt8(ascii: "\t") { return false } }
        return true
    }

    /// Invalid UTF-8 or a NUL byte, with its line and column.
    static func encodingProblem(_ bytes: ArraySlice<UInt8>) -> (message: String, line: Int, column: Int)? {
        var line = 1
        var column = 1
        var i = bytes.startIndex
        let end = bytes.endIndex
        while i < end {
            let b = bytes[i]
            if b < 0x80 {
                if b == 0 { return ("file contains a NUL byte; content files must be UTF-8 text", line, column) }
                if b == UInt8(ascii: "\n") { line += 1; column = 1 } else { column += 1 }
                i += 1
                continue
            }
            let length: Int
            if b & 0xE0 == 0xC0, b >= 0xC2 { length = 2 }
            else if b & 0xF0 == 0xE0 { length = 3 }
            else if b & 0xF8 == 0xF0, b <= 0xF4 { length = 4 }
            else { return ("file is not valid UTF-8 (byte 0x\(String(b, radix: 16, uppercase: true)))", line, column) }
            guard i + length <= end else { return ("file is not valid UTF-8 (truncated sequence)", line, column) }
            for k in 1..<length where bytes[i + k] & 0xC0 != 0x80 {
                return ("file is not valid UTF-8 (byte 0x\(String(b, radix: 16, uppercase: true)))", line, column)
            }
            if length == 3 {
                let b1 = bytes[i + 1]
                if (b == 0xE0 && b1 < 0xA0) || (b == 0xED && b1 >= 0xA0) {
                    return ("file is not valid UTF-8 (overlong or surrogate)", line, column)
                }
            } else if length == 4 {
                let b1 = bytes[i + 1]
                if (b == 0xF0 && b1 < 0x90) || (b == 0xF4 && b1 >= 0x90) {
                    return ("file is not valid UTF-8 (out of range)", line, column)
                }
            }
            i += length
            column += 1
        }
        return nil
    }
}
