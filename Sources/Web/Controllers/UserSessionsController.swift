import Cryptography
import Domain
import Foundation
import HTTP
import Logging
import Persistence

/// The users' sign-in (booking.md §3.3): `GET/POST /users/sign_in` by password, `DELETE
/// /users/sign_out`, and the 6-digit code by e-mail: `GET/POST /users/sign_in/code` (ask),
/// `POST /users/sign_in/code/check` (type it), `POST /users/sign_up/code` (« Créez votre
/// compte » for an address without account). Every step carries `return_to`, so the chosen
/// slot of the funnel is kept.
struct UserSessionsController: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let throttle: SignInThrottle
    let clientAddress: ClientAddress
    let sessions: SessionLoader
    let publicURL: String
    let passwordRule: PasswordRule
    let responses: PageResponses

    static let unconfirmed =
        "Votre adresse e-mail n'est pas encore confirmée : connectez-vous avec un code reçu par e-mail."

    private func returnTo(_ exchange: Exchange) -> String? {
        ReturnPath.safe(exchange.form["return_to"] ?? exchange.query["return_to"])
    }

    private func failed(_ layout: LayoutModel) -> LayoutModel {
        var layout = layout
        layout.hasErrors = true
        return layout
    }

    // MARK: Password

    func new(_ exchange: inout Exchange) throws -> HTTPResponse {
        if exchange.user != nil { return responses.redirect(to: returnTo(exchange) ?? SiteURL.users(.rdvs).path) }
        return try responses.page(
            UserSignInPage(email: "", errorMessage: nil, returnTo: returnTo(exchange)), layout: exchange.layout)
    }

    func create(_ exchange: inout Exchange) throws -> HTTPResponse {
        let email = (exchange.form["email"] ?? "").trimmingCharacters(in: .whitespaces)
        let password = exchange.form["password"] ?? ""
        let now = clock.now
        let address = clientAddress.of(exchange)
        let back = returnTo(exchange)
        let layout = failed(exchange.layout)
        func refuse(_ message: String) throws -> HTTPResponse {
            try responses.page(
                UserSignInPage(email: email, errorMessage: message, returnTo: back), layout: layout, status: HTTPStatus(422))
        }
        if throttle.delay(address: address, email: email, now: now) > 0 || !throttle.allowAttempt(address: address, now: now) {
            return try refuse(AgentSessionsController.slowDown)
        }
        let account = try db.userAccount(email: email)
        // Every refusal costs one scrypt verification (no timing oracle on the e-mail).
        let verified = PasswordHasher.verify(password, against: account?.passwordHash ?? AgentSessionsController.decoyHash)
        guard let account, account.passwordHash != nil else {
            throttle.recordFailure(address: address, email: email, now: now)
            return try refuse(AgentSessionsController.wrongCredentials)
        }
        if let lockedUntil = account.lockedUntil, lockedUntil > now { return try refuse(AgentSessionsController.locked) }
        guard verified else {
            try db.recordFailedUserSignIn(userID: account.id, now: now)
            throttle.recordFailure(address: address, email: email, now: now)
            return try refuse(AgentSessionsController.wrongCredentials)
        }
        throttle.recordSuccess(address: address, email: email)
        guard account.confirmedAt != nil else { return try refuse(Self.unconfirmed) }
        try openSession(userID: account.id, method: "password", confirmsEmail: false, &exchange, now: now)
        return responses.redirect(to: back ?? SiteURL.users(.rdvs).path)
    }

    func destroy(_ exchange: inout Exchange) throws -> HTTPResponse {
        if let session = exchange.session { try db.destroySession(id: session.id) }
        exchange.setCookies.append(Cookies.clear(Cookies.session, secure: sessions.https))
        sessions.setFlash(.signedOut, &exchange)
        return responses.redirect(.publicSearch)
    }

    // MARK: Sign-up with a password

    func newSignUp(_ exchange: inout Exchange) throws -> HTTPResponse {
        try responses.page(UserSignUpPage(returnTo: returnTo(exchange)), layout: exchange.layout)
    }

    /// booking.md §3.3: the confirmation link goes out; an address already confirmed gets the
    /// same page and nothing else, so the page tells no one which addresses have an account.
    func createSignUp(_ exchange: inout Exchange) throws -> HTTPResponse {
        let names = ["first_name", "last_name", "email", "phone_number"]
        var values: [String: String] = [:]
        for name in names { values[name] = (exchange.form[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        let password = exchange.form["password"] ?? ""
        var errors: [String: String] = [:]
        if values["first_name"]!.isEmpty { errors["first_name"] = UserCodeSignUpPage.blankFirstName }
        if values["last_name"]!.isEmpty { errors["last_name"] = UserCodeSignUpPage.blankLastName }
        if !EmailAddress.isValid(values["email"]!) { errors["email"] = UserCodeRequestPage.invalidEmail }
        let phone = values["phone_number"]!
        if !phone.isEmpty && PhoneNumber(phone) == nil { errors["phone_number"] = UserCodeSignUpPage.invalidPhone }
        errors.merge(
            NewPasswordFields.errors(
                password, confirmation: exchange.form["password_confirmation"] ?? "", rule: passwordRule,
                email: values["email"], firstName: values["first_name"], lastName: values["last_name"])
        ) { first, _ in first }
        guard errors.isEmpty else {
            return try responses.page(
                UserSignUpPage(values: values, errors: errors, returnTo: returnTo(exchange)),
                layout: failed(exchange.layout), status: HTTPStatus(422))
        }
        let outcome = try db.signUpUser(
            email: values["email"]!, firstName: values["first_name"]!, lastName: values["last_name"]!,
            phone: phone.isEmpty ? nil : phone, passwordHash: try PasswordHasher.hash(password), publicURL: publicURL,
            now: clock.now)
        if case .created(let id) = outcome { exchange.context.logger.notice("user signed up", metadata: ["user": "\(id)"]) }
        return try responses.page(
            UserSignUpSentPage(email: EmailAddress.normalised(values["email"]!)), layout: exchange.layout)
    }

    /// The link of « Confirmez votre adresse e-mail »: confirmed and signed in.
    func confirm(_ exchange: inout Exchange) throws -> HTTPResponse {
        guard let userID = try db.confirmUserEmail(token: exchange.query["confirmation_token"] ?? "", now: clock.now)
        else { return try responses.page(UserSignUpPage.invalidLink, layout: exchange.layout, status: .notFound) }
        try openSession(userID: userID, method: "password", confirmsEmail: true, &exchange, now: clock.now)
        sessions.setFlash(.emailConfirmed, &exchange)
        return responses.redirect(.users(.rdvs))
    }

    // MARK: E-mail code

    func newCode(_ exchange: inout Exchange) throws -> HTTPResponse {
        try responses.page(UserCodeRequestPage(returnTo: returnTo(exchange)), layout: exchange.layout)
    }

    /// The same page follows whether the address has an account, got a code just now, or is
    /// over its hourly limit: nothing tells them apart.
    func createCode(_ exchange: inout Exchange) throws -> HTTPResponse {
        let email = (exchange.form["email"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let back = returnTo(exchange)
        let outcome = try db.requestSignInCode(email: email, publicURL: publicURL, now: clock.now)
        if outcome == .invalidAddress {
            return try responses.page(
                UserCodeRequestPage(email: email, error: UserCodeRequestPage.invalidEmail, returnTo: back),
                layout: failed(exchange.layout), status: HTTPStatus(422))
        }
        if outcome == .sent { exchange.context.logger.notice("user sign-in code sent") }
        return try responses.page(
            UserCodeCheckPage(email: EmailAddress.normalised(email), returnTo: back), layout: exchange.layout)
    }

    func checkCode(_ exchange: inout Exchange) throws -> HTTPResponse {
        let email = EmailAddress.normalised(exchange.form["email"] ?? "")
        let back = returnTo(exchange)
        let now = clock.now
        guard EmailAddress.isValid(email) else { throw WebError.badRequest }
        switch try db.checkSignInCode(email: email, code: exchange.form["code"] ?? "", now: now) {
        case .wrong, .noLiveCode:
            return try responses.page(
                UserCodeCheckPage(email: email, error: UserCodeCheckPage.wrongCode, returnTo: back),
                layout: failed(exchange.layout), status: HTTPStatus(422))
        case .valid(let userID?):
            try openSession(userID: userID, method: "email_code", confirmsEmail: true, &exchange, now: now)
            return responses.redirect(to: back ?? SiteURL.users(.rdvs).path)
        case .valid(nil):
            let proof = try db.emailProof(email: email, until: now.addingTimeInterval(AppDatabase.signInCodeLifetime))
            return try responses.page(
                UserCodeSignUpPage(email: email, proof: proof, returnTo: back), layout: exchange.layout)
        }
    }

    /// « Créez votre compte »: the proof of the code stands for the e-mail (10 minutes).
    func signUpWithCode(_ exchange: inout Exchange) throws -> HTTPResponse {
        let email = EmailAddress.normalised(exchange.form["email"] ?? "")
        let proof = exchange.form["proof"] ?? ""
        let now = clock.now
        let back = returnTo(exchange)
        guard try db.checkEmailProof(proof, email: email, now: now) else {
            return try responses.page(
                UserCodeRequestPage(
                    email: email, error: "Ce code a expiré : demandez-en un nouveau pour créer votre compte.",
                    returnTo: back), layout: failed(exchange.layout), status: HTTPStatus(422))
        }
        let firstName = (exchange.form["first_name"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let lastName = (exchange.form["last_name"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let phone = (exchange.form["phone_number"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var errors: [String: String] = [:]
        if firstName.isEmpty { errors["first_name"] = UserCodeSignUpPage.blankFirstName }
        if lastName.isEmpty { errors["last_name"] = UserCodeSignUpPage.blankLastName }
        if !phone.isEmpty && PhoneNumber(phone) == nil { errors["phone_number"] = UserCodeSignUpPage.invalidPhone }
        guard errors.isEmpty else {
            return try responses.page(
                UserCodeSignUpPage(
                    email: email, proof: proof, returnTo: back, firstName: firstName, lastName: lastName, phone: phone,
                    errors: errors), layout: failed(exchange.layout), status: HTTPStatus(422))
        }
        let userID = try db.createUserFromCode(
            email: email, firstName: firstName, lastName: lastName, phone: phone.isEmpty ? nil : phone, now: now)
        try openSession(userID: userID, method: "email_code", confirmsEmail: true, &exchange, now: now)
        return responses.redirect(to: back ?? SiteURL.users(.rdvs).path)
    }

    private func openSession(userID: Int64, method: String, confirmsEmail: Bool, _ exchange: inout Exchange, now: Date)
        throws
    {
        try sessions.openUserSession(
            userID: userID, method: method, confirmsEmail: confirmsEmail, ip: clientAddress.of(exchange), &exchange,
            now: now)
    }
}

extension SessionLoader {
    /// Signs the user in once the e-mail, code, link or password is proven (booking.md §3.1,
    /// §3.3): the sign-in is recorded, the visitor's old session ends and a new id is set (no
    /// fixation).
    func openUserSession(
        userID: Int64, method: String, confirmsEmail: Bool, ip: String, _ exchange: inout Exchange, now: Date
    ) throws {
        try db.recordSuccessfulUserSignIn(userID: userID, confirmsEmail: confirmsEmail, now: now)
        if let old = exchange.session { try db.destroySession(id: old.id) }
        let token = try db.createUserSession(
            userID: userID, method: method, ip: ip, userAgent: exchange.request.headers["User-Agent"], now: now)
        exchange.setCookies.append(Cookies.set(Cookies.session, token, secure: https))
        exchange.context.logger.notice("user signed in", metadata: ["user": "\(userID)", "method": "\(method)"])
    }
}
