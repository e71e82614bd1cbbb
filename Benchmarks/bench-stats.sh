#!/usr/bin/env bash
# make bench-stats: server time of the statistics pages on the département data set (admin.md
# §7; targets: `/stats/<departement>` < 200 ms cold, < 10 ms cached): the two public pages, and
# the organisation page of the busiest organisation, signed in as its admin.
#   - cold: a fresh `rdv serve` per sample (empty cache, cold SQLite page cache of the process,
#     the file in the OS cache), first request's duration_ms, COLD samples;
#   - cached: N sequential requests after a warm-up, p50/p99 of duration_ms.
# Server time is the access log's duration_ms (request read → response written); release build.
#
# Environment (all optional):
#   N=300 WARMUP=30 COLD=7                     measured requests, warm-up, cold samples
#   BENCH_DB=/tmp/rdv-bench-departement.sqlite3 seeded with `rdv seed --scale departement` when missing
#   RDV_PORT=8095                              port (host 127.0.0.1)
#   SKIP_BUILD=1 RDV_BIN=…                     reuse .build/release/rdv (or another binary)
#   RESULTS_DIR=Benchmarks/results             where stats-<date>.md is written
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
N="${N:-300}"
WARMUP="${WARMUP:-30}"
COLD="${COLD:-7}"
BENCH_DB="${BENCH_DB:-/tmp/rdv-bench-departement.sqlite3}"
RDV_PORT="${RDV_PORT:-8095}"
SKIP_BUILD="${SKIP_BUILD:-0}"
RESULTS_DIR="${RESULTS_DIR:-$ROOT/Benchmarks/results}"
HOST=127.0.0.1
BASE="http://$HOST:$RDV_PORT"

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'bench-stats: error: %s\n' "$*" >&2; exit 1; }
command -v sqlite3 >/dev/null || die "sqlite3 is needed (apt-get install sqlite3)"
command -v curl >/dev/null || die "curl is needed"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/bench-stats.XXXXXX")"
RDV_PID=""
stop() { [[ -n "$RDV_PID" ]] && kill "$RDV_PID" 2>/dev/null && wait "$RDV_PID" 2>/dev/null; RDV_PID=""; }
cleanup() { stop || true; rm -rf "$TMP"; }
trap cleanup EXIT INT TERM

RDV_BIN="${RDV_BIN:-$ROOT/.build/release/rdv}"
if [[ "$SKIP_BUILD" != 1 ]]; then
    log "swift build -c release --product rdv"
    swift build -c release --product rdv
fi
[[ -x "$RDV_BIN" ]] || die "$RDV_BIN not found (build failed?)"
if [[ ! -f "$BENCH_DB" ]]; then
    log "rdv seed --scale departement --database $BENCH_DB"
    "$RDV_BIN" seed --scale departement --database "$BENCH_DB"
fi
DB="$TMP/rdv.sqlite3"
sqlite3 "$BENCH_DB" "VACUUM INTO '$DB'"
DEPARTEMENT="$(sqlite3 "$DB" "SELECT departement_number FROM territories t
    ORDER BY (SELECT count(*) FROM appointments a JOIN organisations o ON o.id = a.organisation_id WHERE o.territory_id = t.id) DESC LIMIT 1")"
APPOINTMENTS="$(sqlite3 "$DB" "SELECT count(*) FROM appointments")"
BIG_ORG="$(sqlite3 "$DB" "SELECT organisation_id FROM appointments GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")"
ADMIN_EMAIL="$(sqlite3 "$DB" "SELECT g.email FROM agent_roles r JOIN agents g ON g.id = r.agent_id
    WHERE r.organisation_id = $BIG_ORG AND r.access_level = 'admin' AND g.password_hash IS NOT NULL ORDER BY g.id LIMIT 1")"
[[ -n "$ADMIN_EMAIL" ]] || die "no admin with a password in organisation $BIG_ORG of $BENCH_DB"
curl -s -o /dev/null --max-time 1 "$BASE/" && die "port $RDV_PORT is already in use"

start() {
    RDV_LOG_LEVEL=info "$RDV_BIN" serve --no-scheduler --host "$HOST" --port "$RDV_PORT" --database "$DB" \
        >"$TMP/rdv.log" 2>&1 &
    RDV_PID=$!
    for _ in $(seq 1 200); do
        [[ "$(curl -s --max-time 1 "$BASE/health" || true)" == ok ]] && return
        kill -0 "$RDV_PID" 2>/dev/null || { tail -n 20 "$TMP/rdv.log" >&2; die "rdv exited"; }
        sleep 0.1
    done
    die "rdv did not answer /health"
}

