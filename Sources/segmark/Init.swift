import ArgumentParser
import Foundation
import SegmarkKit

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a new workspace with sample content and the default templates.")

    @Argument(help: "The folder to create (it must not exist or be empty).")
    var directory: String

    func run() throws {
        let cwd = FileManager.default.currentDirectoryPath
        let absolute = directory.hasPrefix("/") ? directory : cwd + "/" + directory
        do {
            let written = try WorkspaceInitializer().create(at: absolute)
            Console.out("created a workspace in \(directory) (\(written.count) files); next: cd \(directory) && segmark build")
        } catch let failure as WorkspaceInitializer.Failure {
            Console.error("error: \(failure)")
            throw ExitCode(1)
        } catch {
            Console.error("error: \(error)")
            throw ExitCode(1)
        }
    }
}
