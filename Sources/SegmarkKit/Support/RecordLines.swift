/// Reads the line-based records a build leaves in the output folder (`.segmark-state`,
/// `.segmark-manifest`): hundreds of thousands of lines at L, so they are scanned as bytes,
/// not split into `String`s first.
struct RecordLines {
    /// Calls `body` with each non-empty line's bytes (without its line feed).
    static func forEach(_ bytes: [UInt8], _ body: (ArraySlice<UInt8>) -> Void) {
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            if end > start { body(bytes[start..<end]) }
            start = end + 1
        }
    }

    /// A field and the rest of the line after one space: ("abc", "def ghi") for "abc def ghi".
    static func field(_ line: ArraySlice<UInt8>) -> (ArraySlice<UInt8>, ArraySlice<UInt8>?) {
        guard let space = line.firstIndex(of: 0x20) else { return (line, nil) }
        return (line[line.startIndex..<space], line[(space + 1)...])
    }

    /// A hexadecimal number of 1 to 16 digits (lowercase or uppercase), else nil.
    static func hex(_ digits: ArraySlice<UInt8>) -> UInt64? {
        guard !digits.isEmpty, digits.count <= 16 else { return nil }
        var value: UInt64 = 0
        for b in digits {
            let d: UInt8
            switch b {
            case 0x30...0x39: d = b - 0x30
            case 0x61...0x66: d = b - 0x61 + 10
            case 0x41...0x46: d = b - 0x41 + 10
            default: return nil
            }
            value = value << 4 | UInt64(d)
        }
        return value
    }

    /// A decimal integer, optionally negative, that fits in 64 bits, else nil.
    static func integer(_ digits: ArraySlice<UInt8>) -> Int64? {
        var rest = digits
        let negative = rest.first == 0x2D
        if negative { rest = rest.dropFirst() }
        guard !rest.isEmpty else { return nil }
        var value: Int64 = 0
        for b in rest {
            guard b >= 0x30, b <= 0x39 else { return nil }
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times.addingReportingOverflow(Int64(b - 0x30))
            guard !o1, !o2 else { return nil }
            value = sum
        }
        return negative ? -value : value
    }

    static func text(_ bytes: ArraySlice<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }

    // MARK: writing (the same records, written as bytes: no `String` a line)

    /// Appends `value` in lowercase hexadecimal, at least `width` digits (zeros in front).
    static func appendHex(_ value: UInt64, width: Int = 1, to out: inout [UInt8]) {
        let digits = max(width, (64 - value.leadingZeroBitCount + 3) / 4)
        for k in stride(from: digits - 1, through: 0, by: -1) {
            let d = UInt8(truncatingIfNeeded: k >= 16 ? 0 : (value >> (UInt64(k) * 4)) & 0xF)
            out.append(d < 10 ? 0x30 + d : 0x61 + d - 10)
        }
    }

    /// Appends `value` in decimal, with a `-` when negative.
    static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
        if value < 0 { out.append(0x2D) }
        let magnitude = value.magnitude
        // The number of digits first, then each digit in its place: no array of digits made
        // (it is called once a page record and once a CSV row: millions of times at L).
        var digits = 1
        var rest = magnitude / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        let start = out.count
        out.append(contentsOf: repeatElement(0x30, count: digits))
        var m = magnitude
        for k in stride(from: start + digits - 1, through: start, by: -1) {
            out[k] = 0x30 + UInt8(m % 10)
            m /= 10
        }
    }
}
