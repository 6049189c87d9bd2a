/// The rows of one long list on one page (a sheet's members, its labels), between one build
/// and the next: where each row's bytes are in the page, under a key that says what the row
/// was made from. The next build copies a row whose key it finds from the page the last build
/// wrote instead of rendering it: after one contact changed, a sheet of 55,000 members renders
/// one row and copies the rest.
///
/// A row's key mixes the list's own key for the item (`TemplateRows.key`: a member's files,
/// channel and step), the page's `salt` (what every row of the page reads besides its item:
/// templates, settings, the segment's file), everything else on the context stack around the
/// list (a user's template may read the sheet's header inside a row), the section, the
/// indentation and the content type. A list whose body names the list itself is never copied.
final class RowSplice {
    /// The last build's page, and its rows by key (an open-addressing table: a sheet has
    /// 55,000 rows to find, and the keys are hashes already).
    private let old: [UInt8]
    private let table: [UInt64]
    private let rowOf: [Int32]
    private let starts: [Int], oldEnds: [Int]
    private let mask: Int
    let salt: UInt64

    /// This render's list: the section claimed, where its rows start, each row's key and end.
    private(set) var section = -1
    private(set) var start = 0
    private(set) var keys: [UInt64] = []
    private(set) var ends: [Int] = []
    /// Rows copied from the last build's page (for tests and timings).
    private(set) var copied = 0

    /// - Parameters:
    ///   - last: the last build's record of this page, and the page's bytes as it wrote them
    ///     (nil: nothing to copy; this render's rows are only recorded).
    ///   - proven: the caller knows the bytes are the page the record was made of (the page is
    ///     as the last build left it, and the output record's hash is the record's): they are
    ///     not hashed again (after one contact changed at L, 813 MB of sheets).
    init(salt: UInt64, last: (record: Record, bytes: [UInt8])? = nil, proven: Bool = false) {
        self.salt = salt
        guard let last, last.record.fits(last.bytes, hashing: !proven), !last.record.keys.isEmpty else {
            (old, table, rowOf, starts, oldEnds, mask) = ([], [], [], [], [], 0)
            return
        }
        old = last.bytes
        let record = last.record
        var capacity = 16
        while capacity < record.keys.count * 2 { capacity <<= 1 }
        var table = [UInt64](repeating: 0, count: capacity), rowOf = [Int32](repeating: -1, count: capacity)
        let mask = capacity - 1
        for (r, key) in record.keys.enumerated() {
            var at = Self.slot(key, mask)
            while rowOf[at] >= 0, table[at] != key { at = (at + 1) & mask }
            if rowOf[at] < 0 {  // the first row of a key is the one copied (rows of one key are the same bytes)
                table[at] = key
                rowOf[at] = Int32(r)
            }
        }
        (self.table, self.rowOf, self.mask) = (table, rowOf, mask)
        starts = [record.start] + record.ends.dropLast()
        oldEnds = record.ends
    }

