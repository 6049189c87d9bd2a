/// segmark.yml.
public struct Settings: Sendable {
    public enum Format: String, Sendable, CaseIterable { case html, md }

    public var title: String = "Segmark"
    public var asOf: Day?
    public var currency: String?
    public var baseURL: String?
    public var formats: [Format] = [.html, .md]
    public var history: Bool = false
    public var content: String = "Content"
    public var templates: String = "Templates"
    public var output: String = "Output"

    public init() {}
}
