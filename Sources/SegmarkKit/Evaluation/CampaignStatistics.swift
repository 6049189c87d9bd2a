import Foundation

/// BC's entry-based figures, the same over distinct contacts, and cost against budget,
/// over a set of interaction entries that are not canceled.
public struct CampaignStatistics: Sendable {
    public var entries: Int = 0
    public var contacted: Int = 0
    public var responded: Int = 0
    public var contactedDistinct: Int = 0
    public var respondedDistinct: Int = 0
    public var cost: Decimal = 0
    public var duration: Decimal = 0
    public var canceledEntries: Int = 0

    public init(_ all: [InteractionEntry]) {
        var contactedSet = Set<Int>(), respondedSet = Set<Int>()
        for e in all {
            if e.canceled { canceledEntries += 1; continue }
            entries += 1
            if e.campaignTarget { contacted += 1; contactedSet.insert(e.contact) }
            if e.campaignResponse { responded += 1; respondedSet.insert(e.contact) }
        }
        let counted = all.lazy.filter { !$0.canceled }
        cost = InteractionEntry.sum(counted, \.cost)
        duration = InteractionEntry.sum(counted, \.duration)
        contactedDistinct = contactedSet.count
        respondedDistinct = respondedSet.count
    }

    static func rate(_ part: Int, _ whole: Int) -> Decimal {
        whole == 0 ? 0 : Decimal(part) * 100 / Decimal(whole)
    }

    /// Response rate % rounded to 0.1 (0 when nothing contacted).
    public var responseRate: String { Number.format(Self.rate(responded, contacted), scale: 1) + "%" }
    public var responseRateDistinct: String { Number.format(Self.rate(respondedDistinct, contactedDistinct), scale: 1) + "%" }
    public var averageCostPerResponse: Decimal { responded == 0 ? 0 : cost / Decimal(responded) }
    public var averageDurationPerResponse: Decimal { responded == 0 ? 0 : duration / Decimal(responded) }
    public var averageCostPerResponseDistinct: Decimal { respondedDistinct == 0 ? 0 : cost / Decimal(respondedDistinct) }
    public var averageDurationPerResponseDistinct: Decimal { respondedDistinct == 0 ? 0 : duration / Decimal(respondedDistinct) }
}
