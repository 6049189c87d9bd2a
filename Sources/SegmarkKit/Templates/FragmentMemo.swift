import Foundation

/// Rendered stretches of list bodies, kept across the pages of one build: where a list's items
/// share fields (`SharedFields`) and a stretch of the body reads only those, the stretch is
/// rendered once per shared id and copied into every later page (a member row's cells on each
/// of the 32 sheets a contact is on; its address label). Safe to share between threads.
///
/// A stretch is memoizable when every node in it is text, a line start (only when nothing is
/// indented), a variable whose first name part is a shared key the item does not have itself,
/// or a section on such a name whose body (all the way down) reads only `.` or such names:
/// then what it renders is fixed by the shared values alone.
public final class FragmentMemo: @unchecked Sendable {
    /// How a list body renders for items of one shape: stretches rendered through the memo,
    /// and the nodes between them rendered as usual.
    struct Plan {
        enum Step {
            case nodes([TemplateNode])
            /// `slot`: the memo's table for this stretch, by shared id.
            case memo(slot: Int, [TemplateNode])
        }
        let steps: [Step]
    }

    private struct PlanKey: Hashable {
        var section: Int
        var type: TemplateContentType
        var own: [String]
        var shared: [String]
    }

    /// Readers (every row of every sheet) share the lock; only a first rendering writes.
    private let lock = ReadWriteLock()
    private var plans: [PlanKey: Plan] = [:]
    /// Per memoized stretch, its renderings by shared id (ids are dense: contacts' places).
    private var tables: [[[UInt8]?]] = []

    public init() {}

    /// The plan for a list section's body over items of this shape; nil when no stretch of it
    /// can be memoized (then the list renders as usual).
    func plan(section: Int, body: [TemplateNode], type: TemplateContentType, own: [String], shared: [String]) -> Plan? {
        let key = PlanKey(section: section, type: type, own: own, shared: shared)
        lock.write()
        defer { lock.unlock() }
        if let plan = plans[key] { return plan.steps.isEmpty ? nil : plan }
        // A content-type pragma in the body changes how everything after it is written, across
        // the steps of a plan: such a list renders as usual.
        if body.contains(where: { if case .contentType = $0 { return true } else { return false } }) {
            plans[key] = Plan(steps: [])
            return nil
        }
        let sharedOnly = Set(shared).subtracting(own)
        var steps: [Plan.Step] = []
        var runs = 0
        var tables = self.tables
        var start = 0
        var memoizable = false
        func close(at end: Int) {
            guard end > start else { return }
            // A stretch of text alone is copied as it is: the memo would only add a look-up.
            let readsAName = body[start..<end].contains {
                switch $0 {
                case .text, .span, .lineStart: return false
                default: return true
                }
            }
            if memoizable && readsAName {
                steps.append(.memo(slot: tables.count, Array(body[start..<end])))
                tables.append([])
                runs += 1
            } else {
                steps.append(.nodes(Array(body[start..<end])))
            }
            start = end
        }
        for (i, node) in body.enumerated() {
            let m = Self.memoizable(node, sharedOnly: sharedOnly, nested: false)
            if m != memoizable {
                close(at: i)
                memoizable = m
            }
        }
        close(at: body.count)
        let plan = Plan(steps: runs == 0 ? [] : steps)
        plans[key] = plan
        if runs > 0 { self.tables = tables }
        return runs == 0 ? nil : plan
    }

    private static func memoizable(_ node: TemplateNode, sharedOnly: Set<String>, nested: Bool) -> Bool {
        switch node {
        case .text, .span, .lineStart:
            return true
        case .variable(let name, _):
            if name.isImplicit { return nested }
            return sharedOnly.contains(name.parts[0])
        case .section(let name, _, let body, _):
            if name.isImplicit ? !nested : !sharedOnly.contains(name.parts[0]) { return false }
            return body.allSatisfy { memoizable($0, sharedOnly: sharedOnly, nested: true) }
        case .partial, .contentType:
            return false
        }
    }

    /// Appends the stretch in `slot` as rendered for the shared id `item`; false when it was not rendered yet.
    func append(slot: Int, item: Int, to buffer: inout PageBuffer) -> Bool {
        lock.read()
        defer { lock.unlock() }
        guard item >= 0 && item < tables[slot].count, let bytes = tables[slot][item] else { return false }
        buffer.append(bytes)
        return true
    }

    func keep(_ bytes: [UInt8], slot: Int, item: Int) {
        guard item >= 0 else { return }
        lock.write()
        defer { lock.unlock() }
        if tables[slot].count <= item { tables[slot] += [[UInt8]?](repeating: nil, count: item + 1 - tables[slot].count) }
        tables[slot][item] = bytes
    }

    /// How many renderings it holds.
    var count: Int {
        lock.read()
        defer { lock.unlock() }
        return tables.reduce(0) { $0 + $1.count { $0 != nil } }
    }

    /// Forgets every rendering (the pages that share them are done); plans stay.
    public func clear() {
        lock.write()
        defer { lock.unlock() }
        for i in tables.indices { tables[i] = [] }
    }
}

/// A pthread read-write lock: many readers at once, one writer alone.
final class ReadWriteLock: @unchecked Sendable {
    private let lock: UnsafeMutablePointer<pthread_rwlock_t>

    init() {
        lock = .allocate(capacity: 1)
        lock.initialize(to: pthread_rwlock_t())
        pthread_rwlock_init(lock, nil)
    }

    deinit {
        pthread_rwlock_destroy(lock)
        lock.deinitialize(count: 1)
        lock.deallocate()
    }

    func read() { pthread_rwlock_rdlock(lock) }
    func write() { pthread_rwlock_wrlock(lock) }
    func unlock() { pthread_rwlock_unlock(lock) }
}
