#!/usr/bin/env bash
# make bench-http: RDV's hand-written HTTP/1.1 server vs Hummingbird 2 vs nginx
# on GET /health ("ok"), measured with wrk; then the idle keep-alive
# connection memory test against RDV.
#
# Environment (all optional):
#   THREADS=2 CONNS=64 DURATION=10s WARMUP=2s   wrk settings (warm-up uses WARMUP)
#   IDLE_COUNT=10000                            idle connections for the memory test (0 = skip it)
#   IDLE_TARGETS="rdv"                          servers for the memory test; any of: rdv hummingbird nginx
#   SERVERS="rdv hummingbird nginx"             which servers to benchmark (subset allowed)
#   RDV_PORT=8081 HB_PORT=8082 NGINX_PORT=8083  ports (host is always 127.0.0.1)
#   NGINX_WORKERS=auto                          nginx worker_processes
#   SKIP_BUILD=1                                reuse existing release binaries, don't run swift build
#   RESULTS_DIR=Benchmarks/results              where http-<date>.md is written
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/Benchmarks"
cd "$ROOT"

THREADS="${THREADS:-2}"
CONNS="${CONNS:-64}"
DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-2s}"
IDLE_COUNT="${IDLE_COUNT:-10000}"
IDLE_TARGETS="${IDLE_TARGETS:-rdv}"
SERVERS="${SERVERS:-rdv hummingbird nginx}"
RDV_PORT="${RDV_PORT:-8081}"
HB_PORT="${HB_PORT:-8082}"
NGINX_PORT="${NGINX_PORT:-8083}"
NGINX_WORKERS="${NGINX_WORKERS:-auto}"
SKIP_BUILD="${SKIP_BUILD:-0}"
RESULTS_DIR="${RESULTS_DIR:-$BENCH/results}"
HOST=127.0.0.1

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'bench-http: error: %s\n' "$*" >&2; exit 1; }

has_server() { [[ " $SERVERS " == *" $1 "* ]]; }

