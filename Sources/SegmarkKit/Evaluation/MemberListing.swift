import Foundation

/// A segment's members as `segmark members` prints them: ids, CSV or JSON.
public struct MemberListing: Sendable {
    public let model: Model
    public let evaluation: Evaluation
    public let segmentIndex: Int
    public let result: SegmentResult

    public init(model: Model, evaluation: Evaluation, segmentIndex: Int, result: SegmentResult) {
        self.model = model
        self.evaluation = evaluation
        self.segmentIndex = segmentIndex
        self.result = result
    }

    public func ids() -> String {
        var out = ""
        result.members.forEach { out += model.contacts[$0].id + "\n" }
        return out
    }

    public func csv() -> String {
        var rows: [[String]] = [["id", "name", "type", "company", "added_by_step"]]
        result.members.forEach { i in
            let c = model.contacts[i]
            rows.append([c.id, c.name, c.type.rawValue, c.company?.value ?? "", result.addedBy[i].map(String.init) ?? ""])
        }
        return CSV.encode(rows)
    }

    struct JSONMember: Encodable {
        var id: String
        var name: String
        var type: String
        var company: String?
        var added_by_step: Int?
    }

    struct JSONStep: Encodable {
        var number: Int
        var action: String
        var description: String
        var before: Int
        var after: Int
    }

    struct JSONListing: Encodable {
        var segment: String
        var description: String?
        var as_of: String
        var count: Int
        var steps: [JSONStep]
        var members: [JSONMember]
    }

    public func json() -> String {
        let segment = model.segments[segmentIndex]
        var members: [JSONMember] = []
        result.members.forEach { i in
            let c = model.contacts[i]
            members.append(JSONMember(id: c.id, name: c.name, type: c.type.rawValue, company: c.company?.value, added_by_step: result.addedBy[i]))
        }
        let steps = segment.criteria.enumerated().map { n, step in
            JSONStep(number: n + 1, action: step.action.rawValue, description: StepDescriber().describe(step),
                     before: result.steps[n].before, after: result.steps[n].after)
        }
        return JSONOutput.encode(JSONListing(segment: segment.id, description: segment.description, as_of: evaluation.asOf.description,
                                             count: members.count, steps: steps, members: members))
    }
}

/// Stable, pretty JSON with sorted keys.
/// JSON for every command: pretty, sorted keys, and keys in snake_case as in the YAML
/// (`as_of`, `added_by_step`, `count_after`).
public enum JSONOutput {
    public static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        guard let data = try? encoder.encode(value) else { return "{}" }
        return String(decoding: closingEmpty(Array(data)), as: UTF8.self) + "\n"
    }

    /// Foundation prints an empty array or object over three lines (`[`, a blank line, `]`);
    /// this writes it `[]` or `{}`. A raw line feed in JSON is always layout (one inside a
    /// string is written `\n`), so the bytes alone decide.
    static func closingEmpty(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            out.append(b)
            i += 1
            guard b == UInt8(ascii: "[") || b == UInt8(ascii: "{"), i + 1 < bytes.count,
                  bytes[i] == 0x0A, bytes[i + 1] == 0x0A else { continue }
            var j = i + 2
            while j < bytes.count, bytes[j] == 0x20 { j += 1 }
            if j < bytes.count, bytes[j] == (b == UInt8(ascii: "[") ? UInt8(ascii: "]") : UInt8(ascii: "}")) {
                out.append(bytes[j])
                i = j + 1
            }
        }
        return out
    }
}
