import Foundation

/// Removes files on threads of its own while the build goes on: the pages a build replaced,
/// left at their staged names by `FileSystem.replaceFile`. Removing a file mostly waits for
/// the disk (on this machine's ext4, mounted with `discard`: 20,000 files of 6 KB took 5.7 s
/// one after another, of which 1.4 s was CPU, and 3.1 s four at a time), so a few threads wait
/// side by side instead of the build waiting for each in turn.
/// A file that cannot be removed stays where it is: it is in the staging folder, which goes
/// after (`OutputWriter.abort`).
final class BackgroundRemover: @unchecked Sendable {
    private let fileSystem: FileSystem
    private let threads: Int
    private let condition = NSCondition()
    private var queue: [String] = []
    private var next = 0
    private var running = 0
    private var closed = false

    init(fileSystem: FileSystem, threads: Int = 4) {
        self.fileSystem = fileSystem
        self.threads = max(1, threads)
    }

    /// Queues `path` for removal; a thread starts when fewer than `threads` run.
    func remove(_ path: String) {
        condition.lock()
        defer { condition.unlock() }
        precondition(!closed, "a file queued after finish()")
        queue.append(path)
        if running < threads, queue.count - next > running {
            running += 1
            Thread.detachNewThread { [self] in work() }
        }
        condition.signal()
    }

    /// Waits until every queued file is removed (or failed), and the threads have ended.
    func finish() {
        condition.lock()
        defer { condition.unlock() }
        closed = true
        condition.broadcast()
        while running > 0 { condition.wait() }
        queue = []
        next = 0
        closed = false
    }

    private func work() {
        while true {
            condition.lock()
            while next == queue.count && !closed { condition.wait() }
            if next == queue.count {
                running -= 1
                condition.broadcast()
                condition.unlock()
                return
            }
            let path = queue[next]
            next += 1
            condition.unlock()
            try? fileSystem.remove(path)
        }
    }
}