# ---------------------------------------------------------------- packages
install_missing() {
    local missing=()
    command -v wrk >/dev/null 2>&1 || missing+=(wrk)
    command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]] || missing+=(nginx)
    command -v curl >/dev/null 2>&1 || missing+=(curl)
    command -v python3 >/dev/null 2>&1 || missing+=(python3)
    command -v pgrep >/dev/null 2>&1 || missing+=(procps)
    ((${#missing[@]} == 0)) && return 0
    log "installing ${missing[*]} (apt-get)"
    local sudo=()
    [[ $(id -u) -eq 0 ]] || sudo=(sudo)
    "${sudo[@]}" apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
}
install_missing
export PATH="$PATH:/usr/sbin:/sbin"

# ---------------------------------------------------------------- scratch + cleanup
TMP="$(mktemp -d "${TMPDIR:-/tmp}/bench-http.XXXXXX")"
PIDS=()
CHILD=""
# run_child CMD...: run CMD in the background and wait for it, so that a TERM/INT
# sent to this script is handled at once (bash defers traps while a
# foreground child runs) and the child is killed by cleanup.
run_child() {
    "$@" &
    CHILD=$!
    local rc=0
    wait "$CHILD" || rc=$?
    CHILD=""
    return "$rc"
}
cleanup() {
    local pid
    [[ -n "$CHILD" ]] && kill -TERM "$CHILD" 2>/dev/null
    for pid in "${PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 1 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- builds
RDV_BIN="$ROOT/.build/release/rdv"
HB_BIN="$BENCH/hello-hummingbird/.build/release/HelloHummingbird"
if has_server rdv; then
    if [[ "$SKIP_BUILD" != 1 ]]; then
        log "swift build -c release --product rdv"
        swift build -c release --product rdv
    fi
    [[ -x "$RDV_BIN" ]] || die "$RDV_BIN not found (build failed?)"
fi
if has_server hummingbird; then
    if [[ "$SKIP_BUILD" != 1 ]]; then
        log "swift build -c release --package-path Benchmarks/hello-hummingbird"
        swift build -c release --package-path "$BENCH/hello-hummingbird"
    fi
    [[ -x "$HB_BIN" ]] || die "$HB_BIN not found (build failed?)"
fi

# ---------------------------------------------------------------- servers
port_busy() { curl -s -o /dev/null --max-time 1 "http://$HOST:$1/" ; }

# wait_ready NAME PORT PID LOGFILE: up to 20 s for GET /health to answer "ok".
wait_ready() {
    local name="$1" port="$2" pid="$3" logfile="$4" body
    for _ in $(seq 1 200); do
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "---- $logfile" >&2; tail -n 30 "$logfile" >&2 || true
            die "$name exited before it was ready"
        fi
        body="$(curl -s --max-time 1 "http://$HOST:$port/health" || true)"
        if [[ "$body" == ok ]]; then
            log "$name ready on :$port (pid $pid)"
            return 0
        fi
        sleep 0.1
    done
    echo "---- $logfile" >&2; tail -n 30 "$logfile" >&2 || true
    die "$name did not answer 'ok' on http://$HOST:$port/health within 20 s (last body: '${body:-}')"
}

RDV_PID="" HB_PID="" NGINX_PID=""
start_rdv() {
    port_busy "$RDV_PORT" && die "port $RDV_PORT is already in use"
    RDV_LOG_LEVEL=warning "$RDV_BIN" serve --host "$HOST" --port "$RDV_PORT" >"$TMP/rdv.log" 2>&1 &
    RDV_PID=$!; PIDS+=("$RDV_PID")
    wait_ready rdv "$RDV_PORT" "$RDV_PID" "$TMP/rdv.log"
}
start_hummingbird() {
    port_busy "$HB_PORT" && die "port $HB_PORT is already in use"
    # NIO does not raise its own fd limit: give it the hard limit (same pid after exec).
    ( ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
      exec "$HB_BIN" --host "$HOST" --port "$HB_PORT" --log-level warning ) >"$TMP/hummingbird.log" 2>&1 &
    HB_PID=$!; PIDS+=("$HB_PID")
    wait_ready hummingbird "$HB_PORT" "$HB_PID" "$TMP/hummingbird.log"
}
start_nginx() {
    port_busy "$NGINX_PORT" && die "port $NGINX_PORT is already in use"
    local prefix="$TMP/nginx" nofile
    mkdir -p "$prefix/www"
    printf ok >"$prefix/www/health"
    nofile="$(ulimit -Hn)"; [[ "$nofile" == unlimited ]] && nofile=65536
    sed -e "s|__PREFIX__|$prefix|g" -e "s|__ROOT__|$prefix/www|g" -e "s|__PORT__|$NGINX_PORT|g" \
        -e "s|__WORKERS__|$NGINX_WORKERS|g" -e "s|__NOFILE__|$nofile|g" \
        -e "s|__WORKER_CONNECTIONS__|$((nofile - 100))|g" \
        "$BENCH/nginx.conf.template" >"$prefix/nginx.conf"
    nginx -p "$prefix/" -c "$prefix/nginx.conf" -e stderr -t >"$TMP/nginx-t.log" 2>&1 \
        || { cat "$TMP/nginx-t.log" >&2; die "nginx config test failed"; }
    nginx -p "$prefix/" -c "$prefix/nginx.conf" -e stderr >"$TMP/nginx.log" 2>&1 &
    NGINX_PID=$!; PIDS+=("$NGINX_PID")
    wait_ready nginx "$NGINX_PORT" "$NGINX_PID" "$TMP/nginx.log"
}

# ---------------------------------------------------------------- wrk
WRK_CMD="wrk -t$THREADS -c$CONNS -d$DURATION --latency http://$HOST:PORT/health"

# to_ms VALUE: wrk latency ("812.00us", "1.23ms", "1.01s") -> milliseconds
to_ms() {
    awk -v v="$1" 'BEGIN {
        n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
        if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
        printf "%.3f", n }'
}

declare -A RPS P50 P99 ERRS WRK_RUN
run_wrk() {
    local name="$1" port="$2" url out errs non2xx
    url="http://$HOST:$port/health"
    log "$name: warm-up wrk -t$THREADS -c$CONNS -d$WARMUP $url"
    run_child wrk -t"$THREADS" -c"$CONNS" -d"$WARMUP" "$url" >/dev/null
    log "$name: wrk -t$THREADS -c$CONNS -d$DURATION --latency $url"
    out="$TMP/wrk-$name.txt"
    WRK_RUN[$name]="wrk -t$THREADS -c$CONNS -d$DURATION --latency $url"
    run_child wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$url" >"$out"
    sed 's/^/    /' "$out" >&2
    RPS[$name]="$(awk '/^Requests\/sec:/ {print $2}' "$out")"
    [[ -n "${RPS[$name]}" ]] || die "could not parse Requests/sec from wrk output for $name"
    P50[$name]="$(to_ms "$(awk '$1 == "50%" {print $2}' "$out")")"
    P99[$name]="$(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")"
    errs="$(awk '/Socket errors:/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$out")"
    non2xx="$(awk '/Non-2xx or 3xx responses:/ {print $5}' "$out")"
    ERRS[$name]=$(( ${errs:-0} + ${non2xx:-0} ))
    if (( ERRS[$name] > 0 )); then
        log "WARNING: $name had ${errs:-0} socket errors and ${non2xx:-0} non-2xx responses"
    fi
}

ratio() {  # ratio A B -> "1.23×" or "n/a"
    if [[ -z "${1:-}" || -z "${2:-}" ]]; then echo "n/a"; return; fi
    awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f×", a / b; else print "n/a" }'
}

# ---------------------------------------------------------------- run
ORDER=()
for s in rdv hummingbird nginx; do has_server "$s" && ORDER+=("$s"); done
((${#ORDER[@]} > 0)) || die "SERVERS='$SERVERS' selects nothing (use rdv, hummingbird, nginx)"

for s in "${ORDER[@]}"; do
    case "$s" in
        rdv) start_rdv; run_wrk rdv "$RDV_PORT" ;;
        hummingbird) start_hummingbird; run_wrk hummingbird "$HB_PORT" ;;
        nginx) start_nginx; run_wrk nginx "$NGINX_PORT" ;;
    esac
