#!/usr/bin/env python3
"""Idle keep-alive connection memory test (stdlib only).

Opens COUNT TCP connections to HOST:PORT, sends one
`GET /health HTTP/1.1` on each and reads the full response, so every
connection is a live keep-alive connection that has served a request.
It then holds them all idle, waits, and compares the server's VmRSS
(from /proc/PID/status, summed over every --pid given) before and after.
A sample of the idle connections is then asked a second request to check
that they are still alive.

Output (one line on stdout, the last line):
  connections=N rss_before_kib=.. rss_after_kib=.. per_connection_bytes=.. alive_sample=A/S

Exit status: 0 on success; 1 if fewer than COUNT connections could be
established (or a sampled connection turned out dead), with the reason on
stderr; 2 for bad arguments or an unreadable PID.
"""

import argparse
import errno
import os
import resource
import selectors
import socket
import sys
import time

REQUEST = b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n"


def log(msg):
    print(f"idle_connections: {msg}", file=sys.stderr, flush=True)


def read_rss_kib(pids):
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status", "r", encoding="ascii", errors="replace") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
                else:
                    raise RuntimeError(f"no VmRSS in /proc/{pid}/status (zombie?)")
        except OSError as e:
            raise RuntimeError(f"cannot read /proc/{pid}/status: {e}") from e
    return total


def raise_nofile(needed):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and soft != hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        soft = hard
    elif hard == resource.RLIM_INFINITY and soft != resource.RLIM_INFINITY and soft < needed:
        resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))
        soft = needed
    return soft, hard


