import Foundation
import Synchronization

/// The log lines of `rdv serve`, buffered: swift-log's standard-output stream flushes after every
/// line, one write(2) per access-log line, which cost the server a third of its throughput on
/// `/health` with the log going to a file. Lines are kept in memory and written in one call when
/// 64 KiB have gathered, every 200 ms, and on ``flush()`` (graceful stop, exit).
final class BufferedLogOutput: Sendable {
    /// Standard output, flushed at exit by an `atexit` handler installed on first use.
    static let standardOutput: BufferedLogOutput = {
        let output = BufferedLogOutput(fileDescriptor: STDOUT_FILENO)
        atexit { BufferedLogOutput.standardOutput.flush() }
        return output
    }()

    private let fileDescriptor: Int32
    private let capacity: Int
    private let pending = Mutex<[UInt8]>([])
    /// Held while a batch is written, so batches reach the file in the order they were taken.
    private let writing = Mutex<Void>(())
    private let flusherStarted = Atomic<Bool>(false)
    private let interval: TimeInterval

    init(fileDescriptor: Int32, capacity: Int = 64 * 1024, interval: TimeInterval = 0.2) {
        self.fileDescriptor = fileDescriptor
        self.capacity = capacity
        self.interval = interval
    }

    /// The stream a `StreamLogHandler` writes to.
    var stream: Stream { Stream(output: self) }

    struct Stream: TextOutputStream, Sendable {
        let output: BufferedLogOutput
        mutating func write(_ string: String) { output.append(string) }
    }

    func append(_ string: String) {
        startFlusherOnce()
        let full = pending.withLock { bytes in
            bytes.append(contentsOf: string.utf8)
            return bytes.count >= capacity
        }
        if full { flush() }
    }

    /// Writes every line appended so far; returns once they are in the file (or the write failed).
    func flush() {
        writing.withLock { _ in
            let batch = pending.withLock { bytes in
                let taken = bytes
                bytes.removeAll(keepingCapacity: true)
                return taken
            }
            guard !batch.isEmpty else { return }
            batch.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let n = Glibc.write(fileDescriptor, raw.baseAddress! + offset, raw.count - offset)
                    if n > 0 {
                        offset += n
                    } else if n < 0 && errno == EINTR {
                        continue
                    } else {
                        return  // a closed pipe or a full disk: the lines are lost, as with stdio
                    }
                }
            }
        }
    }

    private func startFlusherOnce() {
        guard !flusherStarted.load(ordering: .relaxed),
            !flusherStarted.exchange(true, ordering: .acquiringAndReleasing)
        else { return }
        let thread = Thread { [self] in
            // This thread may start before `rdv serve` blocks SIGTERM/SIGINT for its threads: it
            // must never be the one a termination signal is delivered to (that would kill the
            // process instead of reaching the sigwait thread).
            var signals = sigset_t()
            sigfillset(&signals)
            pthread_sigmask(SIG_BLOCK, &signals, nil)
            // A periodic flush, so a quiet server's last lines do not wait for the next 64 KiB.
            while true {
                Thread.sleep(forTimeInterval: interval)
                flush()
            }
        }
        thread.name = "rdv-log-flush"
        thread.stackSize = 128 * 1024
        thread.start()
    }
}
