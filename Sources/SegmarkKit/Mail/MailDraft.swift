import Foundation

/// One e-mail draft as an RFC 5322 message: `X-Unsent: 1` so Outlook opens it ready to
/// send, From the settings' sender, To the contact, the batch date, a Message-ID made from the
/// batch and contact ids, and a `multipart/alternative` body with the Markdown as text/plain
/// and its HTML. Every header value from content goes through `MailHeader`.
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
        // Written as bytes: a build writes a draft per e-mail entry (583,000 at L).
        var out: [UInt8] = []
        out.reserveCapacity(1024 + (plain.utf8.count + html.utf8.count) * 9 / 8)
        out += MailHeader.line("X-Unsent", "1").utf8
        if let fromAddress {
            out += MailHeader.line("From", MailHeader.mailbox(name: fromName, address: fromAddress)).utf8
        }
        out += MailHeader.line("To", MailHeader.mailbox(name: toName, address: toAddress)).utf8
        out += MailHeader.line("Subject", MailHeader.unstructured(subject)).utf8
        out += MailHeader.line("Date", Self.rfc5322(date)).utf8
        out += MailHeader.line("Message-ID", "<segmark.\(token)@\(domain)>").utf8
        out += MailHeader.line("MIME-Version", "1.0").utf8
        out += MailHeader.line("Content-Type", "multipart/alternative; boundary=\"\(boundary)\"").utf8
        out += "\r\n".utf8
        for (type, text) in [("text/plain", plain), ("text/html", html)] {
            out += "--\(boundary)\r\n".utf8
            out += "Content-Type: \(type); charset=utf-8\r\n".utf8
            out += "Content-Transfer-Encoding: quoted-printable\r\n\r\n".utf8
            QuotedPrintable.encode(text, into: &out)
            out += "\r\n".utf8
        }
        out += "--\(boundary)--\r\n".utf8
        return out
    }

    /// `Wed, 25 Nov 2026 00:00:00 +0000`: the batch's day, at midnight UTC.
    static func rfc5322(_ day: Day) -> String {
        let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let dd = day.day < 10 ? "0\(day.day)" : "\(day.day)"
        return "\(weekdays[day.weekdayIndex]), \(dd) \(months[day.month - 1]) \(day.year) 00:00:00 +0000"
    }
}
