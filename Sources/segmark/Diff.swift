import ArgumentParser
import Foundation
import SegmarkKit

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Membership changes between two git revisions (default: HEAD and the working tree).",
        discussion: """
        With no revision, HEAD against the working tree; with one, that revision against the working tree; \
        with two, the first against the second. Both sides are evaluated with the same as-of date: --as-of, \
        else as_of in segmark.yml of the newer side, else today. Exit status 3 with --exit-code when any \
        membership changed.
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, md, json }

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Zero, one or two git revisions.")
    var revisions: [String] = []

    @Option(help: "text, md (a pull-request comment) or json.")
    var format: Format = .text

    @Flag(name: .customLong("exit-code"), help: "Exit with status 3 when any segment's membership changed.")
    var exitCode = false

    func validate() throws {
        if revisions.count > 2 { throw ValidationError("diff takes at most two revisions, found \(revisions.count)") }
    }

    func run() throws {
        let root = try global.resolvedRoot()
        guard let executable = Git.locate(environment: ProcessInfo.processInfo.environment) else {
            Console.error("error: \(Git.Failure.notInstalled)")
            throw ExitCode(1)
        }
        let git = Git(executable: executable, directory: root)
        do {
            let prefix = try git.prefix()
            let reader = RevisionReader(git: git)
            let beforeRevision = revisions.first ?? "HEAD"
            let beforeCommit = try git.resolve(beforeRevision)
            let afterCommit = try revisions.count == 2 ? git.resolve(revisions[1]) : nil
            let beforeCheck = try reader.check(commit: beforeCommit, prefix: prefix)
            let afterCheck = try afterCommit.map { try reader.check(commit: $0, prefix: prefix) } ?? WorkspaceCheck(root: root)
            var failed = false
            for (label, check) in [(beforeRevision, beforeCheck), (revisions.count == 2 ? revisions[1] : nil, afterCheck)] where check.hasErrors {
                let errors = check.diagnostics.filter { $0.severity == .error }
                Console.error(errors.map { (label.map { $0 + ":" } ?? "") + $0.description }.joined(separator: "\n"))
                failed = true
            }
            if failed {
                Console.error("the content has errors; nothing was compared")
                throw ExitCode(1)
            }
            let asOf = global.asOf.flatMap(Day.init) ?? afterCheck.model.settings.asOf ?? beforeCheck.model.settings.asOf ?? SystemClock.today()
            let short = { (commit: String) in String(commit.prefix(7)) }
            let before = SegmentDiffer.Side(label: "\(beforeRevision) (\(short(beforeCommit)))", model: beforeCheck.model,
                                            evaluation: SegmentEvaluator(model: beforeCheck.model, asOf: asOf).evaluate())
            let afterLabel = afterCommit.map { "\(revisions[1]) (\(short($0)))" } ?? "the working tree"
            let after = SegmentDiffer.Side(label: afterLabel, model: afterCheck.model,
                                           evaluation: SegmentEvaluator(model: afterCheck.model, asOf: asOf).evaluate())
            let diff = SegmentDiffer().diff(before, after)
            switch format {
            case .text: Console.out(DiffFormatter().text(diff))
            case .md: Console.out(DiffFormatter().markdown(diff))
            case .json: Console.out(DiffFormatter().json(diff))
            }
            if exitCode && diff.membershipChanged { throw ExitCode(3) }
        } catch let failure as Git.Failure {
            Console.error("error: \(failure)")
            if case .unknownRevision = failure { throw ExitCode(2) }
            throw ExitCode(1)
        }
    }
}
