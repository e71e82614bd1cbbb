#!/usr/bin/env bash
# make bench-app: RDV's application routes on the département data set, measured with wrk:
#   - the 404 page (a route run on the worker pool, no database);
#   - GET /api/v1/creneaux?motif_id=<unknown> (one indexed lookup, 404 JSON): RDV vs a
#     Hummingbird 2 + GRDB 7 peer (Benchmarks/hummingbird-grdb) on the same database file;
#   - the slot search GET /api/v1/creneaux?motif_id=1&lieu_id=1 (7 days) at -c16 and -c1;
#   - GET /health with the access log on: RDV vs nginx with its access log on;
#   - the landing page (own agenda, week) of a demo agent (session cookie from a real sign-in);
#   - 10,000 idle keep-alive connections on the same server: its resident memory (target < 150 MB).
#
# Environment (all optional):
#   THREADS=2 CONNS=64 DURATION=10s WARMUP=2s   wrk settings (-c16/-c1 for the slot search)
#   BENCH_DB=/tmp/rdv-bench-departement.sqlite3 seeded with `rdv seed --scale departement` when missing
#   RDV_PORT=8091 PEER_PORT=8092 NGINX_PORT=8093 ports (host 127.0.0.1)
#   SKIP_BUILD=1                                reuse the release binaries
#   RESULTS_DIR=Benchmarks/results              where app-<date>.md is written
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/Benchmarks"
cd "$ROOT"

