import Foundation

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
    /// The From of e-mails and the sender block of letters (README, "Batches, letters and e-mails").
    public var sender = Sender()
    /// Where a letter's address block sits, in millimetres from the page's left and top edge:
    /// by default the window of a Norwegian C5/DL left-window envelope.
    public var letterWindow = LetterWindow()

    public struct Sender: Sendable, Equatable {
        public var name: String?
        public var email: String?
        public var address: [String] = []
        public init() {}
    }

    public struct LetterWindow: Sendable, Equatable {
        public var left: Decimal = 20
        public var top: Decimal = 45
        public init() {}
    }

    public init() {}
}
