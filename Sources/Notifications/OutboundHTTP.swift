import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A blocking JSON POST for the SMS provider and webhooks, over URLSession (libcurl on Linux, so
/// HTTPS with the system's CA store). See docs/decisions/2026-11-25-outbound-http.md.
struct OutboundHTTP: Sendable {
    struct Answer: Sendable {
        let status: Int
        let body: Data
    }

    enum Failure: Error, Equatable {
        case timedOut
        /// Connection refused, DNS, TLS, reset… (never includes the request body).
        case transport(String)
        /// The server redirected; it is not followed (nothing is sent twice, no header leaves the host).
        case redirected(Int)
    }

    /// A whole-exchange deadline, enforced here: URLSession on Linux truncates its own timeouts
    /// to whole seconds (`Int(timeoutInterval) * 1000` in HTTPURLProtocol).
    let timeout: TimeInterval

    /// Ephemeral: no cookies, no cache, no credentials kept between requests. Redirects are
    /// refused by the delegate: following one would replay the POST (an SMS sent again) and carry
    /// the API key or the signature to another host.
    private static let session = URLSession(configuration: .ephemeral, delegate: NoRedirects(), delegateQueue: nil)

    private final class NoRedirects: NSObject, URLSessionTaskDelegate, Sendable {
        func urlSession(
            _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
            newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
        ) {
            completionHandler(nil)
        }
    }

    func post(_ url: URL, headers: [(name: String, value: String)], body: Data) throws(Failure) -> Answer {
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.httpBody = body
        // A backstop only: the semaphore below gives the exact deadline.
        request.timeoutInterval = max(1, timeout.rounded(.up))
        for header in headers { request.setValue(header.value, forHTTPHeaderField: header.name) }
        let outcome = Outcome()
        let task = Self.session.dataTask(with: request) { data, response, error in
            outcome.finish(Self.answer(url: url, data: data, response: response, error: error))
        }
        task.resume()
        guard let result = outcome.wait(seconds: timeout) else {
            task.cancel()
            throw .timedOut
        }
        return try result.get()
    }

    private static func answer(url: URL, data: Data?, response: URLResponse?, error: (any Error)?)
        -> Result<Answer, Failure>
    {
        if let error {
            if let urlError = error as? URLError, urlError.code == .timedOut { return .failure(.timedOut) }
            return .failure(.transport((error as NSError).localizedDescription))
        }
        guard let http = response as? HTTPURLResponse else { return .failure(.transport("not an HTTP response")) }
        // Not followed (see `NoRedirects`): the 3xx itself is the answer.
        if (300..<400).contains(http.statusCode) || http.url.map({ $0 != url }) == true {
            return .failure(.redirected(http.statusCode))
        }
        return .success(Answer(status: http.statusCode, body: data ?? Data()))
    }

    /// The completion handler's result, handed to the waiting thread.
    private final class Outcome: @unchecked Sendable {
        private let condition = NSCondition()
        private var result: Result<Answer, Failure>?

        func finish(_ value: Result<Answer, Failure>) {
            condition.lock()
            if result == nil { result = value }
            condition.broadcast()
            condition.unlock()
        }

        /// The result, or nil when none came within `seconds`.
        func wait(seconds: TimeInterval) -> Result<Answer, Failure>? {
            let deadline = Date().addingTimeInterval(seconds)
            condition.lock()
            defer { condition.unlock() }
            while result == nil, condition.wait(until: deadline) {}
            return result
        }
    }
}
