/// The bytes of one page while it renders: an append is a bounds check and a copy.
///
/// Appending to an `[UInt8]` checks that the array is uniquely referenced and goes through
/// the generic copy of a collection, about 75 instructions an append; a row of a sheet is
/// some 17 appends. The page's bytes become an array once, when it is done (`bytes`).
struct PageBuffer: ~Copyable {
    private var base: UnsafeMutableRawPointer
    private var capacity: Int
    private(set) var count = 0
    /// List rows and partial calls rendered into this page so far (`spend`).
    private(set) var work = 0
    /// Set when the page went past its `limits`: nothing more is rendered or
    /// appended, and the page is an error, not a file (a template that includes itself, or
    /// nests a list inside itself, would otherwise run for ever or fill the memory).
    var overrun: Bool { stop != nil }
    /// What the page went past first, when it overran.
    private(set) var stop: Stop?
    typealias Stop = TemplateSet.Overrun.Reason
    /// The partial being rendered (its slot; nil in the page's own template): where an
    /// overrun is blamed.
    var partial: Int?
    /// `partial` when the page overran.
    private(set) var overrunPartial: Int?

    let limits: Limits

    /// How much a page may take before it is stopped.
    struct Limits: Sendable, Equatable {
        /// List rows and partial calls.
        var work: Int
        var bytes: Int

        /// Far more than any real page needs (the largest sheet of the benchmark's 100,000
        /// contacts is a row a member, nearly 100,000 rows, and 17 MB), and reached in
        /// seconds by a runaway template.
        static let page = Limits(work: 20_000_000, bytes: 256 << 20)
        /// For text that is not a page (escaped whole, as long as it is).
        static let unbounded = Limits(work: .max, bytes: .max)
    }

    /// Room for `capacity` bytes before the first growth.
    init(capacity: Int, limits: Limits = .page) {
        self.limits = limits
        self.capacity = min(max(capacity, 256), limits.bytes)
        base = .allocate(byteCount: self.capacity, alignment: 16)
    }

    deinit { base.deallocate() }

    @inline(__always)
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        let n = bytes.count
        guard n > 0 else { return }
        if n > capacity &- count, !grow(to: count + n) { return }
        (base + count).copyMemory(from: bytes.baseAddress!, byteCount: n)
        count &+= n
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) { append(UnsafeRawBufferPointer(bytes)) }

    @inline(__always)
    mutating func append(_ bytes: [UInt8]) { bytes.withUnsafeBytes { append($0) } }

    @inline(__always)
    mutating func append(_ bytes: ArraySlice<UInt8>) { bytes.withUnsafeBytes { append($0) } }

    /// A string's UTF-8 bytes, from where they are when they are contiguous.
    @inline(__always)
    mutating func append(_ s: String) {
        var s = s
        s.withUTF8 { append($0) }
    }

    /// Counts `n` list rows or partial calls; false (and the page overrun) past the limit.
    @inline(__always)
    mutating func spend(_ n: Int) -> Bool {
        work &+= n
        if work > limits.work, stop == nil {
            stop = .work
            overrunPartial = partial
        }
        return stop == nil
    }

    /// Stops the page: a partial call `slot` would nest deeper than partials may.
    mutating func tooDeep(calling slot: Int) {
        guard stop == nil else { return }
        stop = .depth
        overrunPartial = slot
    }

    /// Appends the bytes of a fragment rendered apart (a memo's), and its work and overrun.
    mutating func append(fragment: borrowing PageBuffer) {
        fragment.withBytes { append($0) }
        work &+= fragment.work
        if let reason = fragment.stop, stop == nil {
            stop = reason
            overrunPartial = fragment.overrunPartial
        }
    }

    /// Doubles at least (a page grown a row at a time is copied a logarithmic number of times);
    /// false (and the page overrun) past the limit.
    @inline(never)
    private mutating func grow(to needed: Int) -> Bool {
        guard stop == nil, needed <= limits.bytes else {
            if stop == nil {
                stop = .bytes
                overrunPartial = partial
            }
            return false
        }
        let newCapacity = min(max(needed, capacity * 2), limits.bytes)
        let newBase = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        newBase.copyMemory(from: base, byteCount: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
        return true
    }

    /// The bytes appended so far.
    var bytes: [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { out, initialized in
            if count > 0 { UnsafeMutableRawPointer(out.baseAddress!).copyMemory(from: base, byteCount: count) }
            initialized = count
        }
    }

    /// Calls `body` with the bytes appended so far.
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }
}
