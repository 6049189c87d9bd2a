import Foundation

/// Paths in one buffer of bytes, each once, in the order first added, with an index by path.
///
/// The records a build keeps between builds list every page of the site: 784,692 at L. Held as
/// a `String` a path in tables by path (the last build's state, the output record, this build's
/// pages), they took about 280 MB at L beside the model (heaptrack); here a path costs its
/// bytes, an end offset and two slots of the index.
public struct PathTable: Sendable, Equatable {
    /// The paths' bytes, one after the other.
    private(set) var bytes: [UInt8] = []
    /// Where each path ends in `bytes` (it starts where the one before ends).
    private var ends: [Int] = []
    /// Open addressing: 0 is empty, else the place in `ends` plus one. At most half full.
    private var slots: [UInt32] = []

    init(capacity: Int = 0) {
        ends.reserveCapacity(capacity)
        bytes.reserveCapacity(capacity * 40)
        slots = Array(repeating: 0, count: Self.slotCount(for: capacity))
    }

    var count: Int { ends.count }
    var isEmpty: Bool { ends.isEmpty }
    var indices: Range<Int> { 0..<ends.count }

    /// The same paths in the same order.
    public static func == (a: PathTable, b: PathTable) -> Bool { a.ends == b.ends && a.bytes == b.bytes }

    /// The bytes of the path at `i`.
    func range(_ i: Int) -> Range<Int> { (i == 0 ? 0 : ends[i - 1])..<ends[i] }

    /// Where in `bytes` the folder of path `i` is: up to its last `/`, empty for a path at the top.
    func folderRange(_ i: Int) -> Range<Int> {
        let r = range(i)
        var slash = r.upperBound
        while slash > r.lowerBound, bytes[slash - 1] != 0x2F { slash -= 1 }
        return r.lowerBound..<max(r.lowerBound, slash - 1)
    }

    subscript(i: Int) -> String { String(decoding: bytes[range(i)], as: UTF8.self) }

    /// Calls `body` with the bytes of the path at `i`.
    func withPath<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[range(i)])) }
    }

    /// Appends the path at `i` to `out`.
    func append(_ i: Int, to out: inout [UInt8]) { out.append(contentsOf: bytes[range(i)]) }

    /// The place of `path`, when the table holds it.
    func index(of path: String) -> Int? {
        var path = path
        return path.withUTF8 { find($0).found }
    }

    /// The place of `path` when it is new, or of the same path added before (`inserted` false).
    @discardableResult
    mutating func insert(_ path: String) -> (index: Int, inserted: Bool) {
        var path = path
        return path.withUTF8 { insert($0) }
    }

    @discardableResult
    mutating func insert(_ path: ArraySlice<UInt8>) -> (index: Int, inserted: Bool) {
        path.withUnsafeBufferPointer { insert($0) }
    }

    @discardableResult
    mutating func insert(_ path: UnsafeBufferPointer<UInt8>) -> (index: Int, inserted: Bool) {
        if (ends.count + 1) * 2 > slots.count { grow() }
        let (found, slot) = find(path)
        if let found { return (found, false) }
        bytes.append(contentsOf: path)
        ends.append(bytes.count)
        slots[slot] = UInt32(ends.count)
        return (ends.count - 1, true)
    }

    // MARK: the index

    private static func slotCount(for count: Int) -> Int {
        var n = 16
        while n < count * 2 { n <<= 1 }
        return n
    }

    /// The place of `path` when present; else the empty slot where it would go.
    private func find(_ path: UnsafeBufferPointer<UInt8>) -> (found: Int?, slot: Int) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: Self.hash(path)) & mask
        return bytes.withUnsafeBufferPointer { all in
            while true {
                let entry = Int(slots[slot])
                if entry == 0 { return (nil, slot) }
                let r = range(entry - 1)
                if r.count == path.count, r.isEmpty || memcmp(all.baseAddress! + r.lowerBound, path.baseAddress!, r.count) == 0 {
                    return (entry - 1, slot)
                }
                slot = (slot + 1) & mask
            }
        }
    }

    private mutating func grow() {
        let size = max(16, slots.count * 2)
        var fresh = [UInt32](repeating: 0, count: size)
        let mask = size - 1
        bytes.withUnsafeBufferPointer { all in
            for i in indices {
                let r = range(i)
                var slot = Int(truncatingIfNeeded: Self.hash(UnsafeBufferPointer(rebasing: all[r]))) & mask
                while fresh[slot] != 0 { slot = (slot + 1) & mask }
                fresh[slot] = UInt32(i + 1)
            }
        }
        slots = fresh
    }

    /// A hash of the bytes for the index only (never written anywhere): eight bytes at a time.
    static func hash(_ p: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(p.count)
        var i = 0
        guard let base = p.baseAddress else { return h }
        let raw = UnsafeRawPointer(base)
        while i + 8 <= p.count {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < p.count {
            tail |= UInt64(p[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
        return h ^ (h >> 29)
    }
}
