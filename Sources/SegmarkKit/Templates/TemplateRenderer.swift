/// Walks compiled nodes over a context stack and appends UTF-8 bytes to one buffer per page.
/// Names are looked up from the top of the stack down (the first part of a dotted name), then
/// inside the value found (the rest); a miss renders nothing.
struct TemplateRenderer {
    let set: TemplateSet
    var memo: FragmentMemo? = nil
    var splice: RowSplice? = nil

    func render(_ nodes: [TemplateNode], stack: inout [TemplateValue], indent: [UInt8], type: TemplateContentType,
                depth: Int, into buffer: inout PageBuffer) {
        guard !buffer.overrun else { return }
        var type = type
        // Walked through a pointer: an element read from the array would be a copy, with a
        // retain and a release of everything it holds, node after node, row after row.
        set.arena.withUnsafeBufferPointer { arena in
            nodes.withUnsafeBufferPointer { nodes in
                for n in nodes.indices {
                    switch nodes[n] {
                    case .text(let bytes):
                        buffer.append(bytes)
                    case .span(let start, let count):
                        buffer.append(UnsafeBufferPointer(rebasing: arena[start..<(start + count)]))
                    case .lineStart:
                        if !indent.isEmpty { buffer.append(indent) }
                    case .variable(let name, let escaped):
                        if name.isSimple {
                            // One word: written from where it is found.
                            writeField(name.first, from: stack.count - 1, of: stack, escaped: escaped && type == .html, into: &buffer)
                            continue
                        }
                        guard let value = lookup(name, in: stack) else { continue }
                        write(value, escaped: escaped && type == .html, into: &buffer)
                    case .section(let name, let inverted, let body, let id):
                        let value = lookup(name, in: stack) ?? .null
                        if inverted {
                            if value.isFalsey { render(body, stack: &stack, indent: indent, type: type, depth: depth, into: &buffer) }
                            continue
                        }
                        switch value {
                        case .null: break
                        case .bool(let on):
                            if on { render(body, stack: &stack, indent: indent, type: type, depth: depth, into: &buffer) }
                        case .list(let items):
                            // A table row's list (unless its rows share fields a memo renders once):
                            // each row read where it is (`items[i]` is a copy: a retain and a release a row).
                            if let flat = flatBody(id), memo == nil || !items.isEmpty && !items[0].hasSharedFields {
                                guard buffer.spend(items.count) else { continue }
                                items.withUnsafeBufferPointer { items in
                                    flat.withSteps(arena: arena) { steps in
                                        for i in items.indices {
                                            renderFlat(steps, items[i], stack: &stack, indent: indent, type: type, into: &buffer)
                                        }
                                    }
                                }
                                continue
                            }
                            renderList(items.count, { items[$0] }, id: id, body: body, stack: &stack, indent: indent, type: type,
                                       depth: depth, into: &buffer)
                        case .rows(let rows):
                            if let splice, let rowKey = rows.key, name.isSimple, !mentions(body, name.first),
                               splice.claim(section: id, start: buffer.count) {
                                renderSpliced(rows, key: rowKey, splice: splice, id: id, body: body, stack: &stack, indent: indent, type: type,
                                              depth: depth, into: &buffer)
                            } else {
                                renderList(rows.count, { rows[$0] }, id: id, body: body, stack: &stack, indent: indent, type: type, depth: depth,
                                           into: &buffer)
                            }
                        default:
                            stack.append(value)
                            render(body, stack: &stack, indent: indent, type: type, depth: depth, into: &buffer)
                            stack.removeLast()
                        }
                    case .partial(_, let slot, let indentation, let standalone):
                        guard slot >= 0 else { continue }
                        guard depth < TemplateSet.maxPartialDepth else {
                            buffer.tooDeep(calling: slot)
                            continue
                        }
                        let caller = buffer.partial
                        buffer.partial = slot
                        defer { buffer.partial = caller }
                        guard buffer.spend(1) else { continue }
                        let inner = standalone ? indent + indentation : []
                        render(set.templates[slot].nodes, stack: &stack, indent: inner, type: type, depth: depth + 1, into: &buffer)
                    case .contentType(let newType):
                        type = newType
                    }
                }
            }
        }
    }

