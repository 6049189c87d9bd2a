import Foundation

/// Appends values to a byte buffer in a compact binary form read back by `ByteReader`
/// (numbers as LEB128 varints, signed ones zigzagged; text as length and UTF-8).
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func byte(_ b: UInt8) { bytes.append(b) }

    mutating func unsigned(_ v: UInt64) {
        var v = v
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func int(_ v: Int) { unsigned(UInt64(bitPattern: Int64((v << 1) ^ (v >> (Int.bitWidth - 1))))) }
    mutating func int64(_ v: Int64) { unsigned(UInt64(bitPattern: (v << 1) ^ (v >> 63))) }

    mutating func fixed64(_ v: UInt64) {
        for k in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(k)))) }
    }

    mutating func bool(_ b: Bool) { bytes.append(b ? 1 : 0) }

    /// nil, false, true as 0, 1, 2.
    mutating func bool(_ b: Bool?) { bytes.append(b.map { $0 ? 2 : 1 } ?? 0) }

    mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { utf8 in
            unsigned(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func string(_ s: String?) {
        guard let s else { return byte(0) }
        byte(1)
        string(s)
    }

    mutating func strings(_ list: [String]) {
        unsigned(UInt64(list.count))
        for s in list { string(s) }
    }

    /// A decimal number as its shortest text (which reads back to a number that prints the same).
    mutating func decimal(_ d: Decimal?) { string(d.map { "\($0)" }) }
}

/// Reads what `ByteWriter` wrote. Every read is checked against the end of the bytes and
/// throws `ByteReader.Malformed` past it or on a value out of range: the bytes may come from a
/// file anyone could have changed, and a bad one must never crash or allocate without bound.
struct ByteReader {
    struct Malformed: Error {}

    let bytes: [UInt8]
    var offset: Int
    let end: Int

    init(_ bytes: [UInt8], from offset: Int = 0, to end: Int? = nil) {
        self.bytes = bytes
        self.offset = offset
        self.end = min(end ?? bytes.count, bytes.count)
    }

    var atEnd: Bool { offset >= end }

    mutating func byte() throws -> UInt8 {
        guard offset < end else { throw Malformed() }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func unsigned() throws -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            guard shift < 64 else { throw Malformed() }
            value |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return value }
            shift += 7
        }
    }

    mutating func int() throws -> Int {
        let u = try unsigned()
        return Int(truncatingIfNeeded: Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1))))
    }

    mutating func int64() throws -> Int64 {
        let u = try unsigned()
        return Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1)))
    }

    /// A count of things that each take at least one more byte: never more than the bytes left.
    mutating func count() throws -> Int {
        let n = try unsigned()
        guard n <= UInt64(end - offset) else { throw Malformed() }
        return Int(n)
    }

    mutating func fixed64() throws -> UInt64 {
        guard end - offset >= 8 else { throw Malformed() }
        var v: UInt64 = 0
        for k in 0..<8 { v |= UInt64(bytes[offset + k]) << (8 * UInt64(k)) }
        offset += 8
        return v
    }

    mutating func bool() throws -> Bool {
        switch try byte() {
        case 0: return false
        case 1: return true
        default: throw Malformed()
        }
    }

    mutating func optionalBool() throws -> Bool? {
        switch try byte() {
        case 0: return nil
        case 1: return false
        case 2: return true
        default: throw Malformed()
        }
    }

    mutating func string() throws -> String {
        let n = try count()
        defer { offset += n }
        return bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[offset..<offset + n]), as: UTF8.self) }
    }

    mutating func optionalString() throws -> String? {
        try byte() == 0 ? nil : string()
    }

    mutating func strings() throws -> [String] {
        let n = try count()
        var out: [String] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try string()) }
        return out
    }

    /// One of a fixed list of cases, written as its place in the list (0 for nil when optional).
    mutating func choice<T>(_ cases: [T]) throws -> T {
        let i = try unsigned()
        guard i < UInt64(cases.count) else { throw Malformed() }
        return cases[Int(i)]
    }

    mutating func decimal() throws -> Decimal? {
        guard let text = try optionalString() else { return nil }
        guard let d = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")), "\(d)" == text else { throw Malformed() }
        return d
    }
}
