#!/usr/bin/env bash
# make test-slow (issue 16): slowhttptest's three slow-client attacks against `rdv serve` on a
# seeded demo database, on loopback: slowloris (slow headers, -H), slow body (-B) and slow read
# (-X), each with CONNECTIONS connections. During each attack a normal client
# (Tests/Slow/slow_probe.py, a new connection per request) asks /health and a database-backed
# public page; the targets are p99 < 100 ms for both and RSS < 300 MB. Writes
# Benchmarks/results/slow-<date>.md and exits 1 when a target is missed.
#
# Environment (all optional):
#   CONNECTIONS=1000 ATTACK_SECONDS=40 PROBE_SECONDS=20  (CI: CONNECTIONS=1000 ATTACK_SECONDS=20 PROBE_SECONDS=10)
#   PORT=8096 SKIP_BUILD=1 (reuse the binary) RESULTS_DIR=Benchmarks/results
#   RDV_BIN=.build/release/rdv (CI passes the debug binary `make test` built, with SKIP_BUILD=1)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
CONNECTIONS="${CONNECTIONS:-1000}"
ATTACK_SECONDS="${ATTACK_SECONDS:-40}"
PROBE_SECONDS="${PROBE_SECONDS:-20}"
PORT="${PORT:-8096}"
SKIP_BUILD="${SKIP_BUILD:-0}"
RESULTS_DIR="${RESULTS_DIR:-$ROOT/Benchmarks/results}"
HOST=127.0.0.1
NOW="2026-12-07T08:30:00+01:00"

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'test-slow: error: %s\n' "$*" >&2; exit 1; }

