/// E-mail addresses as Segmark accepts them: a plain `local@domain` (RFC 5322 dot-atom on
/// both sides, ASCII, a domain of letters, digits and hyphens with at least one dot). Anything
/// else (quotes, comments, spaces, brackets, line breaks) is not an address: it could carry
/// a second recipient or a header into a draft.
public enum MailAddress {
    public static func isValid(_ address: String) -> Bool {
        let bytes = Array(address.utf8)
        guard bytes.count <= 254, let at = bytes.lastIndex(of: UInt8(ascii: "@")) else { return false }
        let local = bytes[..<at], domain = bytes[(at + 1)...]
        guard (1...64).contains(local.count), !domain.isEmpty else { return false }
        guard dotAtom(local, allowed: isAtext) else { return false }
        guard dotAtom(domain, allowed: { isAlnum($0) || $0 == UInt8(ascii: "-") }), domain.contains(UInt8(ascii: ".")) else { return false }
        for label in domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
            if label.count > 63 || label.first == UInt8(ascii: "-") || label.last == UInt8(ascii: "-") { return false }
        }
        return true
    }

    /// Non-empty runs of allowed bytes joined by single dots.
    private static func dotAtom(_ part: ArraySlice<UInt8>, allowed: (UInt8) -> Bool) -> Bool {
        let atoms = part.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return atoms.allSatisfy { !$0.isEmpty && $0.allSatisfy(allowed) }
    }

    private static func isAlnum(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    }

    private static func isAtext(_ b: UInt8) -> Bool {
        isAlnum(b) || Array("!#$%&'*+/=?^_`{|}~-".utf8).contains(b)
    }

    /// The domain part, for Message-IDs.
    static func domain(_ address: String) -> String? {
        guard isValid(address), let at = address.lastIndex(of: "@") else { return nil }
        return String(address[address.index(after: at)...])
    }
}
