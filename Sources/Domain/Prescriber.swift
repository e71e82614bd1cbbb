import Foundation

/// A third party who booked for a beneficiary; the author (`created_by`) of what it booked
/// (domain.md §13, « Prescripteur »).
public struct Prescriber: Sendable, Equatable, Codable {
    public var id: Int64?
    public var firstName: String
    public var lastName: String
    public var email: String
    public var phoneNumber: String?

    public init(id: Int64? = nil, firstName: String, lastName: String, email: String, phoneNumber: String? = nil) {
        self.id = id
        self.firstName = firstName
        self.lastName = lastName
        self.email = email
        self.phoneNumber = phoneNumber
    }

    /// domain.md §13: first name, last name and e-mail required.
    public func validate() -> [ValidationIssue] {
        var issues =
            Check.required(firstName, "first_name") + Check.required(lastName, "last_name")
            + Check.required(email, "email")
        if !Check.isBlank(email), !EmailAddress.isValid(email) {
            issues.append(.error("email", Messages.invalidEmail))
        }
        return issues
    }
}
