import Foundation

/// A campaign.
public struct Campaign: Sendable {
    public var id: String
    public var path: String
    public var idLocation: SourceLocation
    public var description: String?
    public var status: String?
    public var startingDate: Day?
    public var endingDate: Day?
    public var salesperson: Located<String>?
    public var budget: Decimal?
    public var body: String

    public init(id: String, path: String, idLocation: SourceLocation) {
        self.id = id
        self.path = path
        self.idLocation = idLocation
        self.body = ""
    }
}
