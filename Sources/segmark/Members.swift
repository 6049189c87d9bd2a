import ArgumentParser
import Foundation
import SegmarkKit

struct Members: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List a segment's members, sorted by id.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case ids, csv, json }

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The segment id.")
    var segment: String

    @Option(help: "ids (one id a line), csv or json.")
    var format: Format = .ids

    func run() throws {
        let ws = try LoadedWorkspace(global)
        let si = try ws.segmentIndex(segment)
        let evaluation = SegmentEvaluator(model: ws.model, asOf: ws.asOf).evaluate(only: [si])
        guard let result = evaluation.result(si) else {
            Console.error("error: segment '\(segment)' cannot be evaluated")
            throw ExitCode(1)
        }
        let listing = MemberListing(model: ws.model, evaluation: evaluation, segmentIndex: si, result: result)
        switch format {
        case .ids: Console.out(listing.ids())
        case .csv: Console.out(listing.csv())
        case .json: Console.out(listing.json())
        }
    }
}
