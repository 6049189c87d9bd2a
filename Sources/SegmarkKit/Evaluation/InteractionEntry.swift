import Foundation

/// One contact's interaction from a batch, with every value resolved:
/// entry, else batch, else template, else the default; salesperson falls back to the contact's.
/// An entry is small (a million of them is a large workspace): the values it shares with the
/// rest of its batch are one shared `Values` object, made once per batch (and once per entry
/// that sets values of its own).
public struct InteractionEntry: Sendable {
    public var contact: Int
    public var batch: Int
    /// The values the entry shares with its batch (or its own, when it sets any).
    public let shared: Values
    public var salesperson: String?

    /// Every resolved value but the contact and the salesperson.
    public final class Values: Sendable {
        public let batchID: String
        public let date: Day
        public let template: String
        public let group: String
        public let segment: String?
        public let campaign: String?
        public let campaignTarget: Bool
        public let campaignResponse: Bool
        public let description: String?
        public let subject: String?
        public let evaluation: InteractionEvaluation?
        public let informationFlow: InformationFlow?
        public let initiatedBy: InitiatedBy?
        public let correspondenceType: CorrespondenceType?
        public let language: String?
        public let cost: Decimal
        public let duration: Decimal
        public let attemptFailed: Bool
        public let canceled: Bool

        init(batchID: String, date: Day, template: String, group: String, segment: String?, campaign: String?, campaignTarget: Bool,
             campaignResponse: Bool, description: String?, subject: String?, evaluation: InteractionEvaluation?,
             informationFlow: InformationFlow?, initiatedBy: InitiatedBy?, correspondenceType: CorrespondenceType?,
             language: String?, cost: Decimal, duration: Decimal, attemptFailed: Bool, canceled: Bool) {
            self.batchID = batchID
            self.date = date
            self.template = template
            self.group = group
            self.segment = segment
            self.campaign = campaign
            self.campaignTarget = campaignTarget
            self.campaignResponse = campaignResponse
            self.description = description
            self.subject = subject
            self.evaluation = evaluation
            self.informationFlow = informationFlow
            self.initiatedBy = initiatedBy
            self.correspondenceType = correspondenceType
            self.language = language
            self.cost = cost
            self.duration = duration
            self.attemptFailed = attemptFailed
            self.canceled = canceled
        }
    }

    /// The sum of a value over entries, a run of entries that share their values (those a batch
    /// lists without values of their own) as one product: a million decimal additions took 3%
    /// of a cold build at L. The same decimal as adding entry by entry (tested).
    static func sum(_ entries: some Sequence<InteractionEntry>, _ value: (Values) -> Decimal) -> Decimal {
        var total: Decimal = 0
        var run: Values?, count = 0
        for e in entries {
            if e.shared === run {
                count += 1
                continue
            }
            if let run { total += count == 1 ? value(run) : value(run) * Decimal(count) }
            run = e.shared
            count = 1
        }
        if let run { total += count == 1 ? value(run) : value(run) * Decimal(count) }
        return total
    }

    public var batchID: String { shared.batchID }
    public var date: Day { shared.date }
    public var template: String { shared.template }
    public var group: String { shared.group }
    public var segment: String? { shared.segment }
    public var campaign: String? { shared.campaign }
    public var campaignTarget: Bool { shared.campaignTarget }
    public var campaignResponse: Bool { shared.campaignResponse }
    public var description: String? { shared.description }
    public var subject: String? { shared.subject }
    public var evaluation: InteractionEvaluation? { shared.evaluation }
    public var informationFlow: InformationFlow? { shared.informationFlow }
    public var initiatedBy: InitiatedBy? { shared.initiatedBy }
    public var correspondenceType: CorrespondenceType? { shared.correspondenceType }
    public var language: String? { shared.language }
    public var cost: Decimal { shared.cost }
    public var duration: Decimal { shared.duration }
    public var attemptFailed: Bool { shared.attemptFailed }
    public var canceled: Bool { shared.canceled }

    public func value(_ field: InteractionField) -> FieldValue {
        field == .salesperson ? FieldValue(salesperson) : shared.value(field)
    }
}

extension InteractionEntry.Values {
    /// A field's value (the salesperson is the entry's own: missing here).
    public func value(_ field: InteractionField) -> FieldValue {
        switch field {
        case .template: return FieldValue(template)
        case .group: return FieldValue(group)
        case .date: return .date(date)
        case .batch: return FieldValue(batchID)
        case .segment: return FieldValue(segment)
        case .campaign: return FieldValue(campaign)
        case .campaign_target: return .bool(campaignTarget)
        case .campaign_response: return .bool(campaignResponse)
        case .evaluation: return FieldValue(evaluation?.rawValue)
        case .information_flow: return FieldValue(informationFlow?.rawValue)
        case .initiated_by: return FieldValue(initiatedBy?.rawValue)
        case .correspondence_type: return FieldValue(correspondenceType?.rawValue)
        case .salesperson: return .missing
        case .cost: return .number(cost)
        case .duration: return .number(duration)
        case .attempt_failed: return .bool(attemptFailed)
        case .canceled: return .bool(canceled)
        case .subject: return FieldValue(subject)
        }
    }
}

/// Builds the interaction entries of a model as it stood on the as-of date: batches dated
/// later are not seen (nor are batches with a missing template or date: the validator reports them).
public struct InteractionEntryBuilder: Sendable {
    public init() {}