    @inline(__always) private static func slot(_ key: UInt64, _ mask: Int) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask }

    var canCopy: Bool { !table.isEmpty }

    /// Room for this render's page: the last build's page and a little more (a page rendered
    /// again is about as long; grown by doubling, a sheet of 16 MB was copied and faulted in
    /// twice over).
    var expectedSize: Int { old.isEmpty ? 0 : old.count + old.count / 64 + 4096 }

    /// Claims the list of section `id` when no list of the page was claimed yet.
    func claim(section id: Int, start: Int) -> Bool {
        guard section == -1, id >= 0 else { return false }
        section = id
        self.start = start
        return true
    }

    /// The last build's bytes of the row with this key, appended; false when it has none.
    @inline(__always) func copy(_ key: UInt64, into buffer: inout PageBuffer) -> Bool {
        guard let range = lastRow(key) else { return false }
        buffer.append(old[range])
        return true
    }

    @inline(__always) func copy(_ key: UInt64, into buffer: inout [UInt8]) -> Bool {
        guard let range = lastRow(key) else { return false }
        buffer.append(contentsOf: old[range])
        return true
    }

    /// Where the row with this key is in the last build's bytes.
    @inline(__always) private func lastRow(_ key: UInt64) -> Range<Int>? {
        guard !table.isEmpty else { return nil }
        var at = Self.slot(key, mask)
        while true {
            let r = rowOf[at]
            if r < 0 { return nil }
            if table[at] == key { return starts[Int(r)]..<oldEnds[Int(r)] }
            at = (at + 1) & mask
        }
    }

    /// The claimed list's rows: each one's key and end, and how many were copied.
    func finish(keys: [UInt64], ends: [Int], copied: Int) {
        (self.keys, self.ends, self.copied) = (keys, ends, copied)
    }

    /// A row's key: the list's key for the item mixed into `base` (what the whole list shares).
    @inline(__always) static func key(_ base: UInt64, _ item: UInt64) -> UInt64 { mix(base ^ mix(item)) }

    /// A 64-bit finalizer (MurmurHash3's): every input bit reaches every output bit.
    @inline(__always) static func mix(_ x: UInt64) -> UInt64 {
        var h = x
        h = (h ^ (h >> 33)) &* 0xFF51_AFD7_ED55_8CCD
        h = (h ^ (h >> 33)) &* 0xC4CE_B9FE_1A85_EC53
        return h ^ (h >> 33)
    }

    /// This render's record of the page whose bytes are `bytes`; nil when no list was claimed.
    func record(of bytes: [UInt8]) -> Record? {
        guard section >= 0 else { return nil }
        return Record(file: Fingerprint.ofFile(bytes), size: bytes.count, start: start, keys: keys, ends: ends)
    }

    /// What is kept of a page between builds.
    struct Record: Equatable {
        /// The page's hash (`Fingerprint.ofFile`) and size: the record is only used with those bytes.
        var file: UInt64
        var size: Int
        var start: Int
        var keys: [UInt64]
        var ends: [Int]

        static let magic = Array("segmark rows 2\n".utf8)

        /// Whether the rows lie in order inside `bytes`, and `bytes` are the page recorded (their
        /// hash is not taken when the caller proved that already).
        func fits(_ bytes: [UInt8], hashing: Bool = true) -> Bool {
            guard bytes.count == size, keys.count == ends.count, start >= 0 else { return false }
            var from = start
            for end in ends {
                guard end >= from, end <= size else { return false }
                from = end
            }
            return !hashing || Fingerprint.ofFile(bytes) == file
        }

        var bytes: [UInt8] {
            var out = Self.magic
            out.reserveCapacity(out.count + 32 + keys.count * 12)
            func put(_ v: UInt64, _ width: Int) { for k in 0..<width { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(k)))) } }
            put(file, 8)
            put(UInt64(size), 8)
            put(UInt64(start), 8)
            put(UInt64(keys.count), 8)
            var from = start
            for (key, end) in zip(keys, ends) {
                put(key, 8)
                put(UInt64(end - from), 4)
                from = end
            }
            return out
        }

        /// Nil for anything but a whole record (a record is a shortcut: when in doubt, rows render).
        init?(_ data: [UInt8]) {
            let m = Self.magic.count
            guard data.count >= m + 32, Array(data[..<m]) == Self.magic else { return nil }
            var at = m
            func get(_ width: Int) -> UInt64 {
                var v: UInt64 = 0
                for k in 0..<width { v |= UInt64(data[at + k]) << (8 * UInt64(k)) }
                at += width
                return v
            }
            file = get(8)
            let size = get(8), start = get(8), count = get(8)
            guard size < 1 << 40, start <= size, count <= UInt64((data.count - at) / 12), data.count - at == Int(count) * 12 else { return nil }
            self.size = Int(size)
            self.start = Int(start)
            var keys: [UInt64] = [], ends: [Int] = []
            keys.reserveCapacity(Int(count))
            ends.reserveCapacity(Int(count))
            var end = Int(start)
            for _ in 0..<count {
                keys.append(get(8))
                end += Int(get(4))
                ends.append(end)
            }
            self.keys = keys
            self.ends = ends
        }

        init(file: UInt64, size: Int, start: Int, keys: [UInt64], ends: [Int]) {
            (self.file, self.size, self.start, self.keys, self.ends) = (file, size, start, keys, ends)
        }
    }
}

extension TemplateValue {
    /// Mixes the value into `f`, lists of `.rows` as a mark only (their rows have keys of their own).
    func mix(into f: inout Fingerprint) {
        switch self {
        case .null: f.combine(0)
        case .bool(let b): f.combine(b ? 2 : 1)
        case .int(let n):
            f.combine(3)
            f.combine(UInt64(bitPattern: Int64(n)))
        case .text(let s):
            f.combine(4)
            f.add(s)
        case .list(let items):
            f.combine(5)
            f.combine(UInt64(items.count))
            for item in items { item.mix(into: &f) }
        case .rows:
            f.combine(6)
        case .object(let o):
            f.combine(7)
            f.combine(UInt64(o.fields.count))
            for (key, value) in o.fields {
                f.add(key)
                value.mix(into: &f)
            }
            if let shared = o.shared {
                f.combine(UInt64(shared.keys.count))
                for (key, value) in zip(shared.keys, shared.values) {
                    f.add(key)
                    value.mix(into: &f)
                }
            }
        }
    }
}
