#!/usr/bin/env bash
# make bench-api: a list endpoint of the API v1 with pagination, on the département data set,
# sustained with wrk (issue target: 1,000 reads/s for 60 s, p99 < 50 ms):
#   - GET /api/v1/organisations/1/users?page=2 (100 users in the api.md §7 shape and the §3
#     meta), authenticated by the access-token headers of a real `auth/sign_in`, each call logged;
#   - GET /api/v1/organisations/1/lieux, a short list, the same way;
#   - the users page through the Hummingbird 2 + GRDB 7 peer (Benchmarks/hummingbird-grdb), which
#     reads it the ordinary way (three queries for the page) and checks no token.
#
# Environment (all optional):
#   THREADS=2 CONNS=16 DURATION=60s WARMUP=5s   wrk settings
#   BENCH_DB=/tmp/rdv-bench-departement.sqlite3 seeded with `rdv seed --scale departement` when missing
#   RDV_PORT=8094 PEER_PORT=8095                ports (host 127.0.0.1)
#   SKIP_BUILD=1                                reuse the release binaries
#   RESULTS_DIR=Benchmarks/results              where api-<date>.md is written
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/Benchmarks"
cd "$ROOT"

THREADS="${THREADS:-2}"
CONNS="${CONNS:-16}"
DURATION="${DURATION:-60s}"
WARMUP="${WARMUP:-5s}"
BENCH_DB="${BENCH_DB:-/tmp/rdv-bench-departement.sqlite3}"
RDV_PORT="${RDV_PORT:-8094}"
PEER_PORT="${PEER_PORT:-8095}"
SKIP_BUILD="${SKIP_BUILD:-0}"
RESULTS_DIR="${RESULTS_DIR:-$BENCH/results}"
HOST=127.0.0.1
LIST="/api/v1/organisations/1/users?page=2"

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'bench-api: error: %s\n' "$*" >&2; exit 1; }