THREADS="${THREADS:-2}"
CONNS="${CONNS:-64}"
DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-2s}"
BENCH_DB="${BENCH_DB:-/tmp/rdv-bench-departement.sqlite3}"
RDV_PORT="${RDV_PORT:-8091}"
PEER_PORT="${PEER_PORT:-8092}"
NGINX_PORT="${NGINX_PORT:-8093}"
SKIP_BUILD="${SKIP_BUILD:-0}"
RESULTS_DIR="${RESULTS_DIR:-$BENCH/results}"
HOST=127.0.0.1
UNKNOWN_MOTIF=999999999
SEARCH="/api/v1/creneaux?motif_id=1&lieu_id=1"

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'bench-app: error: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- packages
missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]] || missing+=(nginx)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v sqlite3 >/dev/null 2>&1 || missing+=(sqlite3)
if ((${#missing[@]} > 0)); then
    log "installing ${missing[*]} (apt-get)"
    sudo=()
    [[ $(id -u) -eq 0 ]] || sudo=(sudo)
    "${sudo[@]}" apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
export PATH="$PATH:/usr/sbin:/sbin"

# ---------------------------------------------------------------- scratch + cleanup
TMP="$(mktemp -d "${TMPDIR:-/tmp}/bench-app.XXXXXX")"
PIDS=()
CHILD=""
run_child() {  # run in the background and wait, so that TERM/INT reach the trap at once
    "$@" &
    CHILD=$!
    local rc=0
    wait "$CHILD" || rc=$?
    CHILD=""
    return "$rc"
}
stop() {  # stop PID: TERM, up to 5 s, then KILL
    local pid="$1"
    kill -TERM "$pid" 2>/dev/null || return 0
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
cleanup() {
    [[ -n "$CHILD" ]] && kill -TERM "$CHILD" 2>/dev/null
    local pid
    for pid in "${PIDS[@]}"; do stop "$pid"; done
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- builds and data
RDV_BIN="$ROOT/.build/release/rdv"
PEER_DIR="$BENCH/hummingbird-grdb"
PEER_BIN="$PEER_DIR/.build/release/HummingbirdGRDB"
if [[ "$SKIP_BUILD" != 1 ]]; then
    log "swift build -c release --product rdv"
    swift build -c release --product rdv
    log "swift build -c release --package-path Benchmarks/hummingbird-grdb"
    swift build -c release --package-path "$PEER_DIR"
fi
[[ -x "$RDV_BIN" ]] || die "$RDV_BIN not found (build failed?)"
[[ -x "$PEER_BIN" ]] || die "$PEER_BIN not found (build failed?)"
if [[ ! -f "$BENCH_DB" ]]; then
    log "rdv seed --scale departement --database $BENCH_DB"
    "$RDV_BIN" seed --scale departement --database "$BENCH_DB"
fi
DB="$TMP/rdv.sqlite3"
sqlite3 "$BENCH_DB" "VACUUM INTO '$DB'"
AGENT_EMAIL="$(sqlite3 "$DB" "SELECT email FROM agents WHERE email IS NOT NULL AND password_hash IS NOT NULL ORDER BY id LIMIT 1")"
[[ -n "$AGENT_EMAIL" ]] || die "no demo agent with a password in $BENCH_DB"

# ---------------------------------------------------------------- servers
wait_ready() {  # NAME PORT PID LOG: up to 20 s for /health to answer ok
    local body
    for _ in $(seq 1 200); do
        kill -0 "$3" 2>/dev/null || { tail -n 30 "$4" >&2; die "$1 exited before it was ready"; }
        body="$(curl -s --max-time 1 "http://$HOST:$2/health" || true)"
        [[ "$body" == ok ]] && { log "$1 ready on :$2 (pid $3)"; return 0; }
        sleep 0.1
    done
    tail -n 30 "$4" >&2
    die "$1 did not answer ok on :$2/health within 20 s"
}
RDV_PID=""
start_rdv() {  # LEVEL: warning (no access log) or info (access log to a file)
    curl -s -o /dev/null --max-time 1 "http://$HOST:$RDV_PORT/" && die "port $RDV_PORT is already in use"
    # contracts.md §1: no per-address limit for a load test on loopback (api.md §5 allows 50/min).
    RDV_RATE_LIMITS=off RDV_LOG_LEVEL="$1" "$RDV_BIN" serve --no-scheduler --host "$HOST" --port "$RDV_PORT" --database "$DB" \
        >"$TMP/rdv-$1.log" 2>&1 &
    RDV_PID=$!; PIDS+=("$RDV_PID")
    wait_ready "rdv (log level $1)" "$RDV_PORT" "$RDV_PID" "$TMP/rdv-$1.log"
}
stop_rdv() { stop "$RDV_PID"; }

# ---------------------------------------------------------------- wrk
to_ms() {
    awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
        if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
        printf "%.3f", n }'
}
ROWS=()
COMMANDS=()
# measure LABEL CONNS URL [wrk options…]: warm-up, then the measured run; appends a table row.
measure() {
    local label="$1" conns="$2" url="$3"; shift 3
    local out="$TMP/wrk-${#ROWS[@]}.txt" rps p50 p99 errs status threads="$THREADS"
    ((conns < threads)) && threads="$conns"  # wrk needs at least one connection per thread
    status="$(curl -s -o /dev/null -w '%{http_code}' "$@" "$url" 2>/dev/null || true)"
    log "$label: warm-up wrk -t$threads -c$conns -d$WARMUP $url"
    run_child wrk -t"$threads" -c"$conns" -d"$WARMUP" "$@" "$url" >/dev/null
    local cmd="wrk -t$threads -c$conns -d$DURATION --latency $url"
    log "$label: $cmd"
    run_child wrk -t"$threads" -c"$conns" -d"$DURATION" --latency "$@" "$url" >"$out"
    sed 's/^/    /' "$out" >&2
    rps="$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$out")"
    p50="$(to_ms "$(awk '$1 == "50%" {print $2}' "$out")")"
    p99="$(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")"
    errs="$(awk '/Socket errors:/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$out")"
    ROWS+=("| $label | $status | $conns | ${rps:-?} | $p50 | $p99 | ${errs:-0} |")
    COMMANDS+=("$label: \`$cmd\`")
}

start_rdv warning
measure "rdv: 404 page (/nulle-part)" "$CONNS" "http://$HOST:$RDV_PORT/nulle-part"
measure "rdv: creneaux, unknown motif" "$CONNS" "http://$HOST:$RDV_PORT/api/v1/creneaux?motif_id=$UNKNOWN_MOTIF"
SLOTS="$(curl -s "http://$HOST:$RDV_PORT$SEARCH" | grep -o '"starts_at"' | wc -l)"
measure "rdv: slot search ($SLOTS slots, 7 days)" 16 "http://$HOST:$RDV_PORT$SEARCH"
measure "rdv: slot search ($SLOTS slots, 7 days)" 1 "http://$HOST:$RDV_PORT$SEARCH"

# A real sign-in: the form's CSRF token, then POST; the session cookie is replayed by wrk.
JAR="$TMP/cookies.txt"
TOKEN="$(curl -s -c "$JAR" "http://$HOST:$RDV_PORT/agents/sign_in" \
    | sed -n 's/.*name="authenticity_token" value="\([^"]*\)".*/\1/p' | head -n 1)"
[[ -n "$TOKEN" ]] || die "no authenticity_token in the sign-in form"
SIGN_IN="$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -b "$JAR" -c "$JAR" \
    -H "Origin: http://$HOST:$RDV_PORT" --data-urlencode "authenticity_token=$TOKEN" \
    --data-urlencode "email=$AGENT_EMAIL" --data-urlencode "password=demo-rdv-62" \
    "http://$HOST:$RDV_PORT/agents/sign_in")"
