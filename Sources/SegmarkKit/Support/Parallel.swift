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

final class ResultBox<T>: @unchecked Sendable {
    private var storage: [T?]
    init(_ count: Int) { storage = [T?](repeating: nil, count: count) }
    func set(_ i: Int, _ value: T) {
        storage.withUnsafeMutableBufferPointer { $0[i] = value }
    }
    func values() -> [T] { storage.map { $0! } }
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
