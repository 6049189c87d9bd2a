/// A list body made of nothing but text, line starts and one-word variables (a table row: a
/// member, an entry, an interaction), in a form whose steps hold no references: rendering a
/// row reads the row's object once and each step's key through a pointer, where walking the
/// nodes copies (and reference-counts) a name per variable and the row per lookup.
struct FlatBody: Sendable {
    enum Step: Sendable {
        /// Bytes of the set's arena.
        case bytes(start: Int, count: Int)
        case lineStart
        /// `keys[key]`, written escaped when `escaped` and the list renders HTML.
        case variable(key: Int, escaped: Bool)
    }

    let steps: [Step]
    let keys: [String]

    /// The flat form of `nodes`, or nil when they hold anything else (a section, a partial, a
    /// dotted name, `{{.}}`, a content-type pragma, text not yet in the arena).
    init?(_ nodes: [TemplateNode]) {
        var steps: [Step] = [], keys: [String] = []
        for node in nodes {
            switch node {
            case .span(let start, let count):
                steps.append(.bytes(start: start, count: count))
            case .lineStart:
                steps.append(.lineStart)
            case .variable(let name, let escaped) where name.isSimple:
                steps.append(.variable(key: keys.count, escaped: escaped))
                keys.append(name.first)
            default:
                return nil
            }
        }
        self.steps = steps
        self.keys = keys
    }

    /// A flat body's steps, keys and the set's arena through pointers, valid while
    /// `withSteps` runs: rows of a list render without touching an array's reference count.
    /// `hints[k]` is where in the last row's own fields `keys[k]` was found: rows of a list
    /// are made alike, so a name is mostly found at the first place looked.
    struct Steps {
        let steps: UnsafeBufferPointer<Step>
        let keys: UnsafeBufferPointer<String>
        let arena: UnsafeBufferPointer<UInt8>
        let hints: UnsafeMutableBufferPointer<Int>
    }

    func withSteps<R>(arena: UnsafeBufferPointer<UInt8>, _ body: (Steps) -> R) -> R {
        steps.withUnsafeBufferPointer { steps in
            keys.withUnsafeBufferPointer { keys in
                withUnsafeTemporaryAllocation(of: Int.self, capacity: max(keys.count, 1)) { hints in
                    hints.initialize(repeating: 0)
                    return body(Steps(steps: steps, keys: keys, arena: arena, hints: hints))
                }
            }
        }
    }

    func withSteps<R>(arena: [UInt8], _ body: (Steps) -> R) -> R {
        arena.withUnsafeBufferPointer { arena in withSteps(arena: arena, body) }
    }
}