done

declare -A IDLE
idle_test() {
    local name="$1" port="$2" line p pids=()
    case "$name" in
        rdv) pids=("$RDV_PID") ;;
        hummingbird) pids=("$HB_PID") ;;
        nginx) mapfile -t pids < <(pgrep -P "$NGINX_PID") ;;  # the workers hold the connections
    esac
    [[ ${#pids[@]} -gt 0 && -n "${pids[0]}" ]] || die "no pid for $name idle test"
    local cmd=(python3 "$BENCH/idle_connections.py" --host "$HOST" --port "$port" --count "$IDLE_COUNT")
    for p in "${pids[@]}"; do cmd+=(--pid "$p"); done
    log "$name: idle test: ${cmd[*]}"
    local rc=0
    run_child "${cmd[@]}" >"$TMP/idle-$name.txt" 2>"$TMP/idle-$name.err" || rc=$?
    cat "$TMP/idle-$name.err" >&2
    line="$(tail -n 1 "$TMP/idle-$name.txt")"
    if (( rc == 0 )); then
        IDLE[$name]="$line"
    else
        IDLE[$name]="FAILED (exit $rc): $(grep -h 'FAIL' "$TMP/idle-$name.err" | sed 's/^idle_connections: //' | tr '\n' ' ')${line:+| $line}"
        IDLE_FAILED=1
    fi
    log "$name: ${IDLE[$name]}"
}
IDLE_FAILED=0
if (( IDLE_COUNT > 0 )); then
    for s in $IDLE_TARGETS; do
        has_server "$s" || { log "idle test: $s not running, skipped"; continue; }
        case "$s" in
            rdv) idle_test rdv "$RDV_PORT" ;;
            hummingbird) idle_test hummingbird "$HB_PORT" ;;
            nginx) idle_test nginx "$NGINX_PORT" ;;
            *) die "unknown IDLE_TARGETS entry '$s'" ;;
        esac
    done
fi

# ---------------------------------------------------------------- report
cpu_model="$(awk -F': *' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
[[ -n "$cpu_model" ]] || cpu_model="$(awk -F': *' '/^(Hardware|cpu model|uarch)/ {print $2; exit}' /proc/cpuinfo)"
swift_version="$(swift --version 2>/dev/null | head -n 1 || true)"
stamp="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
commit="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
dirty="$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null | head -n 1 || true)"
[[ -n "$dirty" ]] && commit="$commit (dirty)"

name_of() {
    case "$1" in
        rdv) echo "RDV (hand-written, POSIX sockets)" ;;
        hummingbird) echo "Hummingbird 2.28.1 (SwiftNIO)" ;;
        nginx) echo "nginx $(nginx -v 2>&1 | sed 's|.*nginx/||') (workers: $NGINX_WORKERS)" ;;
    esac
}

report() {
    local s
    echo "# HTTP benchmark: GET /health"
    echo
    echo "- date: $stamp"
    echo "- commit: $commit"
    echo "- machine: $(nproc) CPUs, ${cpu_model:-unknown CPU}, kernel $(uname -r)"
    echo "- swift: ${swift_version:-unknown}"
    echo "- wrk: \`$WRK_CMD\`, each after a \`-d$WARMUP\` warm-up with the same -t/-c:"
    for s in "${ORDER[@]}"; do echo "  - $s: \`${WRK_RUN[$s]}\`"; done
    echo "- client and servers share the machine (loopback)"
    echo
    echo "| server | req/s | p50 (ms) | p99 (ms) | vs Hummingbird | vs nginx |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: |"
    local err
    for s in "${ORDER[@]}"; do
        err=""
        (( ${ERRS[$s]:-0} > 0 )) && err=" ⚠ ${ERRS[$s]} errors"
        printf '| %s | %.0f%s | %s | %s | %s | %s |\n' "$(name_of "$s")" "${RPS[$s]}" "$err" \
            "${P50[$s]}" "${P99[$s]}" "$(ratio "${RPS[$s]}" "${RPS[hummingbird]:-}")" \
            "$(ratio "${RPS[$s]}" "${RPS[nginx]:-}")"
    done
    if (( IDLE_COUNT > 0 )); then
        echo
        echo "## Idle keep-alive connections ($IDLE_COUNT, each served one request, then held idle 1 s)"
        echo
        for s in $IDLE_TARGETS; do
            [[ -n "${IDLE[$s]:-}" ]] || continue
            echo "- $s: \`${IDLE[$s]}\`"
        done
    fi
}

REPORT="$(report)"
mkdir -p "$RESULTS_DIR"
OUT_FILE="$RESULTS_DIR/http-$(date -u +%Y-%m-%d-%H%M%S).md"
printf '%s\n' "$REPORT" >"$OUT_FILE"
echo
printf '%s\n' "$REPORT"
echo
echo "wrk command: $WRK_CMD"
for s in "${ORDER[@]}"; do echo "  $s: ${WRK_RUN[$s]}"; done
echo "written to ${OUT_FILE#"$ROOT"/}"
if (( IDLE_FAILED )); then
    die "idle-connection test failed"
fi
