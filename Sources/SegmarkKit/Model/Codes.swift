/// Code tables from Content/codes.yml: code → description per table.
public struct Codes: Sendable {
    public static let tableNames = ["salespeople", "territories", "countries", "languages", "industry_groups",
                                    "business_relations", "mailing_groups", "job_responsibilities",
                                    "interaction_groups", "campaign_statuses", "profile"]

    public struct Table: Sendable {
        /// Entries in file order.
        public var entries: [(code: String, description: String)]
        var byFolded: [String: String]

        public init(entries: [(code: String, description: String)]) {
            self.entries = entries
            var map: [String: String] = [:]
            for e in entries { map[Text.fold(e.code)] = e.description }
            self.byFolded = map
        }

        public func description(of code: String) -> String? { byFolded[Text.fold(code)] }
        public func contains(_ code: String) -> Bool { byFolded[Text.fold(code)] != nil }
    }

    public struct Question: Sendable {
        public var code: String
        public var description: String
        public var answers: Table
    }

    public var tables: [String: Table]
    public var questions: [Question]
    /// Salespeople's e-mail addresses (`salespeople: { HR: { description: …, email: … } }`), by folded code.
    public var salespersonEmails: [String: String] = [:]

    public func salespersonEmail(_ code: String) -> String? { salespersonEmails[Text.fold(code)] }

    public init(tables: [String: Table] = [:], questions: [Question] = []) {
        self.tables = tables
        self.questions = questions
    }

    public func table(_ name: String) -> Table? { tables[name] }

    public func description(_ table: String, _ code: String) -> String? { tables[table]?.description(of: code) }

    public func question(_ code: String) -> Question? {
        let f = Text.fold(code)
        return questions.first { Text.fold($0.code) == f }
    }
}
