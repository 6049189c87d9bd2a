import ArgumentParser
import Foundation
import SegmarkKit

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Explain, step by step, why a contact is or is not in a segment.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The segment id.")
    var segment: String

    @Argument(help: "The contact id.")
    var contact: String

    @Option(help: "text or json.")
    var format: Format = .text

    func run() throws {
        let ws = try LoadedWorkspace(global)
        let si = try ws.segmentIndex(segment)
        let ci = try ws.contactIndex(contact)
        let evaluation = SegmentEvaluator(model: ws.model, asOf: ws.asOf).evaluate(only: [si])
        let explainer = Explainer(model: ws.model, evaluation: evaluation)
        let explanation = explainer.explain(segmentIndex: si, contactIndex: ci)
        switch format {
        case .text: Console.out(explainer.text(explanation))
        case .json: Console.out(JSONOutput.encode(explanation))
        }
    }
}
