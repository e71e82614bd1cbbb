#!/usr/bin/env bash
# make bench-pages: server time of the agenda pages on the département data set (issue 11):
#   - the week page of the busiest agent (its busiest week), target p99 < 30 ms;
#   - the day view of up to 10 agents of the organisation with the most agents, side by side
#     (the département seed has 9 per organisation), target p99 < 60 ms;
#   - the public slot week (« Choisissez un créneau », booking.md §2.2 step 7) of the on-site motif
#     open to users with the most opening periods, for a visitor, target p99 < 40 ms.
# Server time is the access log's duration_ms (request read → response written), over N
# sequential requests after a warm-up; the release binary, the access log on (log level info).
#
# Environment (all optional):
#   N=300 WARMUP=30                            measured and warm-up requests per page
#   BENCH_DB=/tmp/rdv-bench-departement.sqlite3 seeded with `rdv seed --scale departement` when missing
#   RDV_PORT=8094                              port (host 127.0.0.1)
#   SKIP_BUILD=1 RDV_BIN=…                     reuse .build/release/rdv (or another binary)
#   RESULTS_DIR=Benchmarks/results             where pages-<date>.md is written
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
N="${N:-300}"
WARMUP="${WARMUP:-30}"
BENCH_DB="${BENCH_DB:-/tmp/rdv-bench-departement.sqlite3}"
RDV_PORT="${RDV_PORT:-8094}"
SKIP_BUILD="${SKIP_BUILD:-0}"
RESULTS_DIR="${RESULTS_DIR:-$ROOT/Benchmarks/results}"
HOST=127.0.0.1
BASE="http://$HOST:$RDV_PORT"

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'bench-pages: error: %s\n' "$*" >&2; exit 1; }
command -v sqlite3 >/dev/null || die "sqlite3 is needed (apt-get install sqlite3)"
command -v curl >/dev/null || die "curl is needed"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/bench-pages.XXXXXX")"
RDV_PID=""
cleanup() {
    [[ -n "$RDV_PID" ]] && kill "$RDV_PID" 2>/dev/null && wait "$RDV_PID" 2>/dev/null
    rm -rf "$TMP"
}
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

