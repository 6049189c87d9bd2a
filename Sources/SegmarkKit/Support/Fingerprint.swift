/// A deterministic 64-bit FNV-1a hash of a build's inputs (Swift's `Hasher` is seeded per
/// process, so it cannot be stored). Used to skip a build whose inputs did not change.
public struct Fingerprint: Sendable, Equatable {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    public mutating func add<C: Collection>(bytes: C) where C.Element == UInt8 {
        var h = value
        for b in bytes {
            h ^= UInt64(b)
            h &*= 0x0000_0100_0000_01B3
        }
        value = h
        add(length: bytes.count)
    }

    public mutating func add(_ text: String) { add(bytes: text.utf8) }

    /// Length-prefixing keeps ("ab", "c") and ("a", "bc") apart.
    mutating func add(length: Int) { combine(UInt64(truncatingIfNeeded: length)) }

    /// Mixes in the eight bytes of a number (another fingerprint's value, a length).
    public mutating func combine(_ other: UInt64) {
        var h = value
        var n = other
        for _ in 0..<8 {
            h ^= n & 0xFF
            h &*= 0x0000_0100_0000_01B3
            n >>= 8
        }
        value = h
    }

    public var hex: String {
        let s = String(value, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}

extension Fingerprint {
    /// A 64-bit hash of a whole file's bytes (the output record proves a file is still what
    /// the build wrote; not a defence against someone who knows the bytes). Four lanes of
    /// eight bytes each take 32 bytes a step: a lane's multiply does not wait for the one
    /// before it, so a sheet of 16 MB hashes at memory speed rather than at the multiplier's.
    public static func ofFile(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { raw in
            let n = raw.count
            var a: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(n)
            var b: UInt64 = 0xC2B2_AE3D_27D4_EB4F
            var c: UInt64 = 0x1656_67B1_9E37_79F9
            var d: UInt64 = 0x85EB_CA77_C2B2_AE63
            @inline(__always) func lane(_ h: UInt64, _ w: UInt64) -> UInt64 {
                let m = (h ^ w) &* 0xFF51_AFD7_ED55_8CCD
                return m ^ (m >> 29)
            }
            var i = 0
            while i + 32 <= n {
                a = lane(a, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                b = lane(b, raw.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self))
                c = lane(c, raw.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self))
                d = lane(d, raw.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self))
                i += 32
            }
            var h = lane(lane(lane(a, b), c), d)
            while i + 8 <= n {
                h = lane(h, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                i += 8
            }
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                tail |= UInt64(raw[i]) << shift
                shift += 8
                i += 1
            }
            h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
            return h ^ (h >> 33)
        }
    }
}