# durations PATH: the duration_ms of the access-log lines of PATH, sorted.
durations() {
    sleep 0.2  # the access log is written in the background
    grep "GET $1 200$" "$TMP/rdv.log" | sed -n 's/.*duration_ms=\([0-9.]*\).*/\1/p' | sort -n
}
percentile() { awk -v n="$(wc -l <"$1")" -v q="$2" 'NR == int(n * q + 0.999) {print}' "$1"; }

JAR="$TMP/cookies.txt"
# sign_in EMAIL: a real sign-in with the form's CSRF token, kept in $JAR (empty: anonymous).
sign_in() {
    : >"$JAR"
    [[ -n "$1" ]] || return 0
    local token
    token="$(curl -s -c "$JAR" "$BASE/agents/sign_in" | sed -n 's/.*name="authenticity_token" value="\([^"]*\)".*/\1/p' | head -n 1)"
    curl -s -o /dev/null -b "$JAR" -c "$JAR" --data-urlencode "authenticity_token=$token" \
        --data-urlencode "email=$1" --data-urlencode "password=demo-rdv-62" "$BASE/agents/sign_in"
}

ROWS=()
for entry in "/stats/$DEPARTEMENT|" "/stats|" "/admin/organisations/$BIG_ORG/stats|$ADMIN_EMAIL"; do
    path="${entry%%|*}"
    email="${entry#*|}"
    : >"$TMP/cold.txt"
    for _ in $(seq 1 "$COLD"); do
        # Cold means the process's caches, not the disk's: the file is read into the OS cache first,
        # so a machine's I/O wait does not count as the page's time.
        cat "$DB" >/dev/null
        start
        sign_in "$email"
        status="$(curl -s -b "$JAR" -o "$TMP/page.html" -w '%{http_code}' "$BASE$path")"
        [[ "$status" == 200 ]] || die "$path answered $status"
        durations "$path" | head -n 1 >>"$TMP/cold.txt"
        stop
    done
    sort -n -o "$TMP/cold.txt" "$TMP/cold.txt"
    bytes="$(wc -c <"$TMP/page.html")"
    cold_p50="$(percentile "$TMP/cold.txt" 0.5)"
    cold_max="$(tail -n 1 "$TMP/cold.txt")"
    start
    sign_in "$email"
    for _ in $(seq 1 "$((WARMUP + 1))"); do curl -s -b "$JAR" -o /dev/null "$BASE$path"; done
    skip="$(durations "$path" | wc -l)"
    for _ in $(seq 1 "$N"); do curl -s -b "$JAR" -o /dev/null "$BASE$path"; done
    grep "GET $path 200$" "$TMP/rdv.log" | tail -n +"$((skip + 1))" | sed -n 's/.*duration_ms=\([0-9.]*\).*/\1/p' \
        | sort -n >"$TMP/cached.txt"
    stop
    cached_p50="$(percentile "$TMP/cached.txt" 0.5)"
    cached_p99="$(percentile "$TMP/cached.txt" 0.99)"
    log "$path: cold p50 $cold_p50 ms, max $cold_max ms ($COLD runs); cached p50 $cached_p50 ms, p99 $cached_p99 ms"
    ROWS+=("| \`$path\`${email:+ (signed in)} | $bytes | $cold_p50 | $cold_max | $cached_p50 | $cached_p99 |")
done

mkdir -p "$RESULTS_DIR"
OUT="$RESULTS_DIR/stats-$(date -u +%Y-%m-%d).md"
{
    echo "# make bench-stats, $(date -u +%Y-%m-%dT%H:%MZ)"
    echo
    echo "- data: \`rdv seed --scale departement\` ($APPOINTMENTS appointments; $BENCH_DB, copied); release build"
    echo "- cold: first request of a fresh server, $COLD runs; cached: $N sequential requests after $WARMUP"
    echo "- server time: the access log's duration_ms; targets: cold < 200 ms, cached < 10 ms (\`/stats/<departement>\`)"
    echo
    echo "| page | bytes | cold p50 (ms) | cold max (ms) | cached p50 (ms) | cached p99 (ms) |"
    echo "|---|---|---|---|---|---|"
    printf '%s\n' "${ROWS[@]}"
} >"$OUT"
log "written $OUT"
cat "$OUT"
