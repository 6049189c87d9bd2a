import Foundation

/// "Did you mean" for many words against one list (a code table, the segment ids): the answer
/// `Text.suggestion(for:among:)` gives, without holding every word asked against every word
/// of the list. 5,000 contacts, each with a mailing group of its own missing from a table of
/// 5,000, asked 25 million distances of the plain search.
///
/// The first words asked are held against every word of the list. After that the list is
/// indexed by the forms its short words take with up to three letters deleted; a word within
/// three edits of another shares one such form with it (each edit costs at most one deletion
/// on each side), so a word asks only the list's words that share a form with it, and the
/// distance decides among those as before. A typo of a letter or two asks a handful of words;
/// a word far from all of them asks those sharing a form with three letters deleted. Long
/// words (rare in code tables) are held against every word still, and so is everything when
/// the index would be too large. Safe to ask from several threads; each word is answered once.
final class Suggester: @unchecked Sendable {
    private let candidates: [String]
    private let lock = NSLock()
    private var answers: [String: String?] = [:]
    private var index: Index?
    private var indexed = false

    /// Words asked before the list is indexed (an index of a short list, or for a few words, costs more than it saves).
    static let askedBeforeIndexing = 16
    /// Words of more scalars than this are not indexed (a word of n scalars has about n³/6 forms).
    static let longestIndexed = 16
    /// At most this many forms are indexed (16 bytes each while sorted): 4,000,000 is a table
    /// of about 23,000 codes of ten letters.
    static let mostForms = 4_000_000

    init(_ candidates: [String]) { self.candidates = candidates }

    func suggestion(for word: String) -> String? {
        lock.lock()
        if let known = answers[word] { lock.unlock(); return known }
        if !indexed, answers.count >= Self.askedBeforeIndexing {
            index = Index(candidates)
            indexed = true
        }
        let index = self.index
        lock.unlock()
        let found = index.map { $0.suggestion(for: word, among: candidates) } ?? Text.suggestion(for: word, among: candidates)
        lock.lock()
        answers[word] = .some(found)
        lock.unlock()
        return found
    }

    /// "; did you mean 'X'?", or empty.
    func didYouMean(_ word: String) -> String {
        suggestion(for: word).map { "; did you mean '\($0)'?" } ?? ""
    }

    /// The list's short words by the hash of each form they take with up to three scalars
    /// deleted (lower-cased, as the distance compares them), sorted by hash, each with the
    /// number of scalars deleted.
    struct Index {
        var hashes: [UInt64] = []
        var owners: [Int32] = []
        var deleted: [UInt8] = []
        /// Words not indexed (longer than `longestIndexed`): held against every word asked.
        var unindexed: [Int] = []

        init?(_ candidates: [String]) {
            var forms: [(hash: UInt64, owner: Int32, deleted: UInt8)] = []
            var buffer: [UInt32] = []
            for (i, candidate) in candidates.enumerated() {
                let scalars = Suggester.lowered(candidate)
                guard scalars.count <= Suggester.longestIndexed else { unindexed.append(i); continue }
                Suggester.forms(of: scalars, deleting: 3, buffer: &buffer) { forms.append(($0, Int32(i), UInt8($1))) }
                if forms.count > Suggester.mostForms { return nil }
            }
            forms.sort { ($0.hash, $0.owner, $0.deleted) < ($1.hash, $1.owner, $1.deleted) }
            // A form reached by deleting either of two equal letters is listed once, with the fewest deletions.
            for form in forms where hashes.last != form.hash || owners.last != form.owner {
                hashes.append(form.hash)
                owners.append(form.owner)
                deleted.append(form.deleted)
            }
        }

        /// In rounds of 1, 2, … deletions up to the word's limit: a word of the list within k
        /// edits shares a form with it of at most k deletions on each side, so once the best
        /// found is within k edits, no word not yet asked can beat it or tie with it.
        func suggestion(for word: String, among candidates: [String]) -> String? {
            guard word.count >= 4 else { return nil }
            let target = Suggester.lowered(word)
            let limit = max(1, min(3, word.count / 3))
            var asked = Set<Int32>()
            var best: String? = nil
            var buffer: [UInt32] = []
            for round in 1...limit {
                var near = round == 1 ? unindexed.map { candidates[$0] } : []
                if let best { near.append(best) }
                if target.count - round <= Suggester.longestIndexed {
                    Suggester.forms(of: target, deleting: round, buffer: &buffer) { hash, _ in
                        var k = lowerBound(hash)
                        while k < hashes.count, hashes[k] == hash {
                            if Int(deleted[k]) <= round, asked.insert(owners[k]).inserted { near.append(candidates[Int(owners[k])]) }
                            k += 1
                        }
                    }
                }
                best = Text.suggestion(for: word, among: near)
                if let best, Text.editDistance(best.lowercased(), word.lowercased()) <= round { break }
            }
            return best
        }

        private func lowerBound(_ hash: UInt64) -> Int {
            var low = 0, high = hashes.count
            while low < high {
                let mid = (low + high) / 2
                if hashes[mid] < hash { low = mid + 1 } else { high = mid }
            }
            return low
        }
    }

    /// The scalars of the word as the distance compares them (lower-cased).
    static func lowered(_ word: String) -> [UInt32] {
        if word.utf8.allSatisfy({ $0 < 0x80 }) {
            return word.utf8.map { UInt32($0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0) }
        }
        return word.lowercased().unicodeScalars.map(\.value)
    }

    /// Calls `body` with the hash of every form of `scalars` with up to `deleting` scalars
    /// deleted, and how many were (a form reached in two ways is told twice).
    static func forms(of scalars: [UInt32], deleting: Int, buffer: inout [UInt32], _ body: (UInt64, Int) -> Void) {
        buffer = scalars
        func walk(from start: Int, left: Int, _ body: (UInt64, Int) -> Void) {
            body(hash(buffer), scalars.count - buffer.count)
            guard left > 0 else { return }
            var i = start
            while i < buffer.count {
                let removed = buffer.remove(at: i)
                walk(from: i, left: left - 1, body)
                buffer.insert(removed, at: i)
                i += 1
            }
        }
        walk(from: 0, left: deleting, body)
    }

    /// FNV-1a over the scalars and the length (a collision only makes a word asked in vain).
    static func hash(_ scalars: [UInt32]) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for s in scalars {
            h = (h ^ UInt64(s)) &* 0x0000_0100_0000_01B3
        }
        return (h ^ UInt64(scalars.count)) &* 0x0000_0100_0000_01B3
    }
}
