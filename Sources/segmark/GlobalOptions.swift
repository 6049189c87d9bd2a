import ArgumentParser
import Foundation
import SegmarkKit

/// `--root` and `--as-of`, taken by every command.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "The workspace folder (default: the nearest folder upward with segmark.yml or Content/).")
    var root: String?

    @Option(name: .customLong("as-of"), help: "Evaluation date, YYYY-MM-DD (default: as_of in segmark.yml, else today).")
    var asOf: String?

    func validate() throws {
        if let asOf, Day(asOf) == nil {
            throw ValidationError("--as-of must be a date written YYYY-MM-DD, found '\(asOf)'")
        }
    }

    /// The workspace root as an absolute path without a trailing slash.
    func resolvedRoot() throws -> String {
        let cwd = FileManager.default.currentDirectoryPath
        if let root {
            let absolute = root.hasPrefix("/") ? root : cwd + "/" + root
            let standardized = URL(fileURLWithPath: absolute).standardizedFileURL.path
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: standardized, isDirectory: &isDir), isDir.boolValue else {
                throw Self.usage("--root: no such folder '\(root)'")
            }
            return standardized
        }
        guard let found = WorkspaceLocator(fileSystem: LocalFileSystem()).locate(from: cwd) else {
            throw Self.usage("no workspace found: no segmark.yml or Content/ here or in any parent folder; use --root DIR, or start one with 'segmark init DIR'")
        }
        return found
    }

    /// A usage error found while a command runs: said as the command's other errors are (the
    /// parser's own would add the usage of `segmark` itself, not of the command), exit status 2.
    static func usage(_ message: String) -> ExitCode {
        Console.error("error: " + message)
        return ExitCode(2)
    }

    /// --as-of, else segmark.yml's as_of, else the system date.
    func asOfDay(settings: Settings) -> Day {
        if let asOf, let d = Day(asOf) { return d }
        if let d = settings.asOf { return d }
        return SystemClock.today()
    }
}

enum SystemClock {
    /// Today's date in the local time zone; the only place that reads the clock.
    static func today() -> Day {
        let c = Calendar.current.dateComponents([.year, .month, .day], from: Date())
        return Day(year: c.year!, month: c.month!, day: c.day!)!
    }
}
