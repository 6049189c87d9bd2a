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
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        let d = Self.detectDelimiter(bytes)
        let delimiter = Character(Unicode.Scalar(d))
        let quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        var records: [[String]] = []
        var record: [String] = []
        var field: [UInt8] = []
        var i = 0
        var quotedStart: (row: Int, column: Int)?
        var afterQuote = false
        func endField() {
            record.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            afterQuote = false
        }
        func endRecord() {
            endField()
            if !(record.count == 1 && record[0].isEmpty) { records.append(record) }
            record = []
        }
        while i < bytes.count {
            let c = bytes[i]
            if quotedStart != nil {
                if c == quote {
                    if i + 1 < bytes.count && bytes[i + 1] == quote { field.append(quote); i += 2; continue }
                    quotedStart = nil
                    afterQuote = true
                } else {
                    field.append(c)
                }
                i += 1
                continue
            }
            if c == quote && field.isEmpty && !afterQuote {
                quotedStart = (records.count + 1, record.count + 1)
            } else if c == d {
                endField()
            } else if c == cr && i + 1 < bytes.count && bytes[i + 1] == lf {
                endRecord()
                i += 1
            } else if c == lf || c == cr {
                endRecord()
            } else {
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
        return Table(delimiter: delimiter, header: header.map(Text.trimmingBlanks),
                     rows: records.dropFirst().enumerated().map { (row: $0.offset + 2, fields: $0.element) })
    }

    /// The delimiter the first line has most of, outside quotes (comma when none).
    static func detectDelimiter(_ bytes: [UInt8]) -> UInt8 {
        let candidates = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")]
        var counts = [0, 0, 0]
        var quoted = false
        for c in bytes {
            if c == UInt8(ascii: "\"") { quoted.toggle(); continue }
            if !quoted && (c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r")) { break }
            if !quoted, let k = candidates.firstIndex(of: c) { counts[k] += 1 }
        }
        let best = counts.indices.max { counts[$0] < counts[$1] }!
        return counts[best] > 0 ? candidates[best] : candidates[0]
    }
}
