import Foundation
import Mustache
import SegmarkKit

/// `make bench` (render micro-benchmark): a segment sheet's member table — 20,000 rows of
/// 7 variables each — rendered by Segmark's engine and by swift-mustache, in nanoseconds per
/// variable (median of 5 runs each). Only wall time on this machine: compare the two lines.
@main
struct RenderBench {
    static func main() throws {
        let rows = 20_000
        let source = """
            <table>
            {{#members}}
            <tr><td><a href="../contacts/{{id}}.html">{{id}}</a></td><td>{{name}}</td><td>{{companyName}}</td><td>{{type}}</td><td>{{channel}}</td><td>{{salesperson}}</td><td class="num">{{addedBy}}</td></tr>
            {{/members}}
            </table>

            """
        let variables = rows * 8
        var members: [TemplateValue] = []
        var oracleMembers: [[String: Any]] = []
        for i in 0..<rows {
            let id = "CT\(100_000 + i)"
            let name = i % 7 == 0 ? "Hansen & Sønn <AS>" : "Contact number \(i)"
            members.append(["id": .text(id), "name": .text(name), "companyName": "Cronus AS", "type": "person",
                            "channel": "email", "salesperson": "HR", "addedBy": .int(i % 3 + 1)])
            oracleMembers.append(["id": id, "name": name, "companyName": "Cronus AS", "type": "person",
                                  "channel": "email", "salesperson": "HR", "addedBy": i % 3 + 1])
        }
        let page: TemplateValue = ["members": .list(members)]
        let oraclePage: [String: Any] = ["members": oracleMembers]
        var ours = TemplateSet(contentType: .html)
        try ours.add("sheet", source: source)
        _ = ours.resolvePartials()  // assembled, as a build's templates are at load
        let theirs = try MustacheTemplate(string: source)

        func median(_ runs: Int, _ body: () -> Int) -> Double {
            var times: [Double] = []
            var sink = 0
            for _ in 0..<runs {
                let start = DispatchTime.now().uptimeNanoseconds
                sink &+= body()
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start))
            }
            precondition(sink > 0)
            return times.sorted()[runs / 2]
        }
        let own = median(ProcessInfo.processInfo.environment["RENDER_RUNS"].flatMap(Int.init) ?? 5) { try! ours.render("sheet", page)!.count }
        if ProcessInfo.processInfo.environment["RENDER_OWN_ONLY"] != nil {
            print(String(format: "| Segmark's engine | %.0f ns per variable |", own / Double(variables)))
            return
        }
        let oracle = median(5) { theirs.render(oraclePage).utf8.count }
        let same = String(decoding: try! ours.render("sheet", page)!, as: UTF8.self) == theirs.render(oraclePage)
        print(String(format: "| Segmark's engine | %.0f ns per variable |", own / Double(variables)))
        print(String(format: "| swift-mustache 2.1.1 | %.0f ns per variable |", oracle / Double(variables)))
        print("same bytes: \(same ? "yes" : "NO")")
    }
}
