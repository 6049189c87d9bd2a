import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Tells when anything under the watched folders changes: inotify on Linux (one watch per
/// folder, folders added as they appear), else polling a stat fingerprint every second.
final class FileWatcher: @unchecked Sendable {
    private let folders: () -> [String]
    private let poll: () -> String
    private let changed: @Sendable () -> Void
    private var fd: Int32 = -1
    private var watched = Set<String>()
    private let lock = NSLock()

    /// - Parameters:
    ///   - folders: every folder to watch, asked again after each change (new folders).
    ///   - poll: a fingerprint of the inputs, for the polling fallback.
    ///   - changed: called on the watcher's thread when something changed.
    init(folders: @escaping () -> [String], poll: @escaping () -> String, changed: @escaping @Sendable () -> Void) {
        self.folders = folders
        self.poll = poll
        self.changed = changed
    }

    var usesInotify: Bool { fd >= 0 }

    func start() {
        #if os(Linux)
        fd = inotify_init1(Int32(IN_CLOEXEC))
        #endif
        if fd >= 0 {
            refresh()
            let thread = Thread { [self] in readLoop() }
            thread.name = "segmark-watch"
            thread.start()
        } else {
            let thread = Thread { [self] in pollLoop() }
            thread.start()
        }
    }

    /// Adds watches for folders that appeared since the last call.
    func refresh() {
        #if os(Linux)
        guard fd >= 0 else { return }
        let mask = UInt32(IN_CREATE | IN_DELETE | IN_MODIFY | IN_MOVED_FROM | IN_MOVED_TO | IN_CLOSE_WRITE | IN_ATTRIB | IN_DELETE_SELF)
        lock.lock()
        defer { lock.unlock() }
        for folder in folders() where !watched.contains(folder) {
            if inotify_add_watch(fd, folder, mask) >= 0 { watched.insert(folder) }
        }
        #endif
    }

    private func readLoop() {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            // Walk the folders again only when a folder appeared (created or moved in): walking
            // them after every save would cost more than the rebuild it starts.
            if Self.foldersAppeared(buffer, count: n) { refresh() }
            changed()
        }
    }

    /// Whether any event in the buffer is a folder created or moved in (`struct inotify_event`:
    /// wd, mask, cookie, len, then `len` bytes of name).
    static func foldersAppeared(_ buffer: [UInt8], count: Int) -> Bool {
        #if os(Linux)
        var offset = 0
        let header = 16
        while offset + header <= count {
            func word(_ at: Int) -> UInt32 {
                UInt32(buffer[at]) | UInt32(buffer[at + 1]) << 8 | UInt32(buffer[at + 2]) << 16 | UInt32(buffer[at + 3]) << 24
            }
            let mask = word(offset + 4), length = Int(word(offset + 12))
            if mask & UInt32(IN_ISDIR) != 0 && mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 { return true }
            if mask & UInt32(IN_Q_OVERFLOW) != 0 { return true }
            offset += header + length
        }
        #endif
        return false
    }

    private func pollLoop() {
        var last = poll()
        while true {
            Thread.sleep(forTimeInterval: 1)
            let now = poll()
            if now != last { last = now; changed() }
        }
    }
}