missing=()
for tool in wrk curl sqlite3; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
if ((${#missing[@]} > 0)); then
    log "installing ${missing[*]} (apt-get)"
    sudo=()
    [[ $(id -u) -eq 0 ]] || sudo=(sudo)
    "${sudo[@]}" apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

TMP="$(mktemp -d "${TMPDIR:-/tmp}/bench-api.XXXXXX")"
PIDS=()
stop() {  # stop PID: TERM, up to 5 s, then KILL
    kill -TERM "$1" 2>/dev/null || return 0
    for _ in $(seq 1 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do stop "$pid"; done
    rm -rf "$TMP"
}
trap cleanup EXIT

RDV_BIN="$ROOT/.build/release/rdv"
PEER_DIR="$BENCH/hummingbird-grdb"
PEER_BIN="$PEER_DIR/.build/release/HummingbirdGRDB"
if [[ "$SKIP_BUILD" != 1 ]]; then
    log "swift build -c release --product rdv"
    swift build -c release --product rdv
    log "swift build -c release --package-path Benchmarks/hummingbird-grdb"
    swift build -c release --package-path "$PEER_DIR"
fi
[[ -x "$RDV_BIN" && -x "$PEER_BIN" ]] || die "release binaries missing (build failed?)"
if [[ ! -f "$BENCH_DB" ]]; then
    log "rdv seed --scale departement --database $BENCH_DB"
    "$RDV_BIN" seed --scale departement --database "$BENCH_DB"
fi
DB="$TMP/rdv.sqlite3"
sqlite3 "$BENCH_DB" "VACUUM INTO '$DB'"
AGENT_EMAIL="$(sqlite3 "$DB" "SELECT a.email FROM agents a JOIN agent_roles r ON r.agent_id = a.id
    WHERE r.organisation_id = 1 AND r.access_level = 'admin' AND a.password_hash IS NOT NULL ORDER BY a.id LIMIT 1")"
[[ -n "$AGENT_EMAIL" ]] || die "no admin of organisation 1 with a password in $BENCH_DB"

wait_ready() {  # NAME PORT PID LOG
    for _ in $(seq 1 200); do
        kill -0 "$3" 2>/dev/null || { tail -n 30 "$4" >&2; die "$1 exited before it was ready"; }
        [[ "$(curl -s --max-time 1 "http://$HOST:$2/health" || true)" == ok ]] && { log "$1 ready on :$2"; return 0; }
        sleep 0.1
    done
    die "$1 did not answer on :$2/health within 20 s"
}
to_ms() {
    awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
        if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
        printf "%.2f", n }'
}
ROWS=()
COMMANDS=()
RPS=()
measure() {  # LABEL URL [wrk options…]
    local label="$1" url="$2"; shift 2
    local out="$TMP/wrk-${#ROWS[@]}.txt" status bytes rps p50 p99 errs non2xx
    status="$(curl -s -o "$TMP/body" -w '%{http_code}' "$@" "$url" || true)"
    bytes="$(wc -c <"$TMP/body")"
    log "$label: warm-up $WARMUP"
    wrk -t"$THREADS" -c"$CONNS" -d"$WARMUP" "$@" "$url" >/dev/null
    local cmd="wrk -t$THREADS -c$CONNS -d$DURATION --latency $url"
    log "$label: $cmd"
    wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$@" "$url" >"$out"
    sed 's/^/    /' "$out" >&2
    rps="$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$out")"
    p50="$(to_ms "$(awk '$1 == "50%" {print $2}' "$out")")"
    p99="$(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")"
    errs="$(awk '/Socket errors:/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$out")"
    non2xx="$(awk '/Non-2xx/ {print $5}' "$out")"
    RPS+=("${rps:-0}")
    ROWS+=("| $label | $status | $bytes | $CONNS | ${rps:-?} | $p50 | $p99 | ${errs:-0} / ${non2xx:-0} |")
    COMMANDS+=("$label: \`$cmd\`")
}

RDV_RATE_LIMITS=off RDV_LOG_LEVEL=warning "$RDV_BIN" serve --no-scheduler --host "$HOST" --port "$RDV_PORT" \
    --database "$DB" >"$TMP/rdv.log" 2>&1 &
RDV_PID=$!; PIDS+=("$RDV_PID")
wait_ready rdv "$RDV_PORT" "$RDV_PID" "$TMP/rdv.log"
HEADERS="$(curl -s -D - -o /dev/null -X POST "http://$HOST:$RDV_PORT/api/v1/auth/sign_in" \
    -H 'Content-Type: application/json' -d "{\"email\": \"$AGENT_EMAIL\", \"password\": \"demo-rdv-62\"}" | tr -d '\r')"
header() { sed -n "s/^$1: //Ip" <<<"$HEADERS"; }
[[ -n "$(header access-token)" ]] || die "auth/sign_in as $AGENT_EMAIL gave no access-token"
measure "rdv: $LIST (token, call logged)" "http://$HOST:$RDV_PORT$LIST" \
    -H "access-token: $(header access-token)" -H "client: $(header client)" -H "uid: $(header uid)"
# A short list too (the organisation's lieux: one page, a few records), for the 1,000 reads/s target.
measure "rdv: /api/v1/organisations/1/lieux (token, call logged)" "http://$HOST:$RDV_PORT/api/v1/organisations/1/lieux" \
    -H "access-token: $(header access-token)" -H "client: $(header client)" -H "uid: $(header uid)"
CALLS="$(sqlite3 "$DB" "SELECT count(*) FROM api_calls")"
stop "$RDV_PID"

"$PEER_BIN" --database "$DB" --host "$HOST" --port "$PEER_PORT" --log-level warning >"$TMP/peer.log" 2>&1 &
PEER_PID=$!; PIDS+=("$PEER_PID")
wait_ready "Hummingbird + GRDB" "$PEER_PORT" "$PEER_PID" "$TMP/peer.log"
measure "Hummingbird 2.28.1 + GRDB 7.10.0: the same page" "http://$HOST:$PEER_PORT$LIST"
stop "$PEER_PID"

mkdir -p "$RESULTS_DIR"
STAMP="$(date +%Y-%m-%d-%H%M%S)"
RESULT="$RESULTS_DIR/api-$STAMP.md"
RATIO="$(awk -v a="${RPS[0]}" -v b="${RPS[2]}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "?" }')"
{
    echo "# make bench-api, $STAMP"
    echo
    echo "Machine: $(nproc) cores, $(uname -sr). Database: the département seed ($(sqlite3 "$DB" "SELECT count(*) FROM users") users)."
    echo "Target (issue 15): 1,000 reads/s sustained for 60 s, p99 < 50 ms."
    echo
    echo "| what | status | bytes | connections | req/s | p50 ms | p99 ms | socket errors / non-2xx |"
    echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
    printf '%s\n' "${ROWS[@]}"
    echo
    echo "RDV / peer on the users page: ${RATIO}×. API calls logged by RDV during the runs: $CALLS."
    echo
    printf -- '- %s\n' "${COMMANDS[@]}"
} >"$RESULT"
cat "$RESULT"
log "written to $RESULT"
