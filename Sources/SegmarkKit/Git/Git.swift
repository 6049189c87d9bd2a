import Foundation

/// Runs `git` for `diff` and sheet history. Git is found on PATH (or given); every call runs in
/// a fixed folder with a fixed environment, so its output does not depend on the user's config.
public struct Git: Sendable {
    public let executable: String
    public let directory: String

    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case notInstalled
        case notARepository(String)
        case unknownRevision(String)
        case failed(String, String)

        public var description: String {
            switch self {
            case .notInstalled:
                return "git is not on PATH; segmark reads revisions and history through git"
            case .notARepository(let dir):
                return "\(dir) is not inside a git repository (segmark diff compares git revisions; run 'git init' and commit the workspace first)"
            case .unknownRevision(let rev):
                return "unknown revision '\(rev)'"
            case .failed(let command, let message):
                return "git \(command) failed: \(message)"
            }
        }
    }

    /// Finds git on PATH; `nil` when it is not installed.
    public static func locate(environment: [String: String]) -> String? {
        let path = environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let candidate = String(dir) + "/git"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    public init(executable: String, directory: String) {
        self.executable = executable
        self.directory = directory
    }

    /// Runs git with `arguments`, feeding `input` to its standard input; returns standard output.
    public func run(_ arguments: [String], input: [UInt8]? = nil) throws -> (status: Int32, output: [UInt8], error: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-C", directory] + arguments
        var environment = ProcessInfo.processInfo.environment
        for key in ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"] { environment[key] = nil }
        environment["LC_ALL"] = "C"
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        environment["GIT_TERMINAL_PROMPT"] = "0"
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let inPipe = input == nil ? nil : Pipe()
        process.standardInput = inPipe ?? FileHandle.nullDevice
        do { try process.run() } catch { throw Failure.notInstalled }
        if let inPipe, let input {
            let handle = inPipe.fileHandleForWriting
            let data = Data(input)
            DispatchQueue.global().async {
                handle.write(data)
                try? handle.close()
            }
        }
        let errorBox = DataBox()
        let errorDone = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            errorBox.data = err.fileHandleForReading.readDataToEndOfFile()
            errorDone.signal()
        }
        let output = out.fileHandleForReading.readDataToEndOfFile()
        errorDone.wait()
        process.waitUntilExit()
        let message = String(decoding: errorBox.data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return (process.terminationStatus, [UInt8](output), message)
    }

    /// Standard output as text, or `Failure.failed` on a non-zero status.
    public func text(_ arguments: [String]) throws -> String {
        let r = try run(arguments)
        guard r.status == 0 else { throw Failure.failed(arguments.first ?? "", r.error) }
        return String(decoding: r.output, as: UTF8.self)
    }

    /// The workspace folder relative to the repository's top (`""` at the top, else `dir/`).
    public func prefix() throws -> String {
        let r = try run(["rev-parse", "--show-prefix"])
        guard r.status == 0 else { throw Failure.notARepository(directory) }
        return String(decoding: r.output, as: UTF8.self).trimmingCharacters(in: .newlines)
    }

    /// The full commit id of a revision.
    public func resolve(_ revision: String) throws -> String {
        guard !revision.hasPrefix("-") else { throw Failure.unknownRevision(revision) }
        let r = try run(["rev-parse", "--verify", "--quiet", "--end-of-options", revision + "^{commit}"])
        guard r.status == 0 else { throw Failure.unknownRevision(revision) }
        return String(decoding: r.output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

final class DataBox: @unchecked Sendable {
    var data = Data()
}
