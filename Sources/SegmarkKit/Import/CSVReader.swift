import Foundation

/// Reads CSV as spreadsheets write it (RFC 4180 and the variants BC's "Open in Excel" exports
/// take when saved as CSV): a UTF-8 byte order mark is dropped, the delimiter is the one of
/// comma, semicolon and tab that the header line has most of (outside quotes), CRLF and LF
/// both end records, quoted fields may hold delimiters, line breaks and doubled quotes.
/// Values are kept exactly as written (`0150`, `=1+1`). Each field keeps its position: the
/// record's row number (the header is row 1) and its 1-based column.
public struct CSVReader: Sendable {
    public struct Table: Sendable, Equatable {
        public var delimiter: Character
        public var header: [String]
        /// Data records, each with the row number it has in the file's records (header = 1).
        public var rows: [(row: Int, fields: [String])]

        public static func == (a: Table, b: Table) -> Bool {
            a.delimiter == b.delimiter && a.header == b.header && a.rows.count == b.rows.count
                && zip(a.rows, b.rows).allSatisfy { $0.row == $1.row && $0.fields == $1.fields }
        }
    }

    public struct Failure: Error, Sendable, Equatable {
        public var message: String
        public var row: Int
        public var column: Int
    }

    public init() {}

    public func read(_ text: String) throws(Failure) -> Table {
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        let delimiter = Self.detectDelimiter(scalars)
        var records: [[String]] = []
        var record: [String] = []
        var field = String.UnicodeScalarView()
        var i = 0
        var quotedStart: (row: Int, column: Int)?
        var afterQuote = false
        let d = delimiter.unicodeScalars.first!
        func endField() {
            record.append(String(field))
            field = String.UnicodeScalarView()
            afterQuote = false
        }
        func endRecord() {
            endField()
            if !(record.count == 1 && record[0].isEmpty) { records.append(record) }
            record = []
        }
        while i < scalars.count {
            let c = scalars[i]
            if quotedStart != nil {
                if c == "\"" {
                    if i + 1 < scalars.count && scalars[i + 1] == "\"" { field.append("\""); i += 2; continue }
                    quotedStart = nil
                    afterQuote = true
                } else {
                    field.append(c)
                }
                i += 1
                continue
            }
            switch c {
            case "\"" where field.isEmpty && !afterQuote:
                quotedStart = (records.count + 1, record.count + 1)
            case d:
                endField()
            case "\r" where i + 1 < scalars.count && scalars[i + 1] == "\n":
                endRecord()
                i += 1
            case "\n", "\r":
                endRecord()
            default:
                if afterQuote {
                    throw Failure(message: "text after a closing quote; a quote inside a quoted value is written twice (\"\")",
                                  row: records.count + 1, column: record.count + 1)
                }
                field.append(c)
            }
            i += 1
        }
        if let start = quotedStart {
            throw Failure(message: "a quoted value is never closed", row: start.row, column: start.column)
        }
        if !field.isEmpty || !record.isEmpty { endRecord() }
        guard let header = records.first else { throw Failure(message: "the file is empty; expected a header row", row: 1, column: 1) }
        return Table(delimiter: delimiter, header: header.map { $0.trimmingCharacters(in: .whitespaces) },
                     rows: records.dropFirst().enumerated().map { (row: $0.offset + 2, fields: $0.element) })
    }

    /// The delimiter the first line has most of, outside quotes (comma when none).
    static func detectDelimiter(_ scalars: [Unicode.Scalar]) -> Character {
        var counts: [Character: Int] = [",": 0, ";": 0, "\t": 0]
        var quoted = false
        for c in scalars {
            if c == "\"" { quoted.toggle(); continue }
            if !quoted && (c == "\n" || c == "\r") { break }
            if !quoted, let ch = Optional(Character(c)), counts[ch] != nil { counts[ch]! += 1 }
        }
        let best = [",", ";", "\t"].max { counts[$0]! < counts[$1]! }!
        return counts[best]! > 0 ? best : ","
    }
}