    /// A list with row keys on a page with a `RowSplice`: each row whose key the last build's
    /// page has is copied from it, the others render; every row's key and end are recorded.
    private func renderSpliced(_ rows: TemplateRows, key rowKey: @escaping (Int) -> UInt64, splice: RowSplice, id: Int, body: [TemplateNode],
                               stack: inout [TemplateValue], indent: [UInt8], type: TemplateContentType, depth: Int,
                               into buffer: inout PageBuffer) {
        // Everything a row can read besides its item: the page's salt, the context around the
        // list, and where the list is (section, indentation, content type).
        var frame = Fingerprint()
        frame.combine(splice.salt)
        frame.combine(UInt64(bitPattern: Int64(id)))
        frame.add(bytes: indent)
        frame.combine(type == .html ? 1 : 2)
        for value in stack { value.mix(into: &frame) }
        let base = frame.value
        var keys: [UInt64] = [], ends: [Int] = [], copied = 0
        keys.reserveCapacity(rows.count)
        ends.reserveCapacity(rows.count)
        defer { splice.finish(keys: keys, ends: ends, copied: copied) }
        guard splice.canCopy else {
            renderList(rows.count, { rows[$0] }, id: id, body: body, stack: &stack, indent: indent, type: type, depth: depth,
                       into: &buffer) { i, end in
                keys.append(RowSplice.key(base, rowKey(i)))
                ends.append(end)
            }
            return
        }
        guard buffer.spend(rows.count) else { return }
        for i in 0..<rows.count {
            let k = RowSplice.key(base, rowKey(i))
            if splice.copy(k, into: &buffer) {
                copied += 1
            } else {
                renderItem(rows[i], flat: flatBody(id), body: body, stack: &stack, indent: indent, type: type, depth: depth, into: &buffer)
            }
            keys.append(k)
            ends.append(buffer.count)
        }
    }

    /// Whether any name in `nodes` (or in a partial they include) starts with `word`: a list's
    /// rows that name the list itself read every row, and are not copied.
    private func mentions(_ nodes: [TemplateNode], _ word: String) -> Bool {
        var seen = Set<Int>()
        func walk(_ nodes: [TemplateNode]) -> Bool {
            for node in nodes {
                switch node {
                case .variable(let n, _):
                    if n.first == word { return true }
                case .section(let n, _, let body, _):
                    if n.first == word || walk(body) { return true }
                case .partial(_, let slot, _, _):
                    if slot >= 0, seen.insert(slot).inserted, walk(set.templates[slot].nodes) { return true }
                case .text, .span, .lineStart, .contentType:
                    break
                }
            }
            return false
        }
        return walk(nodes)
    }

    /// A list's body once per item (`count` items, each made by `item`), through the memo
    /// when its items share fields; `ended` is told where each item's bytes end.
    private func renderList(_ count: Int, _ item: (Int) -> TemplateValue, id: Int, body: [TemplateNode], stack: inout [TemplateValue],
                            indent: [UInt8], type: TemplateContentType, depth: Int, into buffer: inout PageBuffer,
                            ended: ((Int, Int) -> Void)? = nil) {
        guard count > 0, buffer.spend(count) else { return }
        let first = item(0)
        if let memo, id >= 0, indent.isEmpty, case .object(let object) = first, let shared = object.shared,
           let plan = memo.plan(section: id, body: body, type: type, own: object.fields.map(\.key), shared: shared.keys) {
            renderShared(count, item, plan: plan, memo: memo, like: object, body: body, stack: &stack, type: type, depth: depth,
                         into: &buffer, ended: ended)
            return
        }
        let flat = flatBody(id)
        for i in 0..<count {
            renderItem(i == 0 ? first : item(i), flat: flat, body: body, stack: &stack, indent: indent, type: type, depth: depth, into: &buffer)
            ended?(i, buffer.count)
        }
    }

    /// The flat form of section `id`'s body, when it has one.
    private func flatBody(_ id: Int) -> FlatBody? { id >= 0 && id < set.flatBodies.count ? set.flatBodies[id] : nil }

    /// One item of a list: from the body's flat form when it has one, else the body's nodes
    /// with the item on top of the stack.
    @inline(__always)
    private func renderItem(_ item: TemplateValue, flat: FlatBody?, body: [TemplateNode], stack: inout [TemplateValue], indent: [UInt8],
                            type: TemplateContentType, depth: Int, into buffer: inout PageBuffer) {
        if let flat {
            flat.withSteps(arena: set.arena) { renderFlat($0, item, stack: &stack, indent: indent, type: type, into: &buffer) }
            return
        }
        stack.append(item)
        render(body, stack: &stack, indent: indent, type: type, depth: depth, into: &buffer)
        stack.removeLast()
    }

    /// Writes the field `key` of the topmost value of `stack[...top]` that has it; false when none has.
    @inline(__always)
    @discardableResult
    private func writeField(_ key: String, from top: Int, of stack: [TemplateValue], escaped: Bool, into buffer: inout PageBuffer) -> Bool {
        var i = top
        while i >= 0, stack[i].withField(key, { write($0, escaped: escaped, into: &buffer) }) == nil { i -= 1 }
        return i >= 0
    }

    /// One row of a flat body: each variable is looked up in the row's own object first (read
    /// once for the row, where it is), then down the stack as usual; the same bytes as walking
    /// the nodes. The row is not pushed: nothing in a flat body reads the stack but these lookups.
    private func renderFlat(_ flat: FlatBody.Steps, _ item: borrowing TemplateValue, stack: inout [TemplateValue], indent: [UInt8],
                            type: TemplateContentType, into buffer: inout PageBuffer) {
        switch item {
        case .object(let object):
            object.fields.withUnsafeBufferPointer { own in
                renderFlat(flat, own: own, shared: object.shared, stack: &stack, indent: indent, type: type, into: &buffer)
            }
        default:
            renderFlat(flat, own: UnsafeBufferPointer(start: nil, count: 0), shared: nil, stack: &stack, indent: indent, type: type,
                       into: &buffer)
        }
    }

