/// Where post to a contact goes: its own address, or — for a person with no address of
/// their own (address, address_2, post_code, city, county and country all empty) — its
/// company's. Labels, letters and the mail-merge CSV all use it.
public struct PostalAddress: Sendable, Equatable {
    public static let fields: [ContactField] = [.address, .address_2, .post_code, .city, .county, .country]

    public var address, address2, postCode, city, county, country: String
    /// True when the address is the company's.
    public var fromCompany: Bool

    public init(of contact: Contact, company: Contact?) {
        let own = Self.fields.contains { !(contact.values[$0] ?? "").isEmpty }
        let source = own || contact.type != .person ? contact : (company ?? contact)
        let v = { (f: ContactField) in source.values[f] ?? "" }
        address = v(.address)
        address2 = v(.address_2)
        postCode = v(.post_code)
        city = v(.city)
        county = v(.county)
        country = v(.country)
        fromCompany = !own && contact.type == .person && company != nil
    }

    /// The lines under the name(s): street lines, "POST_CODE CITY", county, and the country's
    /// description from the code table (else its code).
    public func lines(codes: Codes) -> [String] {
        var out = [address, address2].filter { !$0.isEmpty }
        let town = [postCode, city].filter { !$0.isEmpty }.joined(separator: " ")
        if !town.isEmpty { out.append(town) }
        if !county.isEmpty { out.append(county) }
        if !country.isEmpty { out.append(codes.description("countries", country) ?? country) }
        return out
    }
}