# The busiest (agent, organisation, Monday-based week) by appointments, and a date in that week.
read -r AGENT ORG WEEK_DATE COUNT < <(sqlite3 -separator ' ' "$DB" "
    SELECT aa.agent_id, a.organisation_id, date(aa.starts_at, 'unixepoch', 'weekday 1', '-7 days'), count(*) AS n
    FROM appointment_agents aa JOIN appointments a ON a.id = aa.appointment_id
    GROUP BY 1, 2, 3 ORDER BY n DESC, 1 LIMIT 1")
AGENT_EMAIL="$(sqlite3 "$DB" "SELECT email FROM agents WHERE id = $AGENT")"
# The organisation with the most agents, its admin, up to 10 of its agents, and its busiest day.
read -r BIG_ORG < <(sqlite3 "$DB" "SELECT organisation_id FROM agent_roles GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
ADMIN_EMAIL="$(sqlite3 "$DB" "SELECT g.email FROM agent_roles r JOIN agents g ON g.id = r.agent_id
    WHERE r.organisation_id = $BIG_ORG AND r.access_level = 'admin' AND g.password_hash IS NOT NULL ORDER BY g.id LIMIT 1")"
AGENT_IDS=($(sqlite3 "$DB" "SELECT agent_id FROM agent_roles WHERE organisation_id = $BIG_ORG ORDER BY agent_id LIMIT 10"))
DAY="$(sqlite3 "$DB" "SELECT date(starts_at, 'unixepoch') FROM appointments WHERE organisation_id = $BIG_ORG
    GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")"
[[ -n "$AGENT_EMAIL" && -n "$ADMIN_EMAIL" ]] || die "no agent with a password found in $BENCH_DB"
QUERY="date=$DAY&view=day"
for id in "${AGENT_IDS[@]}"; do QUERY="$QUERY&agent_ids%5B%5D=$id"; done

curl -s -o /dev/null --max-time 1 "$BASE/" && die "port $RDV_PORT is already in use"
RDV_LOG_LEVEL=info "$RDV_BIN" serve --no-scheduler --host "$HOST" --port "$RDV_PORT" --database "$DB" \
    >"$TMP/rdv.log" 2>&1 &
RDV_PID=$!
for _ in $(seq 1 200); do
    [[ "$(curl -s --max-time 1 "$BASE/health" || true)" == ok ]] && break
    kill -0 "$RDV_PID" 2>/dev/null || { tail -n 20 "$TMP/rdv.log" >&2; die "rdv exited"; }
    sleep 0.1
done

sign_in() {  # EMAIL JAR: a real sign-in with the form's CSRF token
    local token
    token="$(curl -s -c "$2" "$BASE/agents/sign_in" | sed -n 's/.*name="authenticity_token" value="\([^"]*\)".*/\1/p' | head -n 1)"
    curl -s -o /dev/null -b "$2" -c "$2" --data-urlencode "authenticity_token=$token" \
        --data-urlencode "email=$1" --data-urlencode "password=demo-rdv-62" "$BASE/agents/sign_in"
}

# page LABEL JAR PATH TARGET [LOG_MATCH]: warm-up, N measured requests, p50/p99 of their
# duration_ms (the access-log lines containing LOG_MATCH, by default agent_agendas).
ROWS=()
page() {
    local label="$1" jar="$2" path="$3" target="$4" match="${5:-agent_agendas}" status before p50 p99 bytes
    status="$(curl -s -o "$TMP/page.html" -w '%{http_code}' -b "$2" "$BASE$path")"
    bytes="$(wc -c <"$TMP/page.html")"
    [[ "$status" == 200 ]] || die "$label: $path answered $status"
    for _ in $(seq 1 "$WARMUP"); do curl -s -o /dev/null -b "$jar" "$BASE$path"; done
    sleep 0.2  # the access log is written in the background: let the warm-up's lines land
    before="$(wc -l <"$TMP/rdv.log")"
    for _ in $(seq 1 "$N"); do curl -s -o /dev/null -b "$jar" "$BASE$path"; done
    sleep 0.2
    tail -n +"$((before + 1))" "$TMP/rdv.log" | grep -F "$match" | sed -n 's/.*duration_ms=\([0-9.]*\).*/\1/p' \
        | sort -n >"$TMP/durations.txt"
    local count
    count="$(wc -l <"$TMP/durations.txt")"
    ((count > 0)) || die "$label: no access-log line (log level info?)"
    p50="$(awk -v n="$count" 'NR == int((n + 1) * 0.50) {print}' "$TMP/durations.txt")"
    p99="$(awk -v n="$count" 'NR == int(n * 0.99 + 0.999) {print}' "$TMP/durations.txt")"
    log "$label: p50 ${p50} ms, p99 ${p99} ms ($count requests, target $target ms)"
    ROWS+=("| $label | $count | $bytes | $p50 | $p99 | < $target |")
}

sign_in "$AGENT_EMAIL" "$TMP/agent.jar"
page "week of agent $AGENT ($COUNT appointments, week of $WEEK_DATE)" "$TMP/agent.jar" \
    "/admin/organisations/$ORG/agent_agendas/$AGENT?date=$WEEK_DATE&view=week" 30
sign_in "$ADMIN_EMAIL" "$TMP/admin.jar"
page "day of ${#AGENT_IDS[@]} agents side by side ($DAY)" "$TMP/admin.jar" \
    "/admin/organisations/$BIG_ORG/agent_agendas/${AGENT_IDS[0]}?$QUERY" 60

# A visitor's week: the organisation's public link (no address, no sectorisation), the motif's
# service and name, the place of most of its periods.
read -r PUBLIC_MOTIF PUBLIC_ORG PUBLIC_SERVICE PUBLIC_PLACE < <(sqlite3 -separator ' ' "$DB" "
    SELECT m.id, m.organisation_id, m.service_id, p.place_id FROM motifs m
    JOIN opening_period_motifs x ON x.motif_id = m.id JOIN opening_periods p ON p.id = x.opening_period_id
    WHERE m.bookable_by = 'everyone' AND m.deleted_at IS NULL AND m.collectif = 0 AND m.location_type = 'public_office'
    GROUP BY m.id, p.place_id ORDER BY count(*) DESC, m.id LIMIT 1")
PUBLIC_NAME="$(sqlite3 "$DB" "SELECT name || '-public_office' FROM motifs WHERE id = $PUBLIC_MOTIF" | sed 's/ /%20/g; s/é/%C3%A9/g')"
: >"$TMP/visitor.jar"
page "public slot week of motif $PUBLIC_MOTIF at place $PUBLIC_PLACE" "$TMP/visitor.jar" \
    "/prendre_rdv?public_link_organisation_id=$PUBLIC_ORG&service_id=$PUBLIC_SERVICE&motif_name_with_location_type=$PUBLIC_NAME&lieu_id=$PUBLIC_PLACE" \
    40 "GET /prendre_rdv 200"

mkdir -p "$RESULTS_DIR"
OUT="$RESULTS_DIR/pages-$(date -u +%Y-%m-%d).md"
{
    echo "# make bench-pages, $(date -u +%Y-%m-%dT%H:%MZ)"
    echo
    echo "- data: \`rdv seed --scale departement\` ($BENCH_DB, copied); release build; $N sequential requests after $WARMUP"
    echo "- server time: the access log's duration_ms"
    echo
    echo "| page | requests | bytes | p50 (ms) | p99 (ms) | target (ms) |"
    echo "|---|---|---|---|---|---|"
    printf '%s\n' "${ROWS[@]}"
} >"$OUT"
log "written $OUT"
cat "$OUT"