    private func renderFlat(_ flat: FlatBody.Steps, own: UnsafeBufferPointer<(key: String, value: TemplateValue)>, shared: SharedFields?,
                            stack: inout [TemplateValue], indent: [UInt8], type: TemplateContentType, into buffer: inout PageBuffer) {
        for step in flat.steps {
            switch step {
            case .bytes(let start, let count):
                buffer.append(UnsafeBufferPointer(rebasing: flat.arena[start..<(start + count)]))
            case .lineStart:
                if !indent.isEmpty { buffer.append(indent) }
            case .variable(let k, let escaped):
                let escaped = escaped && type == .html
                let h = flat.hints[k]
                if h < own.count, own[h].key == flat.keys[k] {
                    write(own[h].value, escaped: escaped, into: &buffer)
                    continue
                }
                if let i = TemplateObject.index(of: flat.keys[k], in: own) {
                    flat.hints[k] = i
                    write(own[i].value, escaped: escaped, into: &buffer)
                    continue
                }
                // The row's shared fields (its own were looked at above).
                if TemplateObject.withField(flat.keys[k], shared: shared, { write($0, escaped: escaped, into: &buffer) }) != nil {
                    continue
                }
                // Not the row's: the enclosing context, from the top down.
                writeField(flat.keys[k], from: stack.count - 1, of: stack, escaped: escaped, into: &buffer)
            }
        }
    }

    /// A list whose items share fields: each item of the planned shape renders its memoizable
    /// stretches through the memo; any other item renders as usual.
    private func renderShared(_ count: Int, _ make: (Int) -> TemplateValue, plan: FragmentMemo.Plan, memo: FragmentMemo,
                              like first: TemplateObject, body: [TemplateNode], stack: inout [TemplateValue],
                              type: TemplateContentType, depth: Int, into buffer: inout PageBuffer, ended: ((Int, Int) -> Void)?) {
        for i in 0..<count {
            let item = make(i)
            stack.append(item)
            defer {
                stack.removeLast()
                ended?(i, buffer.count)
            }
            guard case .object(let o) = item, let shared = o.shared, shared.keys == first.shared!.keys,
                  o.fields.count == first.fields.count, zip(o.fields, first.fields).allSatisfy({ $0.key == $1.key }) else {
                render(body, stack: &stack, indent: [], type: type, depth: depth, into: &buffer)
                continue
            }
            for step in plan.steps {
                switch step {
                case .nodes(let nodes):
                    render(nodes, stack: &stack, indent: [], type: type, depth: depth, into: &buffer)
                case .memo(let slot, let nodes):
                    if !memo.append(slot: slot, item: shared.id, to: &buffer) {
                        var bytes = PageBuffer(capacity: 256, limits: buffer.limits)
                        bytes.partial = buffer.partial
                        render(nodes, stack: &stack, indent: [], type: type, depth: depth, into: &bytes)
                        buffer.append(fragment: bytes)
                        if !bytes.overrun { memo.keep(bytes.bytes, slot: slot, item: shared.id) }
                    }
                }
            }
        }
    }

    @inline(__always)
    private func lookup(_ name: TemplateName, in stack: [TemplateValue]) -> TemplateValue? {
        let parts = name.parts
        if parts.isEmpty { return stack.last }
        let first = parts[0]
        var found: TemplateValue?
        var i = stack.count - 1
        while i >= 0 {
            if case .object(let object) = stack[i], let value = object[first] {
                found = value
                break
            }
            i -= 1
        }
        guard var value = found else { return nil }
        var k = 1
        while k < parts.count {
            guard case .object(let object) = value, let next = object[parts[k]] else { return nil }
            value = next
            k += 1
        }
        return value
    }

    @inline(__always)
    private func write(_ value: borrowing TemplateValue, escaped: Bool, into buffer: inout PageBuffer) {
        switch value {
        case .text(let s):
            if escaped { HTMLEscaping.append(s, to: &buffer) } else { buffer.append(s) }
        case .int(let n):
            appendDecimal(n, to: &buffer)
        case .bool(let b):
            buffer.append(b ? "true" : "false")
        case .null, .list, .rows, .object:
            break
        }
    }

    private func appendDecimal(_ n: Int, to buffer: inout PageBuffer) {
        if n < 0 {
            buffer.append(String(n))
            return
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var v = n
        withUnsafeMutableBytes(of: &digits) { raw in
            repeat {
                raw[19 - count] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
                count += 1
            } while v > 0
            buffer.append(UnsafeRawBufferPointer(rebasing: raw[(20 - count)...]))
        }
    }
}
