import Foundation
import Testing
@testable import SegmarkKit

/// List items that share fields render through the fragment memo exactly as plain objects
/// render without it: generated templates over generated data, the data's list items split
/// into own and shared fields (some shared fields shadowed by own ones), several pages in a
/// row through one memo (so later pages copy what earlier ones rendered).
@Suite("Fragment memo")
struct FragmentMemoTests {
    /// Interns shared values: the same values get the same id, as a contact's cells do.
    final class Ids {
        var table: [String: Int] = [:]
        func id(_ keys: [String], _ values: [TemplateValue]) -> Int {
            let key = zip(keys, values).map { "\($0)=\(compact($1))" }.joined(separator: ";")
            if let id = table[key] { return id }
            table[key] = table.count
            return table.count - 1
        }
    }

    /// The same value, with every list made item by item as it renders (`.rows`).
    func lazily(_ v: TemplateValue) -> TemplateValue {
        switch v {
        case .list(let items):
            let made = items.map(lazily)
            return .rows(TemplateRows(count: made.count) { made[$0] })
        case .object(let o):
            return .object(TemplateObject(o.fields.map { ($0.key, lazily($0.value)) }, shared: o.shared))
        default:
            return v
        }
    }

    /// The same value, with each list's object items split into own and shared fields.
    func split(_ v: TemplateValue, rng: Random, ids: Ids) -> TemplateValue {
        switch v {
        case .list(let items):
            // Mostly own fields: few shared values, so many items share an id (as a contact's
            // cells recur on many sheets) while their own fields differ.
            // Half the lists share only fields that are the same in every item: then all
            // items of the list have one id, and only their own fields tell them apart.
            let all = ["a", "t", "f", "n", "empty", "b", "list", "obj", "texts"]
            let ownNames = Set(rng.next() % 2 == 0 ? all.filter { !["t", "f", "empty"].contains($0) } : all.filter { _ in rng.next() % 3 != 0 })
            let shadow = rng.next() % 3 == 0
            return .list(items.map { item in
                guard case .object(let o) = item else { return split(item, rng: rng, ids: ids) }
                var own: [(key: String, value: TemplateValue)] = []
                var keys: [String] = [], values: [TemplateValue] = []
                for f in o.fields {
                    let value = split(f.value, rng: rng, ids: ids)
                    if ownNames.contains(f.key) {
                        own.append((f.key, value))
                        // A shared field an own one hides: never shown.
                        if shadow { keys.append(f.key); values.append(.text("hidden <\(f.key)>")) }
                    } else {
                        keys.append(f.key)
                        values.append(value)
                    }
                }
                return .object(TemplateObject(own, shared: SharedFields(id: ids.id(keys, values), keys: keys, values: values)))
            })
        case .object(let o):
            return .object(TemplateObject(o.fields.map { ($0.key, split($0.value, rng: rng, ids: ids)) }))
        default:
            return v
        }
    }

    @Test(arguments: 0..<6)
    func sharedFieldsRenderThroughTheMemoAsPlainObjectsDo(batch: Int) throws {
        let rng = Random(seed: UInt64(batch) &* 104_729 &+ 3)
        for _ in 0..<40 {
            var partialGenerator = TemplateGenerator(rng: rng, allowPartials: false)
            var mainGenerator = TemplateGenerator(rng: rng, allowPartials: true)
            let partial = partialGenerator.template(), main = mainGenerator.template()
            var set = TemplateSet(contentType: batch % 2 == 0 ? .html : .text)
            try set.add("main", source: main)
            try set.add("p", source: partial)
            #expect(set.resolvePartials().isEmpty)
            let memo = FragmentMemo(), ids = Ids()
            // Pages in a row through one memo; the first page twice (all from the memo then).
            let pages = (0..<3).map { _ in DataGenerator(rng: rng).object(depth: 0) }
            for data in [pages[0], pages[0], pages[1], pages[2]] {
                let plain = try set.render("main", data)!
                let shared = split(data, rng: rng, ids: ids)
                let viaMemo = try set.render("main", shared, memo: memo)!
                #expect(String(decoding: viaMemo, as: UTF8.self) == String(decoding: plain, as: UTF8.self),
                        "template \(main.debugDescription) partial \(partial.debugDescription) data \(compact(shared))")
                // Lists whose items are made as they render (`.rows`, a sheet's members) render the same.
                #expect(try set.render("main", lazily(data))! == plain, "template \(main.debugDescription) data \(compact(data))")
                #expect(try set.render("main", lazily(shared), memo: memo)! == plain, "template \(main.debugDescription) data \(compact(shared))")
            }
        }
    }

    /// What the memo holds for a member row: the stretch up to the first of the sheet's own
    /// fields, then own fields rendered every time, then the next stretch.
    @Test func aMemberRowCopiesTheContactsCellsAndRendersTheSheetsOwn() throws {
        var set = TemplateSet(contentType: .html)
        try set.add("sheet", source: "{{#members}}<tr><td>{{id}}</td><td>{{name}}</td><td>{{channel}}</td><td>{{#lines}}{{.}};{{/lines}}</td></tr>\n{{/members}}")
        #expect(set.resolvePartials().isEmpty)
        let keys = ["id", "name", "lines"]
        func row(_ id: Int, _ name: String, channel: String) -> TemplateValue {
            .object(TemplateObject([("channel", .text(channel))],
                                   shared: SharedFields(id: id, keys: keys, values: [.text("C\(id)"), .text(name), ["a", "b<"]])))
        }
        let memo = FragmentMemo()
        #expect(memo.count == 0)
        let first = try set.render("sheet", ["members": [row(1, "Ann & Co", channel: "email"), row(2, "Bo", channel: "hard_copy")]], memo: memo)!
        #expect(String(decoding: first, as: UTF8.self) == """
            <tr><td>C1</td><td>Ann &amp; Co</td><td>email</td><td>a;b&lt;;</td></tr>
            <tr><td>C2</td><td>Bo</td><td>hard_copy</td><td>a;b&lt;;</td></tr>

            """)
        #expect(memo.count == 4)  // two stretches per contact: up to the name, and the lines after the channel
        // Another sheet: the same contacts with other channels; the names come from the memo
        // (a changed name under the same id would not show: ids name one contact's values in a build).
        let second = try set.render("sheet", ["members": [row(2, "Bo", channel: "email"), row(1, "Changed", channel: "email")]], memo: memo)!
        #expect(String(decoding: second, as: UTF8.self) == """
            <tr><td>C2</td><td>Bo</td><td>email</td><td>a;b&lt;;</td></tr>
            <tr><td>C1</td><td>Ann &amp; Co</td><td>email</td><td>a;b&lt;;</td></tr>

            """)
        // A pragma inside the list changes how what follows is written: no memo there.
        var pragma = TemplateSet(contentType: .html)
        try pragma.add("sheet", source: "{{#members}}{{name}}{{%CONTENT_TYPE: TEXT}}{{name}}{{/members}}")
        #expect(pragma.resolvePartials().isEmpty)
        let viaMemo = try pragma.render("sheet", ["members": [row(1, "A&B", channel: "email")]], memo: FragmentMemo())!
        let plain = try pragma.render("sheet", ["members": [["name": "A&B"]]])!
        #expect(viaMemo == plain)
        memo.clear()
        let third = try set.render("sheet", ["members": [row(1, "Changed", channel: "email")]], memo: memo)!
        #expect(String(decoding: third, as: UTF8.self).contains("<td>Changed</td>"))
    }
}