missing=()
for tool in slowhttptest curl python3; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
if ((${#missing[@]} > 0)); then
    log "installing ${missing[*]} (apt-get)"
    sudo=()
    [[ $(id -u) -eq 0 ]] || sudo=(sudo)
    "${sudo[@]}" apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# slowhttptest and the server each hold CONNECTIONS descriptors.
ulimit -n "$(( CONNECTIONS * 2 + 1024 ))" 2>/dev/null || ulimit -n "$(ulimit -Hn)"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/test-slow.XXXXXX")"
PIDS=()
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$TMP"
}
trap cleanup EXIT

RDV_BIN="${RDV_BIN:-$ROOT/.build/release/rdv}"
if [[ "$SKIP_BUILD" != 1 ]]; then
    log "swift build -c release --product rdv"
    swift build -c release --product rdv
fi
[[ -x "$RDV_BIN" ]] || die "$RDV_BIN not found"
DB="$TMP/rdv.sqlite3"
"$RDV_BIN" migrate --database "$DB" >/dev/null
RDV_NOW="$NOW" "$RDV_BIN" seed --database "$DB" >/dev/null
# A database-backed public page: the availability API of the demo's first motif at its first place.
MOTIF="$(sqlite3 "$DB" "SELECT m.id FROM motifs m JOIN opening_period_motifs x ON x.motif_id = m.id WHERE m.collectif = 0 AND m.location_type = 'public_office' ORDER BY m.id LIMIT 1")"
PLACE="$(sqlite3 "$DB" "SELECT p.place_id FROM opening_periods p JOIN opening_period_motifs x ON x.opening_period_id = p.id WHERE x.motif_id = $MOTIF ORDER BY p.id LIMIT 1")"
PAGE="/api/v1/creneaux?motif_id=$MOTIF&lieu_id=$PLACE&from=2026-12-07&to=2026-12-13"

# The probe and the attack share loopback: the per-address limits are off, as in load tests.
RDV_RATE_LIMITS=off RDV_NOW="$NOW" RDV_LOG_LEVEL=warning "$RDV_BIN" serve --no-scheduler --host "$HOST" --port "$PORT" \
    --database "$DB" >"$TMP/rdv.log" 2>&1 &
RDV_PID=$!; PIDS+=("$RDV_PID")
for _ in $(seq 1 200); do
    [[ "$(curl -s --max-time 1 "http://$HOST:$PORT/health" || true)" == *ok* ]] && break
    kill -0 "$RDV_PID" 2>/dev/null || { tail -n 20 "$TMP/rdv.log" >&2; die "rdv exited"; }
    sleep 0.1
done
[[ "$(curl -s -o /dev/null -w '%{http_code}' "http://$HOST:$PORT$PAGE")" == 200 ]] || die "$PAGE does not answer 200"
START_RSS="$(awk '/^VmRSS:/ {printf "%.1f", $2 / 1024}' "/proc/$RDV_PID/status")"

ROWS=()
FAILED=0
attack() {  # LABEL slowhttptest-options…
    local label="$1"; shift
    local command=(slowhttptest -c "$CONNECTIONS" -i 10 -r 500 -l "$ATTACK_SECONDS" -g -o "$TMP/attack" "$@")
    log "$label: ${command[*]}"
    "${command[@]}" >"$TMP/attack.log" 2>&1 &
    local attack_pid=$!; PIDS+=("$attack_pid")
    sleep "$(( ATTACK_SECONDS / 4 ))"  # the connections are open by now
    local open
    open="$(ls "/proc/$RDV_PID/fd" | wc -l)"
    python3 Tests/Slow/slow_probe.py --port "$PORT" --pid "$RDV_PID" --path /health --path "$PAGE" \
        --seconds "$PROBE_SECONDS" >"$TMP/probe.json"
    wait "$attack_pid" 2>/dev/null || true
    local line
    line="$(python3 - "$TMP/probe.json" "$label" "$open" "$PAGE" <<'PY'
import json, sys
probe = json.load(open(sys.argv[1]))
label, fds, page = sys.argv[2], sys.argv[3], sys.argv[4]
health, db = probe["paths"]["/health"], probe["paths"][page]
def fmt(value):
    return "—" if value is None else f"{value:.1f}"
ok = all(p["p99_ms"] is not None and p["p99_ms"] < 100 and p["failures"] == 0 for p in (health, db)) \
    and probe["peak_rss_mib"] < 300
print(f"| {label} | {fds} | {health['count']} / {health['failures']} | {fmt(health['p50_ms'])} / {fmt(health['p99_ms'])} "
      f"| {db['count']} / {db['failures']} | {fmt(db['p50_ms'])} / {fmt(db['p99_ms'])} | {probe['peak_rss_mib']} "
      f"| {'met' if ok else '**not met**'} |")
PY
)"
    ROWS+=("$line")
    [[ "$line" == *"not met"* ]] && FAILED=1
    kill -0 "$RDV_PID" 2>/dev/null || die "rdv died during $label"
}

attack "slowloris (slow headers)" -H -x 24 -p 3 -u "http://$HOST:$PORT/"
attack "slow body (POST, 8 KiB declared)" -B -s 8192 -x 10 -p 3 -u "http://$HOST:$PORT/users/sign_in"
attack "slow read (window 1–32 B)" -X -w 1 -y 32 -n 5 -z 32 -k 3 -p 3 -u "http://$HOST:$PORT$PAGE"

mkdir -p "$RESULTS_DIR"
OUT="$RESULTS_DIR/slow-$(date +%Y-%m-%d-%H%M%S).md"
{
    echo "# make test-slow, $(date +%Y-%m-%d-%H%M%S)"
    echo
    echo "Machine: $(nproc) cores, $(uname -sr). \`$(basename "$(dirname "$RDV_BIN")")/rdv serve\` on the demo seed, $CONNECTIONS attacking"
    echo "connections per attack for ${ATTACK_SECONDS} s, the probe measuring for ${PROBE_SECONDS} s once they are open."
    echo "RSS before the attacks: $START_RSS MiB. Targets: p99 < 100 ms for both paths, RSS < 300 MB."
    echo
    echo "| attack | server fds | /health ok / failed | /health p50 / p99 ms | DB page ok / failed | DB page p50 / p99 ms | peak RSS MiB | target |"
    echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
    printf '%s\n' "${ROWS[@]}"
    echo
    echo "DB page: \`$PAGE\`."
} >"$OUT"
cat "$OUT"
log "written to $OUT"
exit "$FAILED"