    public func entries(_ model: Model, asOf: Day) -> [InteractionEntry] {
        // Batches are independent: built on every core, then joined in batch order. An entry
        // without a salesperson of its own (or its batch's) takes its contact's, read from one
        // array of them: from the contact's record it is a cache miss per entry, a million times.
        let salespeople = model.contacts.map { $0.values[.salesperson] }
        let parts = parallelMap(model.batches.count, itemsPerWorker: 32) { bi in
            UncheckedBox(entries(of: bi, model, asOf: asOf, salespeople: salespeople))
        }
        // Joined on every core too: a million entries are 40 MB of new memory to fill.
        var offsets = [0]
        offsets.reserveCapacity(parts.count + 1)
        for part in parts { offsets.append(offsets[offsets.count - 1] + part.value.count) }
        let total = offsets[parts.count], starts = offsets
        let joined = [InteractionEntry](unsafeUninitializedCapacity: total) { buffer, initialized in
            if let base = buffer.baseAddress {
                let into = UncheckedBox(base)  // each batch fills its own range
                _ = parallelMap(parts.count, itemsPerWorker: 256) { bi in
                    parts[bi].value.withUnsafeBufferPointer { part in
                        if let from = part.baseAddress { (into.value + starts[bi]).initialize(from: from, count: part.count) }
                    }
                    return true
                }
            }
            initialized = total
        }
        // The batches' own arrays let go of their entries on another thread.
        DispatchQueue.global(qos: .utility).async { withExtendedLifetime(parts) {} }
        return joined
    }

    /// The entries of an earlier evaluation brought up to date after contacts `changed` changed
    /// and nothing else (the same batches, and contacts with the same ids in the same places):
    /// only a contact's salesperson reaches its entries, so the batches that name a changed
    /// contact are made again in their places. Nil when a batch no longer has as many entries.
    func entries(patching old: [InteractionEntry], changed: [Int], entriesByContact: IndexLists, _ model: Model, asOf: Day) -> [InteractionEntry]? {
        var batches = Set<Int>()
        for ci in changed { for ei in entriesByContact[ci] { batches.insert(old[ei].batch) } }
        var out = old
        for bi in batches.sorted() {
            // Entries are in batch order: the batch's run starts at the first entry of it.
            var lo = 0, hi = out.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if out[mid].batch < bi { lo = mid + 1 } else { hi = mid }
            }
            let fresh = entries(of: bi, model, asOf: asOf)
            guard lo + fresh.count <= out.count, fresh.count == out[lo...].prefix(while: { $0.batch == bi }).count else { return nil }
            out.replaceSubrange(lo..<(lo + fresh.count), with: fresh)
        }
        return out
    }

    /// - Parameter salespeople: each contact's salesperson, when the caller has them in a column.
    func entries(of bi: Int, _ model: Model, asOf: Day, salespeople: [String?]? = nil) -> [InteractionEntry] {
        let batch = model.batches[bi]
        guard let date = batch.date, date <= asOf, let templateID = batch.template?.value, let template = model.template(templateID) else { return [] }
        let b = batch.values
        /// The values of an entry that sets `entry` (the batch's own when it sets nothing).
        func resolve(_ entry: InteractionValues) -> InteractionEntry.Values {
            let campaignID: String? = entry.campaign?.value ?? b.campaign?.value ?? template.campaign?.value
            return InteractionEntry.Values(
                batchID: batch.id, date: date, template: template.id, group: template.group,
                segment: batch.segment?.value,
                campaign: campaignID.map { id in model.campaignIndex[Text.fold(id)].map { model.campaigns[$0].id } ?? id },
                campaignTarget: entry.campaignTarget ?? b.campaignTarget ?? template.campaignTarget ?? false,
                campaignResponse: entry.campaignResponse ?? b.campaignResponse ?? template.campaignResponse ?? false,
                description: entry.description ?? b.description ?? template.description,
                subject: entry.subject ?? b.subject,
                evaluation: entry.evaluation ?? b.evaluation,
                informationFlow: entry.informationFlow ?? b.informationFlow ?? template.informationFlow,
                initiatedBy: entry.initiatedBy ?? b.initiatedBy ?? template.initiatedBy,
                correspondenceType: entry.correspondenceType ?? b.correspondenceType ?? template.correspondenceType,
                language: entry.language ?? b.language ?? template.language,
                cost: entry.cost ?? b.cost ?? template.unitCost,
                duration: entry.duration ?? b.duration ?? template.unitDuration,
                attemptFailed: entry.attemptFailed ?? b.attemptFailed ?? false,
                canceled: batch.canceled)
        }
        let base = resolve(InteractionValues())
        var out: [InteractionEntry] = []
        out.reserveCapacity(batch.contacts.count + batch.entries.count)
        var seen = Set<Int>()
        seen.reserveCapacity(batch.contacts.count + batch.entries.count)
        func contactSalesperson(_ ci: Int) -> String? {
            if let salespeople { return salespeople[ci] }
            return model.contacts[ci].values[.salesperson]
        }
        func add(_ contactID: Located<String>, _ values: InteractionValues?) {
            guard let ci = model.contactIndex(of: contactID.value), seen.insert(ci).inserted else { return }
            let shared = values.map(resolve) ?? base
            out.append(InteractionEntry(contact: ci, batch: bi, shared: shared,
                                        salesperson: values?.salesperson ?? b.salesperson ?? contactSalesperson(ci)))
        }
        for contact in batch.contacts { add(contact, nil) }
        for entry in batch.entries { add(entry.contact, entry.values) }
        return out
    }
}
