import Foundation

/// A field's values over all contacts, each distinct value once and each contact's place among
/// them: a filter is tested once per distinct value, and the contacts it accepts are found in
/// one pass over small numbers (not a list of contacts per value: a field like e-mail has
/// nearly as many values as contacts, and a list each was an allocation each). A filter of
/// plain values only (`id: CT000101`, a manual list) looks its values up instead: 10,000 steps
/// or segments that each name a few ids do not each test every distinct value.
struct FieldIndex: Sendable {
    private(set) var values: [FieldValue] = []
    private(set) var ofContact: [Int32] = []
    /// Each value's place in `values`.
    private let place: [FieldValue: Int32]
    /// Every value is text or missing (as every code and text field's are): a plain value of a
    /// filter then matches exactly the values whose text it is.
    private let allText: Bool
    private let foldedPlaces = FoldedPlaces()

    /// From the values of every contact in order, in runs one after the other.
    init(runs: [[FieldValue]]) {
        var place: [FieldValue: Int32] = [:], allText = true
        ofContact.reserveCapacity(runs.reduce(0) { $0 + $1.count })
        for run in runs {
            for value in run {
                if let known = place[value] {
                    ofContact.append(known)
                } else {
                    let k = Int32(values.count)
                    place[value] = k
                    values.append(value)
                    ofContact.append(k)
                    switch value { case .text, .missing: break; default: allText = false }
                }
            }
        }
        (self.place, self.allText) = (place, allText)
    }

    /// The contacts whose value `filter` accepts.
    func contacts(matching filter: Filter, asOf: Day) -> ContactSet {
        var accepted: [Bool]
        if allText, filter.others.isEmpty, !filter.plain.isEmpty {
            accepted = [Bool](repeating: false, count: values.count)
            for text in filter.plain.exact { if let k = place[.text(text)] { accepted[Int(k)] = true } }
            if !filter.plain.folded.isEmpty {
                let folded = foldedPlaces.places(of: values)
                for text in filter.plain.folded { for k in folded[text] ?? [] { accepted[Int(k)] = true } }
            }
        } else {
            accepted = values.map { filter.matches($0, asOf: asOf) }
        }
        return accepted.withUnsafeBufferPointer { accepted in
            ofContact.withUnsafeBufferPointer { of in ContactSet(capacity: of.count) { accepted[Int(of[$0])] } }
        }
    }

    /// Each lower-cased text's places among the values, made on first need (by whichever
    /// thread asks first: the indexes are shared by the jobs that make the sets).
    final class FoldedPlaces: @unchecked Sendable {
        private let lock = NSLock()
        private var made: [String: [Int32]]?

        func places(of values: [FieldValue]) -> [String: [Int32]] {
            lock.lock()
            defer { lock.unlock() }
            if let made { return made }
            var map: [String: [Int32]] = [:]
            for (k, value) in values.enumerated() {
                if case .text(let text) = value { map[text.lowercased(), default: []].append(Int32(k)) }
            }
            made = map
            return map
        }
    }
}
