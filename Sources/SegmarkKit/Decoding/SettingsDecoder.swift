/// Decodes segmark.yml.
public struct SettingsDecoder: Sendable {
    public static let keys = ["title", "as_of", "currency", "base_url", "formats", "history", "content", "templates", "output", "sender", "letter_window"]

    public init() {}

    public func decode(_ node: YAMLNode?, path: String) -> (Settings, [Diagnostic]) {
        var r = FieldReader(node, path: path, known: Self.keys, what: "segmark.yml")
        var s = Settings()
        if let t = r.text("title") { s.title = t }
        s.asOf = r.date("as_of")
        s.currency = r.text("currency")
        s.baseURL = r.text("base_url")
        if r.has("formats") {
            var formats: [Settings.Format] = []
            for item in r.list("formats") {
                if let f = Settings.Format(rawValue: item.value.lowercased()) {
                    if !formats.contains(f) { formats.append(f) }
                } else {
                    r.error("unknown format '\(item.value)'; expected html or md", at: item.location)
                }
            }
            s.formats = formats
        }
        if let h = r.node("history"), let text = r.text("history") {
            switch text.lowercased() {
            case "git": s.history = true
            case "off", "false", "no", "none": s.history = false
            default: r.error("'history' must be git or off, found '\(text)'", at: h.location)
            }
        }
        for (key, apply) in [("content", { (v: String) in s.content = v }), ("templates", { s.templates = $0 }), ("output", { s.output = $0 })] as [(String, (String) -> Void)] {
            if let n = r.node(key), let v = r.text(key) {
                if v.isEmpty || v.hasPrefix("/") || v.split(separator: "/").contains("..") {
                    r.error("'\(key)' must be a folder inside the workspace, found '\(v)'", at: n.location)
                } else {
                    apply(v)
                }
            }
        }
        if r.has("sender") {
            var sender = FieldReader(r.node("sender"), path: path, known: ["name", "email", "address"], what: "'sender'")
            s.sender.name = sender.text("name")
            if let email = sender.located("email") {
                s.sender.email = email.value
                if !MailAddress.isValid(email.value) {
                    sender.error("'email' of the sender must be an e-mail address like name@example.com, found '\(email.value)'", at: email.location)
                }
            }
            s.sender.address = sender.list("address").map(\.value)
            r.diagnostics += sender.diagnostics
        }
        if r.has("letter_window") {
            var window = FieldReader(r.node("letter_window"), path: path, known: ["left", "top"], what: "'letter_window'")
            if let left = window.number("left", nonNegative: true) { s.letterWindow.left = left }
            if let top = window.number("top", nonNegative: true) { s.letterWindow.top = top }
            r.diagnostics += window.diagnostics
        }
        return (s, r.diagnostics)
    }
}
