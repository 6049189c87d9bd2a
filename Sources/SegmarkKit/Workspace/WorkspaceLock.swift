#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One build, `log` or `cancel` at a time per workspace: an exclusive `flock` on the workspace
/// folder itself. The system releases it when the process ends, however it ends, so a killed
/// build never leaves a stale lock behind.
public final class WorkspaceLock {
    private let fd: Int32

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Takes the lock; when another process holds it, calls `waiting` once and waits for it.
    public init(root: String, waiting: () -> Void) throws {
        fd = open(root, O_RDONLY | O_DIRECTORY)
        guard fd >= 0 else { throw Failure(description: "cannot open the workspace folder \(root) to lock it") }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK else {
                close(fd)
                throw Failure(description: "cannot lock the workspace folder \(root)")
            }
            waiting()
            while flock(fd, LOCK_EX) != 0 {
                guard errno == EINTR else {
                    close(fd)
                    throw Failure(description: "cannot lock the workspace folder \(root)")
                }
            }
        }
    }

    deinit { close(fd) }
}
