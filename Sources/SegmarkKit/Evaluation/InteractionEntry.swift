import Foundation

/// One contact's interaction from a batch, with every value resolved:
/// entry, else batch, else template, else the default; salesperson falls back to the contact's.
public struct InteractionEntry: Sendable {
    public var contact: Int
    public var batch: Int
    public var batchID: String
    public var date: Day
    public var template: String
    public var group: String
    public var segment: String?
    public var campaign: String?
    public var campaignTarget: Bool
    public var campaignResponse: Bool
    public var description: String?
    public var subject: String?
    public var evaluation: InteractionEvaluation?
    public var informationFlow: InformationFlow?
    public var initiatedBy: InitiatedBy?
    public var correspondenceType: CorrespondenceType?
    public var salesperson: String?
    public var language: String?
    public var cost: Decimal
    public var duration: Decimal
    public var attemptFailed: Bool
    public var canceled: Bool

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
        case .salesperson: return FieldValue(salesperson)
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
        // Batches are independent: built on every core, then joined in batch order.
        parallelMap(model.batches.count, itemsPerWorker: 32) { bi in UncheckedBox(entries(of: bi, model, asOf: asOf)) }.flatMap(\.value)
    }

    func entries(of bi: Int, _ model: Model, asOf: Day) -> [InteractionEntry] {
        var out: [InteractionEntry] = []
        let batch = model.batches[bi]
        guard let date = batch.date, date <= asOf, let templateID = batch.template?.value, let template = model.template(templateID) else { return [] }
        let overrides = batch.contacts.map { ($0, InteractionValues()) } + batch.entries.map { ($0.contact, $0.values) }
        var seen = Set<Int>()
        seen.reserveCapacity(overrides.count)
        for (contactID, entry) in overrides {
            guard let ci = model.contactIndex[Text.fold(contactID.value)], seen.insert(ci).inserted else { continue }
            let b = batch.values
            let campaignID: String? = entry.campaign?.value ?? b.campaign?.value ?? template.campaign?.value
            let campaign: String? = campaignID.map { id in model.campaignIndex[Text.fold(id)].map { model.campaigns[$0].id } ?? id }
            let target: Bool = entry.campaignTarget ?? b.campaignTarget ?? template.campaignTarget ?? false
            let response: Bool = entry.campaignResponse ?? b.campaignResponse ?? template.campaignResponse ?? false
            let description: String? = entry.description ?? b.description ?? template.description
            let flow: InformationFlow? = entry.informationFlow ?? b.informationFlow ?? template.informationFlow
            let initiated: InitiatedBy? = entry.initiatedBy ?? b.initiatedBy ?? template.initiatedBy
            let channel: CorrespondenceType? = entry.correspondenceType ?? b.correspondenceType ?? template.correspondenceType
            let salesperson: String? = entry.salesperson ?? b.salesperson ?? model.contacts[ci].values[.salesperson]
            let language: String? = entry.language ?? b.language ?? template.language
            let cost: Decimal = entry.cost ?? b.cost ?? template.unitCost
            let duration: Decimal = entry.duration ?? b.duration ?? template.unitDuration
            out.append(InteractionEntry(
                contact: ci, batch: bi, batchID: batch.id, date: date,
                template: template.id, group: template.group,
                segment: batch.segment?.value,
                campaign: campaign, campaignTarget: target, campaignResponse: response,
                description: description, subject: entry.subject ?? b.subject,
                evaluation: entry.evaluation ?? b.evaluation,
                informationFlow: flow, initiatedBy: initiated, correspondenceType: channel,
                salesperson: salesperson, language: language, cost: cost, duration: duration,
                attemptFailed: entry.attemptFailed ?? b.attemptFailed ?? false,
                canceled: batch.canceled))
        }
        return out
    }
}
