import Foundation

/// The compiled templates of one output format, by name. Partials are resolved to slots when
/// the set is assembled, so an unknown partial is found at load, not while rendering.
public struct TemplateSet: Sendable {
    /// How `{{name}}` writes values unless a template's pragma says otherwise.
    public let contentType: TemplateContentType
    private(set) var templates: [CompiledTemplate] = []
    /// The text of every assembled template, end to end (`TemplateNode.span`).
    private(set) var arena: [UInt8] = []
    /// Each section's body in flat form, by section id, where it has one (`FlatBody`).
    private(set) var flatBodies: [FlatBody?] = []
    private var slots: [String: Int] = [:]
    private var references: [[(name: String, line: Int, column: Int)]] = []
    private var names: [[(name: String, line: Int, column: Int)]] = []
    /// How big each template's last page was: the next page's buffer starts that big, so a
    /// page is not copied as its buffer doubles (a sheet can be 16 MB).
    private let sizes = SizeHints()

    /// Partial calls may nest this deep (a partial may include itself, over nested data);
    /// deeper stops the page with an error.
    static let maxPartialDepth = 64

    public init(contentType: TemplateContentType) { self.contentType = contentType }

    public var templateNames: [String] { templates.map(\.name) }

    /// The variable and section names a template uses (first part of each), with positions.
    public func names(in template: String) -> [(name: String, line: Int, column: Int)] {
        slots[template].map { names[$0] } ?? []
    }

    public func contains(_ name: String) -> Bool { slots[name] != nil }

    /// The partial tags of a template (`{{> name}}`), where they are.
    public func partials(in template: String) -> [(name: String, line: Int, column: Int)] {
        slots[template].map { references[$0] } ?? []
    }

    /// Parses `source` as the template `name` (replacing one of that name).
    public mutating func add(_ name: String, source: String) throws(TemplateSyntaxError) {
        var parser = TemplateParser(source)
        let template = try parser.parse(name: name)
        if let slot = slots[name] {
            templates[slot] = template
            references[slot] = parser.partialReferences
            names[slot] = parser.nameReferences
        } else {
            slots[name] = templates.count
            templates.append(template)
            references.append(parser.partialReferences)
            names.append(parser.nameReferences)
        }
    }

    /// Binds every partial call to its template; returns the calls naming no template
    /// (template name, error), in template order.
    /// - Parameter broken: names of templates whose text did not parse. They have an error of
    ///   their own, so a call naming one is not reported again as an unknown partial.
    public mutating func resolvePartials(broken: Set<String> = []) -> [(template: String, error: TemplateSyntaxError)] {
        var unknown: [(String, TemplateSyntaxError)] = []
        for (slot, refs) in references.enumerated() {
            for ref in refs where slots[ref.name] == nil && !broken.contains(ref.name) {
                let message = "unknown partial '\(ref.name)'" + Text.didYouMean(ref.name, templates.map(\.name))
                unknown.append((templates[slot].name, TemplateSyntaxError(message: message, line: ref.line, column: ref.column)))
            }
        }
        var sections = 0
        for slot in templates.indices {
            templates[slot].nodes = Self.bind(templates[slot].nodes, slots: slots, sections: &sections, arena: &arena)
        }
        flatBodies = [FlatBody?](repeating: nil, count: sections)
        func collect(_ nodes: [TemplateNode]) {
            for node in nodes {
                guard case .section(_, _, let body, let id) = node else { continue }
                if id >= 0 && id < flatBodies.count { flatBodies[id] = FlatBody(body) }
                collect(body)
            }
        }
        for template in templates { collect(template.nodes) }
        return unknown
    }

    private static func bind(_ nodes: [TemplateNode], slots: [String: Int], sections: inout Int, arena: inout [UInt8]) -> [TemplateNode] {
        nodes.map { node in
            switch node {
            case .partial(let name, _, let indentation, let standalone):
                return .partial(name: name, slot: slots[name] ?? -1, indentation: indentation, standalone: standalone)
            case .section(let name, let inverted, let body, _):
                let id = sections
                sections += 1
                return .section(name, inverted: inverted, body: bind(body, slots: slots, sections: &sections, arena: &arena), id: id)
            case .text(let bytes):
                arena.append(contentsOf: bytes)
                return .span(start: arena.count - bytes.count, count: bytes.count)
            default:
                return node
            }
        }
    }