class ResponseParser:
    """Incremental parser for one HTTP/1.1 response (Content-Length or chunked)."""

    def __init__(self):
        self.buf = bytearray()
        self.status = None
        self.keep_alive = True
        self.done = False

    def feed(self, data):
        self.buf += data
        head_end = self.buf.find(b"\r\n\r\n")
        if head_end < 0:
            if len(self.buf) > 65536:
                raise ValueError("response head larger than 64 KiB")
            return False
        head = bytes(self.buf[:head_end]).decode("latin-1")
        lines = head.split("\r\n")
        parts = lines[0].split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/1."):
            raise ValueError(f"bad status line {lines[0]!r}")
        self.status = int(parts[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if "close" in headers.get("connection", "").lower() or parts[0] == "HTTP/1.0" and \
                "keep-alive" not in headers.get("connection", "").lower():
            self.keep_alive = False
        body = self.buf[head_end + 4:]
        if "chunked" in headers.get("transfer-encoding", "").lower():
            # Good enough for a tiny body: wait for the terminating chunk.
            if body.endswith(b"0\r\n\r\n"):
                self.done = True
        elif "content-length" in headers:
            length = int(headers["content-length"])
            if len(body) > length:
                raise ValueError("more bytes than Content-Length (pipelining confusion)")
            if len(body) == length:
                self.done = True
        else:
            raise ValueError("response has neither Content-Length nor chunked encoding")
        return self.done


class Conn:
    __slots__ = ("sock", "fd", "state", "parser", "started")

    def __init__(self, sock):
        self.sock = sock
        self.fd = sock.fileno()
        self.state = "connecting"
        self.parser = ResponseParser()
        self.started = time.monotonic()


def open_connections(host, port, count, window, conn_timeout, deadline):
    """Open `count` connections, at most `window` in flight; returns (ready, failures)."""
    sel = selectors.DefaultSelector()
    ready = []
    failures = {}
    inflight = {}
    started = 0

    def fail(conn, reason):
        failures[reason] = failures.get(reason, 0) + 1
        inflight.pop(conn.fd, None)
        try:
            sel.unregister(conn.sock)
        except (KeyError, ValueError):
            pass
        conn.sock.close()

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    while len(ready) < count:
        # Top up the window.
        while started < count and len(inflight) < window:
            try:
                s = socket.socket(family, socket.SOCK_STREAM)
            except OSError as e:
                raise RuntimeError(f"socket() failed after {len(ready)} connections: {e}") from e
            s.setblocking(False)
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            conn = Conn(s)
            err = s.connect_ex((host, port))
            started += 1
            if err not in (0, errno.EINPROGRESS):
                failures[f"connect: {os.strerror(err)}"] = failures.get(f"connect: {os.strerror(err)}", 0) + 1
                s.close()
                continue
            inflight[conn.fd] = conn
            sel.register(s, selectors.EVENT_WRITE, conn)

        if not inflight:
            break  # nothing left to wait for (every remaining attempt failed)
        now = time.monotonic()
        if now > deadline:
            for conn in list(inflight.values()):
                fail(conn, "overall deadline reached")
            break

        for key, _ in sel.select(timeout=0.2):
            conn = key.data
            s = conn.sock
            try:
                if conn.state == "connecting":
                    err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                    if err:
                        fail(conn, f"connect: {os.strerror(err)}")
                        continue
                    s.send(REQUEST)  # 38 bytes: fits in an empty send buffer
                    conn.state = "reading"
                    sel.modify(s, selectors.EVENT_READ, conn)
                else:
                    data = s.recv(65536)
                    if not data:
                        fail(conn, "closed by server before full response")
                        continue
                    if conn.parser.feed(data):
                        if conn.parser.status != 200:
                            fail(conn, f"HTTP status {conn.parser.status}")
                        elif not conn.parser.keep_alive:
                            fail(conn, "server answered Connection: close")
                        else:
                            sel.unregister(s)
                            del inflight[conn.fd]
                            ready.append(s)
            except (OSError, ValueError) as e:
                fail(conn, f"{conn.state}: {e}")

        # Per-connection timeout.
        now = time.monotonic()
        for conn in [c for c in inflight.values() if now - c.started > conn_timeout]:
            fail(conn, f"timeout while {conn.state} (>{conn_timeout:g}s)")

    sel.close()
    return ready, failures


def check_alive(socks, sample_size, timeout):
    if not socks:
        return 0, 0, {}
    step = max(1, len(socks) // sample_size)
    sample = socks[::step][:sample_size]
    alive = 0
    reasons = {}
    for s in sample:
        parser = ResponseParser()
        try:
            s.setblocking(True)
            s.settimeout(timeout)
            s.sendall(REQUEST)
            while True:
                data = s.recv(65536)
                if not data:
                    raise ValueError("closed by server (keep-alive not honoured?)")
                if parser.feed(data):
                    break
            if parser.status != 200:
                raise ValueError(f"HTTP status {parser.status}")
            alive += 1
        except (OSError, ValueError) as e:
            reason = str(e) or type(e).__name__
            reasons[reason] = reasons.get(reason, 0) + 1
    return alive, len(sample), reasons


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--count", type=int, default=10000)
    ap.add_argument("--pid", type=int, action="append", required=True,
                    help="server process whose VmRSS is measured; repeat to sum several (e.g. nginx workers)")
    ap.add_argument("--window", type=int, default=256,
                    help="connections in flight at once while opening (keeps the accept backlog small)")
    ap.add_argument("--settle", type=float, default=1.0, help="seconds to hold idle before the second RSS read")
    ap.add_argument("--sample", type=int, default=100, help="idle connections re-checked with a second request")
    ap.add_argument("--timeout", type=float, default=10.0, help="per-connection timeout, seconds")
    ap.add_argument("--deadline", type=float, default=50.0, help="overall time limit for opening, seconds")
    args = ap.parse_args()
    if args.count < 1:
        ap.error("--count must be positive")

    soft, hard = raise_nofile(args.count + 64)
    if soft != resource.RLIM_INFINITY and soft < args.count + 16:
        log(f"FAIL: RLIMIT_NOFILE is {soft} (hard {hard}), need about {args.count + 16} "
            f"for {args.count} connections")
        return 1

    try:
        rss_before = read_rss_kib(args.pid)
    except RuntimeError as e:
        log(f"FAIL: {e}")
        return 2

    t0 = time.monotonic()
    try:
        socks, failures = open_connections(args.host, args.port, args.count, args.window,
                                           args.timeout, t0 + args.deadline)
    except RuntimeError as e:
        log(f"FAIL: {e}")
        return 1
    elapsed = time.monotonic() - t0
    log(f"opened {len(socks)}/{args.count} keep-alive connections in {elapsed:.2f}s")

    status = 0
    try:
        if len(socks) < args.count:
            detail = ", ".join(f"{n}x {r}" for r, n in sorted(failures.items(), key=lambda kv: -kv[1]))
            log(f"FAIL: only {len(socks)} of {args.count} connections established ({detail or 'no reason recorded'})")
            status = 1

        time.sleep(args.settle)
        try:
            rss_after = read_rss_kib(args.pid)
        except RuntimeError as e:
            log(f"FAIL: server died while holding connections? {e}")
            return 1

        alive, sampled, reasons = check_alive(socks, args.sample, args.timeout)
        if alive < sampled:
            detail = ", ".join(f"{n}x {r}" for r, n in reasons.items())
            log(f"FAIL: only {alive}/{sampled} sampled idle connections answered a second request ({detail})")
            status = 1

        per_conn = (rss_after - rss_before) * 1024 / len(socks) if socks else 0
        print(f"connections={len(socks)} rss_before_kib={rss_before} rss_after_kib={rss_after} "
              f"per_connection_bytes={per_conn:.0f} alive_sample={alive}/{sampled}", flush=True)
    finally:
        for s in socks:
            s.close()
    return status


if __name__ == "__main__":
    sys.exit(main())
