import Foundation
import Synchronization

/// A fixed set of threads that run jobs in submission order; handlers block here, never on I/O threads.
final class WorkerPool: @unchecked Sendable {
    /// Lets the submitter withdraw a job: a job whose ticket is cancelled when a thread takes it
    /// is dropped (its connection closed while it waited, nobody would read the response).
    final class Ticket: Sendable {
        private let cancelled = Atomic<Bool>(false)
        func cancel() { cancelled.store(true, ordering: .releasing) }
        var isCancelled: Bool { cancelled.load(ordering: .acquiring) }
    }

    private struct Job {
        let ticket: Ticket
        let run: @Sendable () -> Void
    }

    // All mutable state is guarded by `condition`.
    private let condition = NSCondition()
    private var jobs: [Job] = []
    private var head = 0
    private var stopping = false
    private let finished = DispatchGroup()

    init(threads: Int, name: String) {
        for i in 0..<max(1, threads) {
            finished.enter()
            let thread = Thread { [self] in
                work()
                finished.leave()
            }
            thread.name = "\(name)-\(i)"
            thread.stackSize = 512 * 1024
            thread.start()
        }
    }

    func submit(_ ticket: Ticket, _ job: @escaping @Sendable () -> Void) {
        condition.lock()
        jobs.append(Job(ticket: ticket, run: job))
        condition.signal()
        condition.unlock()
    }

    /// Drops the jobs still queued (once the event loops have stopped, no one can send their
    /// responses) and waits at most `timeout` for the running ones to return. Returns false if
    /// some are still running then: their threads end on their own when the handler returns.
    @discardableResult
    func stop(waitingAtMost timeout: Duration) -> Bool {
        condition.lock()
        stopping = true
        jobs.removeAll()
        head = 0
        condition.broadcast()
        condition.unlock()
        let nanoseconds = Int(min(timeout.nanoseconds, UInt64(Int.max)))
        return finished.wait(timeout: .now() + .nanoseconds(nanoseconds)) == .success
    }

    private func work() {
        while true {
            condition.lock()
            while head == jobs.count && !stopping { condition.wait() }
            if head == jobs.count {
                condition.unlock()
                return
            }
            let job = jobs[head]
            head += 1
            if head == jobs.count {
                jobs.removeAll(keepingCapacity: true)
                head = 0
            }
            condition.unlock()
            if !job.ticket.isCancelled { job.run() }
        }
    }
}
