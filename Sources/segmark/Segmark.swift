import ArgumentParser
import Foundation
import SegmarkKit

@main
struct Segmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "segmark",
        abstract: "CRM segments as code: evaluate segments and render reports from Markdown files.",
        version: "0.1.0",
        subcommands: [Build.self, Serve.self, Check.self, Members.self, Explain.self, Log.self, Cancel.self, Diff.self, Init.self, Import.self, Export.self, SQL.self]
    )

    /// Exit statuses: 0 success, 1 content errors or refused, 2 usage errors.
    static func main() async {
        // glibc gives each thread that allocates an arena of its own, up to eight per core;
        // a build's worker threads then hold memory the others freed. One arena per core:
        // a cold build at L peaked at 941 MiB instead of 990–1,032 MiB, in the same time.
        limitMallocArenas(to: max(2, ProcessInfo.processInfo.activeProcessorCount))
        do {
            var command = try parseAsRoot()
            if var async = command as? AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            Console.error(fullMessage(for: error))
            // ArgumentParser reports usage errors as 64; segmark uses 2 for them.
            Foundation.exit(code == .failure ? 1 : 2)
        }
    }
}

/// `mallopt(M_ARENA_MAX, n)` (malloc.h is not in Swift's Glibc module: looked up at run time).
func limitMallocArenas(to n: Int) {
    typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
    guard let symbol = dlsym(nil, "mallopt") else { return }
    let M_ARENA_MAX: Int32 = -8
    _ = unsafeBitCast(symbol, to: Mallopt.self)(M_ARENA_MAX, Int32(n))
}