log "sign-in as $AGENT_EMAIL: $SIGN_IN"
COOKIE="$(awk '$6 == "rdv_session" {print "rdv_session=" $7}' "$JAR")"
[[ -n "$COOKIE" ]] || die "sign-in gave no rdv_session cookie ($SIGN_IN)"
# The landing page of a signed-in agent: `/` redirects to the agent's own agenda (the week).
LANDING="$(curl -s -o /dev/null -L -w '%{url_effective}' -b "$JAR" "http://$HOST:$RDV_PORT/")"
[[ "$LANDING" == *agent_agendas* ]] || die "the home page did not lead to an agenda ($LANDING)"
measure "rdv: the agent's agenda (landing week), signed in" "$CONNS" "$LANDING" -H "Cookie: $COOKIE"
stop_rdv

# 10,000 idle keep-alive connections on the application server (after a restart, so the
# figure is the connections' cost and not the load above): each serves /health, then idles.
IDLE_COUNT="${IDLE_COUNT:-10000}"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true  # also for the peer below
start_rdv warning
IDLE_CMD="python3 Benchmarks/idle_connections.py --host $HOST --port $RDV_PORT --count $IDLE_COUNT --pid $RDV_PID"
log "idle connections: $IDLE_CMD"
IDLE_LINE="$(run_child $IDLE_CMD | tail -n 1)" || die "idle connections: $IDLE_LINE"
log "$IDLE_LINE"
IDLE_AFTER_KIB="$(sed -n 's/.*rss_after_kib=\([0-9]*\).*/\1/p' <<<"$IDLE_LINE")"
IDLE_ROW="| rdv: $IDLE_COUNT idle keep-alive connections (département database) | RSS $(awk -v k="$IDLE_AFTER_KIB" 'BEGIN {printf "%.1f", k / 1024}') MiB in all | \`$IDLE_LINE\` |"
stop_rdv

"$PEER_BIN" --database "$DB" --host "$HOST" --port "$PEER_PORT" --log-level warning >"$TMP/peer.log" 2>&1 &
PEER_PID=$!; PIDS+=("$PEER_PID")
wait_ready "Hummingbird + GRDB" "$PEER_PORT" "$PEER_PID" "$TMP/peer.log"
measure "Hummingbird 2.28.1 + GRDB 7.10.0: creneaux, unknown motif" "$CONNS" \
    "http://$HOST:$PEER_PORT/api/v1/creneaux?motif_id=$UNKNOWN_MOTIF"
stop "$PEER_PID"

start_rdv info
measure "rdv: /health, access log on (to a file)" "$CONNS" "http://$HOST:$RDV_PORT/health"
stop_rdv

prefix="$TMP/nginx"
mkdir -p "$prefix/www"
printf ok >"$prefix/www/health"
nofile="$(ulimit -Hn)"; [[ "$nofile" == unlimited ]] && nofile=65536
sed -e "s|access_log off;|access_log __PREFIX__/access.log;|" -e "s|__PREFIX__|$prefix|g" -e "s|__ROOT__|$prefix/www|g" \
    -e "s|__PORT__|$NGINX_PORT|g" -e "s|__WORKERS__|auto|g" -e "s|__NOFILE__|$nofile|g" \
    -e "s|__WORKER_CONNECTIONS__|$((nofile - 100))|g" "$BENCH/nginx.conf.template" >"$prefix/nginx.conf"
nginx -p "$prefix/" -c "$prefix/nginx.conf" -e stderr >"$TMP/nginx.log" 2>&1 &
NGINX_PID=$!; PIDS+=("$NGINX_PID")
wait_ready nginx "$NGINX_PORT" "$NGINX_PID" "$TMP/nginx.log"
measure "nginx $(nginx -v 2>&1 | sed 's|.*nginx/||'): /health, access log on (to a file)" "$CONNS" \
    "http://$HOST:$NGINX_PORT/health"
stop "$NGINX_PID"

# ---------------------------------------------------------------- report
commit="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
[[ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null | head -n 1)" ]] && commit="$commit (dirty)"
REPORT="$(
    echo "# Application benchmark (make bench-app)"
    echo
    echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $commit"
    echo "- machine: $(nproc) CPUs, $(awk -F': *' '/^model name/ {print $2; exit}' /proc/cpuinfo), kernel $(uname -r)"
    echo "- data: \`rdv seed --scale departement\` ($BENCH_DB, copied); demo agent $AGENT_EMAIL"
    echo "- each run after a -d$WARMUP warm-up with the same -t/-c"
    echo
    echo "| what | status | connections | req/s | p50 (ms) | p99 (ms) | socket errors |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    printf '%s\n' "${ROWS[@]}"
    echo
    echo "| idle | memory | script output |"
    echo "| --- | --- | --- |"
    echo "$IDLE_ROW"
    echo
    printf -- '- %s\n' "${COMMANDS[@]}"
)"
mkdir -p "$RESULTS_DIR"
OUT_FILE="$RESULTS_DIR/app-$(date -u +%Y-%m-%d-%H%M%S).md"
printf '%s\n' "$REPORT" >"$OUT_FILE"
echo
printf '%s\n' "$REPORT"
echo "written to ${OUT_FILE#"$ROOT"/}"
