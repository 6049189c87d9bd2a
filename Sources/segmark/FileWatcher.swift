import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Tells when anything under the watched folders changes: inotify on Linux (one watch per
/// folder, folders added as they appear), else polling a stat fingerprint every second.
final class FileWatcher: @unchecked Sendable {
    private let folders: () -> [String]
    private let poll: () -> String
    private let changed: @Sendable ([String]?) -> Void
    private var fd: Int32 = -1
    private var watched = Set<String>()
    /// Watch descriptor → the folder it watches.
    private var folderOf: [Int32: String] = [:]
    private let lock = NSLock()

    /// - Parameters:
    ///   - folders: every folder to watch, asked again after each change (new folders).
    ///   - poll: a fingerprint of the inputs, for the polling fallback.
    ///   - changed: called on the watcher's thread when something changed, with the paths
    ///     the events name (folder + "/" + name), or nil when that is not known (polling, or
    ///     the kernel's event queue overflowed).
    init(folders: @escaping () -> [String], poll: @escaping () -> String, changed: @escaping @Sendable ([String]?) -> Void) {
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
            let wd = inotify_add_watch(fd, folder, mask)
            if wd >= 0 {
                watched.insert(folder)
                folderOf[wd] = folder
            }
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
            let events = Self.events(buffer, count: n)
            // A new folder needs a watch; so does the folder of a new link's target.
            lock.lock()
            let linkAppeared = events.contains { event in
                guard event.created, let folder = folderOf[event.wd] else { return false }
                var st = stat()
                return lstat(folder + "/" + event.name, &st) == 0 && st.st_mode & S_IFMT == S_IFLNK
            }
            lock.unlock()
            if linkAppeared || events.contains(where: \.folderAppeared) { refresh() }
            lock.lock()
            var paths: [String]? = []
            for event in events {
                guard let folder = folderOf[event.wd], !event.overflow else { paths = nil; break }
                paths?.append(event.name.isEmpty ? folder : folder + "/" + event.name)
            }
            lock.unlock()
            changed(paths)
        }
    }

    struct Event {
        var wd: Int32
        var name: String
        /// A folder was created or moved in (it needs a watch of its own).
        var folderAppeared: Bool
        /// Something was created or moved in.
        var created: Bool
        /// Which paths changed is not known: the kernel's queue overflowed (events were lost),
        /// or the name is not UTF-8 (no path the workspace lists would match it).
        var overflow: Bool
    }

    /// The events in a buffer read from inotify (`struct inotify_event`: wd, mask, cookie, len,
    /// then `len` bytes of name padded with NULs).
    static func events(_ buffer: [UInt8], count: Int) -> [Event] {
        var out: [Event] = []
        #if os(Linux)
        var offset = 0
        let header = 16
        while offset + header <= count {
            func word(_ at: Int) -> UInt32 {
                UInt32(buffer[at]) | UInt32(buffer[at + 1]) << 8 | UInt32(buffer[at + 2]) << 16 | UInt32(buffer[at + 3]) << 24
            }
            let wd = Int32(bitPattern: word(offset)), mask = word(offset + 4), length = Int(word(offset + 12))
            let start = offset + header, end = min(start + length, count)
            let nameBytes = start < end ? buffer[start..<end].prefix { $0 != 0 } : []
            let name = String(decoding: nameBytes, as: UTF8.self)
            out.append(Event(wd: wd, name: name,
                             folderAppeared: mask & UInt32(IN_ISDIR) != 0 && mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0,
                             created: mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0,
                             overflow: mask & UInt32(IN_Q_OVERFLOW) != 0 || !name.utf8.elementsEqual(nameBytes)))
            offset += header + length
        }
        #endif
        return out
    }

    private func pollLoop() {
        var last = poll()
        while true {
            Thread.sleep(forTimeInterval: 1)
            let now = poll()
            if now != last { last = now; changed(nil) }
        }
    }
}
