import ArgumentParser
import SegmarkKit

struct Log: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Log a segment: write an interaction batch for its members (the ones its sheet shows).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The segment id.")
    var segment: String

    @Option(help: "The interaction date, YYYY-MM-DD (default: the segment's date, else the as-of date).")
    var date: String?

    @Flag(name: .customLong("follow-up"), help: "Also write a follow-up segment SEGMENT-FU with the logged contacts.")
    var followUp = false

    @Flag(name: .customLong("dry-run"), help: "Print the batch instead of writing it.")
    var dryRun = false

    @Flag(help: "Log again although a batch that is not canceled already names this segment.")
    var again = false

    func validate() throws {
        if let date, Day(date) == nil { throw ValidationError("--date must be a date written YYYY-MM-DD, found '\(date)'") }
    }

    func run() throws {
        let ws = try LoadedWorkspace(global, locking: true)
        let logger = BatchLogger(model: ws.model)
        do {
            let plan = try logger.plan(segment: segment, date: date.flatMap(Day.init), asOf: ws.asOf, followUp: followUp, again: again)
            if dryRun {
                Console.out(plan.batchText)
                if let text = plan.followUpText { Console.out(text) }
                return
            }
            try logger.write(plan)
            Console.out("logged \(plan.entries) entries in \(plan.batchPath)" + (plan.followUpPath.map { "; follow-up segment \($0)" } ?? ""))
        } catch let refusal as BatchLogger.Refusal {
            Console.error("error: \(refusal.message)")
            throw ExitCode(1)
        }
    }
}

struct Cancel: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Cancel a logged batch (canceled: true), or undo that.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The batch id.")
    var batch: String

    @Flag(help: "Clear the cancellation.")
    var undo = false

    func run() throws {
        let ws = try LoadedWorkspace(global, locking: true)
        do {
            if let path = try BatchCanceler(model: ws.model).apply(batch: batch, cancel: !undo) {
                Console.out("\(undo ? "restored" : "canceled") \(batch) in \(path)")
            } else {
                Console.out("\(batch) was already \(undo ? "not canceled" : "canceled"); nothing changed")
            }
        } catch let refusal as BatchLogger.Refusal {
            Console.error("error: \(refusal.message)")
            throw ExitCode(1)
        }
    }
}
