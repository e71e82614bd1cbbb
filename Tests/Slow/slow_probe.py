"""A normal client during a slow-client attack: new connection per request, as a person's browser
opening a page; prints one JSON line with the latencies' p50/p99 (ms), the failures, and the
server's peak resident memory (VmHWM is the process's own peak; VmRSS sampled here too).

Usage: slow_probe.py --port P --pid PID --path /health --path /x --seconds 20
"""
import argparse
import http.client
import json
import time


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return None
    index = min(len(ordered) - 1, max(0, int(round(fraction * len(ordered) + 0.5)) - 1))
    return ordered[index]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--path", action="append", required=True)
    parser.add_argument("--seconds", type=float, default=20)
    arguments = parser.parse_args()
    latencies = {path: [] for path in arguments.path}
    failures = {path: 0 for path in arguments.path}
    peak = rss_kib(arguments.pid)
    end = time.monotonic() + arguments.seconds
    while time.monotonic() < end:
        for path in arguments.path:
            started = time.monotonic()
            try:
                connection = http.client.HTTPConnection(arguments.host, arguments.port, timeout=5)
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                connection.close()
                if response.status != 200:
                    failures[path] += 1
                    continue
            except OSError:
                failures[path] += 1
                continue
            latencies[path].append((time.monotonic() - started) * 1000)
        peak = max(peak, rss_kib(arguments.pid))
        time.sleep(0.02)
    print(json.dumps({
        "paths": {
            path: {
                "count": len(latencies[path]), "failures": failures[path],
                "p50_ms": percentile(latencies[path], 0.50), "p99_ms": percentile(latencies[path], 0.99),
            } for path in arguments.path
        },
        "peak_rss_mib": round(peak / 1024, 1),
    }))


if __name__ == "__main__":
    main()
