import CPosix
import Glibc

/// A failed system call, with the errno it set.
///
/// Would-block and peer-closed are not errors: ``Socket`` reports them as ``IOResult`` cases,
/// which the event loop uses for control flow.
public struct SocketError: Error, CustomStringConvertible, Sendable, Equatable {
    public let call: String
    public let errno: Int32

    public init(_ call: String, errno: Int32 = Glibc.errno) {
        self.call = call
        self.errno = errno
    }

    public var description: String {
        "\(call) failed: \(String(cString: strerror(errno))) (errno \(errno))"
    }
}