    /// A page that went past what any real page needs (`limits`): rendering stopped, and the
    /// page is not made.
    public struct Overrun: Error, Equatable, Sendable {
        /// The template rendered, and the partial being rendered when the page overran (nil
        /// in the template's own text).
        public var template: String
        public var partial: String?
        /// What ran out first.
        public var reason: Reason
        var limits = PageBuffer.Limits.page

        public enum Reason: Sendable, Equatable {
            /// The list rows and partial calls, the bytes, or the depth of partials in partials.
            case work, bytes, depth
        }

        /// What went wrong, in words, for the page at `page`.
        public func message(page: String) -> String {
            if reason == .depth {
                return "rendering \(page) stopped: partials nested more than \(TemplateSet.maxPartialDepth) deep, far deeper than any real page; "
                    + "does partial '\(partial ?? template)' include itself?"
            }
            let what = reason == .bytes ? "grew past \(limits.bytes >> 20) MiB"
                : "took more than \(Self.amount(limits.work)) list rows and partial calls"
            let cause = partial.map { "does partial '\($0)' include itself, or repeat a list inside itself?" }
                ?? "does a section repeat a list inside itself?"
            return "rendering \(page) stopped: it \(what), far more than any real page; \(cause)"
        }

        /// `20 million`, `1,500`.
        static func amount(_ n: Int) -> String {
            if n >= 1_000_000, n % 1_000_000 == 0 { return "\(n / 1_000_000) million" }
            var digits = String(n), out = ""
            while digits.count > 3 {
                out = "," + digits.suffix(3) + out
                digits.removeLast(3)
            }
            return digits + out
        }
    }

    /// How much one page may take (tests make it small).
    var limits = PageBuffer.Limits.page

    /// Renders the template `name` over `value`; nil when there is no such template.
    public func render(_ name: String, _ value: TemplateValue, memo: FragmentMemo? = nil) throws(Overrun) -> [UInt8]? {
        try render(name, value, memo: memo, splice: nil)
    }

    /// - Parameter splice: the rows of the page's long list the last build wrote, to copy
    ///   unchanged rows from, and where this render's rows go (`RowSplice`).
    func render(_ name: String, _ value: TemplateValue, memo: FragmentMemo?, splice: RowSplice?) throws(Overrun) -> [UInt8]? {
        guard let slot = slots[name] else { return nil }
        var buffer = PageBuffer(capacity: max(sizes.size(slot), splice?.expectedSize ?? 0), limits: limits)
        render(slot: slot, value, memo: memo, splice: splice, into: &buffer)
        if buffer.overrun {
            throw Overrun(template: name, partial: buffer.overrunPartial.map { templates[$0].name }, reason: buffer.stop ?? .work,
                          limits: limits)
        }
        sizes.saw(buffer.count, slot: slot)
        return buffer.bytes
    }

    private func render(slot: Int, _ value: TemplateValue, memo: FragmentMemo?, splice: RowSplice?, into buffer: inout PageBuffer) {
        var stack: [TemplateValue] = [value]
        stack.reserveCapacity(8)
        TemplateRenderer(set: self, memo: memo, splice: splice)
            .render(templates[slot].nodes, stack: &stack, indent: [], type: contentType, depth: 0, into: &buffer)
    }
}

/// The size of the last page each template rendered, shared by the threads that render.
final class SizeHints: @unchecked Sendable {
    private let lock = NSLock()
    private var sizes: [Int: Int] = [:]

    /// At least 4 KiB; at most 64 MiB (a size only reserves address space until it is written).
    func size(_ slot: Int) -> Int {
        lock.lock()
        defer { lock.unlock() }
        return min(max(4096, sizes[slot] ?? 0), 64 << 20)
    }

    func saw(_ size: Int, slot: Int) {
        lock.lock()
        defer { lock.unlock() }
        sizes[slot] = size + size / 16
    }
}
