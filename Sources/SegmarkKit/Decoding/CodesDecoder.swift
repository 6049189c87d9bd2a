/// Decodes Content/codes.yml.
public struct CodesDecoder: Sendable {
    public init() {}

    public func decode(_ node: YAMLNode?, path: String) -> (Codes, [Diagnostic]) {
        var r = FieldReader(node, path: path, known: Codes.tableNames, what: "codes.yml")
        var codes = Codes()
        for name in Codes.tableNames where name != "profile" && r.has(name) {
            var entries: [(String, String)] = []
            for pair in r.map(name) {
                if let d = pair.value.scalar { entries.append((pair.keyText, d)) }
                else if pair.value.isNull { entries.append((pair.keyText, "")) }
                else if let m = pair.value.mapping, let d = m.first(where: { $0.keyText == "description" })?.value.scalar {
                    entries.append((pair.keyText, d))
                    if name == "salespeople", let email = m.first(where: { $0.keyText == "email" })?.value {
                        if let text = email.scalar, MailAddress.isValid(text) {
                            codes.salespersonEmails[Text.fold(pair.keyText)] = text
                        } else {
                            r.warning("the e-mail address of salesperson '\(pair.keyText)' is not an address like name@example.com", at: email.location)
                        }
                    }
                } else {
                    r.error("the description of '\(pair.keyText)' must be text, not \(pair.value.kindName)", at: pair.value.location)
                }
            }
            codes.tables[name] = Codes.Table(entries: entries)
        }
        for pair in r.map("profile") {
            var q = FieldReader(pair.value, path: path, known: ["description", "answers"], what: "a profile question")
            let description = q.text("description") ?? ""
            var answers: [(String, String)] = []
            for a in q.map("answers") {
                answers.append((a.keyText, a.value.scalar ?? ""))
            }
            codes.questions.append(Codes.Question(code: pair.keyText, description: description, answers: Codes.Table(entries: answers)))
            r.diagnostics += q.diagnostics
        }
        return (codes, r.diagnostics)
    }
}
