import Foundation

/// Prints a `SegmentDiff` as plain text (terminal), Markdown (a pull-request comment) or JSON.
public struct DiffFormatter: Sendable {
    public init() {}

    func count(_ n: Int?) -> String { n.map(String.init) ?? "–" }

    func headline(_ e: SegmentDiff.Entry) -> String {
        switch e.status {
        case .added: return "added"
        case .removed: return "removed"
        case .renamed: return "renamed from \(e.previousID ?? "")"
        case .changed: return e.definitionChanged ? "definition changed" : "definition unchanged"
        }
    }

    func summary(_ d: SegmentDiff) -> String {
        if d.entries.isEmpty { return "No segment changed." }
        let n = d.entries.count
        return "\(n) segment\(n == 1 ? "" : "s") changed: \(d.joinedCount) joined, \(d.leftCount) left."
    }

    public func text(_ d: SegmentDiff) -> String {
        var out = "Segments from \(d.from) to \(d.to), as of \(d.asOf)\n"
        for e in d.entries {
            out += "\n\(e.id)\(e.description.isEmpty ? "" : " " + Text.line(e.description)): \(count(e.before)) → \(count(e.after)) members"
            out += " (+\(e.joined.count) −\(e.left.count)); \(headline(e))\n"
            if e.definitionChanged && (e.status == .renamed || e.status == .changed) {
                out += "  definition:\n"
                for line in e.definitionRemoved { out += "    - \(Text.line(line))\n" }
                for line in e.definitionAdded { out += "    + \(Text.line(line))\n" }
            }
            if !e.joined.isEmpty {
                out += "  joined (\(e.joined.count)):\n"
                for m in e.joined { out += "    + \(m.id) \(Text.line(m.name))\n" }
            }
            if !e.left.isEmpty {
                out += "  left (\(e.left.count)):\n"
                for m in e.left { out += "    - \(m.id) \(Text.line(m.name))\n" }
            }
        }
        return out + "\n" + summary(d) + "\n"
    }

    public func markdown(_ d: SegmentDiff) -> String {
        let cell = MarkdownEscaping.cell
        var out = "## Segment changes\n\nFrom `\(d.from)` to `\(d.to)`, evaluated as of \(d.asOf). \(summary(d))\n"
        guard !d.entries.isEmpty else { return out }
        out += "\n| Segment | Description | Before | After | Joined | Left | Change |\n"
        out += "|---|---|--:|--:|--:|--:|---|\n"
        for e in d.entries {
            out += "| \(cell(e.id)) | \(cell(e.description)) | \(count(e.before)) | \(count(e.after)) | \(e.joined.count) | \(e.left.count) | \(cell(headline(e))) |\n"
        }
        for e in d.entries {
            out += "\n### \(cell(e.id))\(e.description.isEmpty ? "" : " — " + cell(e.description))\n\n"
            out += "\(count(e.before)) → \(count(e.after)) members; \(cell(headline(e))).\n"
            if e.definitionChanged && e.status != .added && e.status != .removed {
                out += "\n```diff\n"
                for line in e.definitionRemoved { out += "- \(fence(line))\n" }
                for line in e.definitionAdded { out += "+ \(fence(line))\n" }
                out += "```\n"
            }
            for (title, list) in [("Joined", e.joined), ("Left", e.left)] where !list.isEmpty {
                out += "\n<details><summary>\(title) (\(list.count))</summary>\n\n| Contact | Name |\n|---|---|\n"
                for m in list { out += "| \(cell(m.id)) | \(cell(m.name)) |\n" }
                out += "\n</details>\n"
            }
        }
        return out
    }

    /// A line inside a fenced block cannot close the fence.
    func fence(_ line: String) -> String { line.replacingOccurrences(of: "```", with: "`\u{200B}``") }

    struct JSONMember: Encodable { var id: String; var name: String }
    struct JSONEntry: Encodable {
        var id: String
        var previous_id: String?
        var description: String
        var status: String
        var before: Int?
        var after: Int?
        var joined: [JSONMember]
        var left: [JSONMember]
        var definition_changed: Bool
        var definition_removed: [String]
        var definition_added: [String]
    }
    struct JSONDiff: Encodable {
        var from: String
        var to: String
        var as_of: String
        var membership_changed: Bool
        var segments: [JSONEntry]
    }

    public func json(_ d: SegmentDiff) -> String {
        let value = JSONDiff(from: d.from, to: d.to, as_of: d.asOf.description, membership_changed: d.membershipChanged,
                             segments: d.entries.map { e in
            JSONEntry(id: e.id, previous_id: e.previousID, description: e.description, status: e.status.rawValue,
                      before: e.before, after: e.after,
                      joined: e.joined.map { JSONMember(id: $0.id, name: $0.name) },
                      left: e.left.map { JSONMember(id: $0.id, name: $0.name) },
                      definition_changed: e.definitionChanged,
                      definition_removed: e.definitionRemoved, definition_added: e.definitionAdded)
        })
        return JSONOutput.encode(value)
    }
}
