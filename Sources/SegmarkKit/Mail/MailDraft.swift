import Foundation

/// One e-mail draft as an RFC 5322 message (R81): `X-Unsent: 1` so Outlook opens it ready to
/// send, From the settings' sender, To the contact, the batch date, a Message-ID made from the
/// batch and contact ids, and a `multipart/alternative` body with the Markdown as text/plain
/// and its HTML. Every header value from content goes through `MailHeader` (R83).
struct MailDraft {
    var fromName: String?
    var fromAddress: String?
    var toName: String
    var toAddress: String
    var subject: String
    var date: Day
    var batchID: String
    var contactID: String
    var plain: String
    var html: String

    /// The message's bytes, CRLF line ends throughout.
    func bytes() -> [UInt8] {
        var key = Fingerprint()
        key.add(batchID)
        key.add(contactID)
        let token = String(key.value, radix: 16)
        let domain = fromAddress.flatMap(MailAddress.domain) ?? "segmark.invalid"
        let boundary = "=_segmark_" + token
        var out = ""
        out += MailHeader.line("X-Unsent", "1")
        if let fromAddress {
            out += MailHeader.line("From", MailHeader.mailbox(name: fromName, address: fromAddress))
        }
        out += MailHeader.line("To", MailHeader.mailbox(name: toName, address: toAddress))
        out += MailHeader.line("Subject", MailHeader.unstructured(subject))
        out += MailHeader.line("Date", Self.rfc5322(date))
        out += MailHeader.line("Message-ID", "<segmark.\(token)@\(domain)>")
        out += MailHeader.line("MIME-Version", "1.0")
        out += MailHeader.line("Content-Type", "multipart/alternative; boundary=\"\(boundary)\"")
        out += "\r\n"
        for (type, text) in [("text/plain", plain), ("text/html", html)] {
            out += "--\(boundary)\r\n"
            out += "Content-Type: \(type); charset=utf-8\r\n"
            out += "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
            out += QuotedPrintable.encode(text) + "\r\n"
        }
        out += "--\(boundary)--\r\n"
        return Array(out.utf8)
    }

    /// `Wed, 25 Nov 2026 00:00:00 +0000`: the batch's day, at midnight UTC.
    static func rfc5322(_ day: Day) -> String {
        let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let dd = day.day < 10 ? "0\(day.day)" : "\(day.day)"
        return "\(weekdays[day.weekdayIndex]), \(dd) \(months[day.month - 1]) \(day.year) 00:00:00 +0000"
    }
}
