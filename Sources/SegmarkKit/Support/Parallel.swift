import Foundation

/// Runs `body` for every index on all cores and returns the results in index order,
/// so parallel work still gives byte-identical output. `itemsPerWorker`: how many items make
/// another thread worth starting (16 for small items; 1 when each item is a whole page).
public func parallelMap<T: Sendable>(_ count: Int, itemsPerWorker: Int = 16, _ body: @Sendable (Int) -> T) -> [T] {
    if count == 0 { return [] }
    let box = ResultBox<T>(count)
    let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, (count + itemsPerWorker - 1) / itemsPerWorker))
    if workers == 1 {
        for i in 0..<count { box.set(i, body(i)) }
    } else {
        let chunk = max(1, (count + workers * 8 - 1) / (workers * 8))
        let chunks = (count + chunk - 1) / chunk
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let lo = c * chunk, hi = min(count, lo + chunk)
            for i in lo..<hi { box.set(i, body(i)) }
        }
    }
    return box.values()
}

/// One slot per index, written from many threads, each slot by one thread. The slots live in
/// memory of their own: writing through an Array from several threads races on the array's
/// copy-on-write check (a thread that sees the buffer shared copies it, and the others' writes
/// land in freed memory).
final class ResultBox<T>: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<T?>
    private let count: Int

    init(_ count: Int) {
        self.count = count
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil, count: count)
    }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    func set(_ i: Int, _ value: T) { slots[i] = value }

    func values() -> [T] { (0..<count).map { slots[$0]! } }
}

/// Work started on another thread now and collected later (rendering the next pages while
/// the current ones are written).
final class Pending<T>: @unchecked Sendable {
    private var value: T?
    private let done = DispatchSemaphore(value: 0)

    init(_ work: @escaping @Sendable () -> T) {
        DispatchQueue.global().async {
            self.value = work()
            self.done.signal()
        }
    }

    func wait() -> T {
        done.wait()
        done.signal()
        return value!
    }
}

/// A value made the first time any thread asks for it, then shared (the rows sheets share are
/// made only when a sheet is rendered).
final class Lazy<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: T?
    private let make: () -> T

    init(_ make: @escaping () -> T) { self.make = make }

    /// The value when it was made already (nothing is made).
    var ifMade: T? { lock.withLock { value } }

    func get() -> T {
        lock.lock()
        defer { lock.unlock() }
        if let value { return value }
        let made = make()
        value = made
        return made
    }
}

/// A value per index, each made the first time it is asked for and kept; safe from any
/// thread. Two threads asking for the same new index at once may both make it (`make` is
/// pure), and the first kept is the one every later ask gets.
final class LazyTable<T>: @unchecked Sendable {
    /// One lock per stripe of indexes (index mod 64): threads filling a table seldom wait.
    private let locks = (0..<64).map { _ in NSLock() }
    private let values: UnsafeMutableBufferPointer<T?>
    private let make: (Int) -> T

    init(count: Int, _ make: @escaping (Int) -> T) {
        values = .allocate(capacity: count)
        values.initialize(repeating: nil)
        self.make = make
    }

    deinit {
        values.deinitialize()
        values.deallocate()
    }

    subscript(i: Int) -> T {
        let lock = locks[i & 63]
        if let value = lock.withLock({ values[i] }) { return value }
        let made = make(i)
        return lock.withLock {
            if let kept = values[i] { return kept }
            values[i] = made
            return made
        }
    }

    /// The value at `i` when it was made already (nothing is made).
    func ifMade(_ i: Int) -> T? { locks[i & 63].withLock { values[i] } }
}

/// The first error of work done on several threads (a render), shared by them.
final class FirstError: @unchecked Sendable {
    private let lock = NSLock()
    private var first: Error?

    var error: Error? {
        lock.lock()
        defer { lock.unlock() }
        return first
    }

    /// Keeps `error` when it is the first; returns the first.
    func keep(_ error: Error) -> Error {
        lock.lock()
        defer { lock.unlock() }
        if first == nil { first = error }
        return first!
    }
}
