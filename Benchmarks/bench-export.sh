#!/usr/bin/env bash
# make bench-export: « Exporter » on the département data set (admin.md §8): an agent member of
# every organisation of the busiest territory exports « Toutes » (every appointment there,
# at least 20,000), as XLSX and as CSV, through the real form and the real `rdv serve` scheduler.
# Measured: the job's own time (the "export ready" log line's ms, read ids → file closed), the
# rows, the file size, and the server's peak resident memory (VmHWM) after each export.
# Targets (issue 12): < 10 s and < 200 MB RSS for 20,000 appointments.
#
# Environment (all optional):
#   BENCH_DB=/tmp/rdv-bench-departement.sqlite3 seeded with `rdv seed --scale departement` when missing
#   RDV_PORT=8095  SKIP_BUILD=1 RDV_BIN=…  RESULTS_DIR=Benchmarks/results
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BENCH_DB="${BENCH_DB:-/tmp/rdv-bench-departement.sqlite3}"
RDV_PORT="${RDV_PORT:-8095}"
SKIP_BUILD="${SKIP_BUILD:-0}"
RESULTS_DIR="${RESULTS_DIR:-$ROOT/Benchmarks/results}"
HOST=127.0.0.1
BASE="http://$HOST:$RDV_PORT"

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'bench-export: error: %s\n' "$*" >&2; exit 1; }
command -v sqlite3 >/dev/null || die "sqlite3 is needed (apt-get install sqlite3)"
command -v curl >/dev/null || die "curl is needed"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/bench-export.XXXXXX")"
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

# The territory with the most appointments; one of its admins becomes admin of its first
# organisations until they hold TARGET appointments (an agent of several organisations exporting
# « Toutes »). TARGET=0: every organisation of the territory.
TARGET="${TARGET:-20000}"
read -r TERRITORY < <(sqlite3 "$DB" "
    SELECT o.territory_id FROM appointments a JOIN organisations o ON o.id = a.organisation_id
    GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
read -r AGENT FIRST_ORG < <(sqlite3 -separator ' ' "$DB" "
    SELECT r.agent_id, r.organisation_id FROM agent_roles r JOIN agents g ON g.id = r.agent_id
    JOIN organisations o ON o.id = r.organisation_id
    WHERE o.territory_id = $TERRITORY AND r.access_level = 'admin' AND g.password_hash IS NOT NULL
    ORDER BY r.agent_id LIMIT 1")
[[ -n "$AGENT" ]] || die "no admin with a password in territory $TERRITORY"
# Organisations in id order with the running count of appointments before each one.
CHOSEN="(SELECT id FROM (SELECT o.id, sum(count(a.id)) OVER (ORDER BY o.id ROWS UNBOUNDED PRECEDING) - count(a.id) AS before
    FROM organisations o LEFT JOIN appointments a ON a.organisation_id = o.id WHERE o.territory_id = $TERRITORY
    GROUP BY o.id) WHERE $TARGET = 0 OR before < $TARGET)"
sqlite3 "$DB" "DELETE FROM agent_roles WHERE agent_id = $AGENT AND organisation_id NOT IN $CHOSEN;
    INSERT OR IGNORE INTO agent_roles (agent_id, organisation_id, access_level, created_at, updated_at)
    SELECT $AGENT, id, 'admin', 0, 0 FROM $CHOSEN"
EMAIL="$(sqlite3 "$DB" "SELECT email FROM agents WHERE id = $AGENT")"
ORGS="$(sqlite3 "$DB" "SELECT count(*) FROM agent_roles WHERE agent_id = $AGENT")"
APPOINTMENTS="$(sqlite3 "$DB" "SELECT count(*) FROM appointments WHERE organisation_id IN $CHOSEN")"
((APPOINTMENTS >= TARGET)) || die "territory $TERRITORY has only $APPOINTMENTS appointments (< $TARGET)"
log "territory $TERRITORY: $APPOINTMENTS appointments in $ORGS organisations; agent $AGENT"

curl -s -o /dev/null --max-time 1 "$BASE/" && die "port $RDV_PORT is already in use"
RDV_LOG_LEVEL=info RDV_EXPORTS_DIRECTORY="$TMP/exports" "$RDV_BIN" serve --host "$HOST" --port "$RDV_PORT" \
    --database "$DB" >"$TMP/rdv.log" 2>&1 &
RDV_PID=$!
for _ in $(seq 1 200); do
    [[ "$(curl -s --max-time 1 "$BASE/health" || true)" == ok ]] && break
    kill -0 "$RDV_PID" 2>/dev/null || { tail -n 20 "$TMP/rdv.log" >&2; die "rdv exited"; }
    sleep 0.1
done

JAR="$TMP/agent.jar"
token() { sed -n 's/.*name="authenticity_token" value="\([^"]*\)".*/\1/p' | head -n 1; }
TOKEN="$(curl -s -c "$JAR" "$BASE/agents/sign_in" | token)"
curl -s -o /dev/null -b "$JAR" -c "$JAR" --data-urlencode "authenticity_token=$TOKEN" \
    --data-urlencode "email=$EMAIL" --data-urlencode "password=demo-rdv-62" "$BASE/agents/sign_in"
rss_peak_mb() { awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$RDV_PID/status"; }

ROWS=()
export_once() {  # TYPE FORMAT
    local type="$1" format="$2" token before status line ms rows file bytes
    token="$(curl -s -b "$JAR" "$BASE/admin/organisations/$FIRST_ORG/rdvs" | token)"
    [[ -n "$token" ]] || die "no CSRF token on « Liste des RDV »"
    before="$(sqlite3 "$DB" "SELECT coalesce(max(id), 0) FROM exports")"
    status="$(curl -s -o /dev/null -w '%{http_code}' -b "$JAR" --data-urlencode "authenticity_token=$token" \
        --data-urlencode "organisation_id=$FIRST_ORG" --data-urlencode "organisation_ids[]=all" \
        --data-urlencode "export_type=$type" --data-urlencode "export_format=$format" "$BASE/agents/exports")"
    [[ "$status" == 303 ]] || die "POST /agents/exports answered $status"
    for _ in $(seq 1 1200); do  # the job runs in the server: wait for its row to say so (≤ 120 s)
        status="$(sqlite3 "$DB" "SELECT status FROM exports WHERE id > $before ORDER BY id LIMIT 1")"
        [[ "$status" == ready || "$status" == failed ]] && break
        sleep 0.1
    done
    [[ "$status" == ready ]] || { tail -n 20 "$TMP/rdv.log" >&2; die "$type $format: export $status"; }
    sleep 0.2  # the log line is written in the background
    line="$(grep 'export ready' "$TMP/rdv.log" | tail -n 1)"
    ms="$(sed -n 's/.*ms=\([0-9]*\).*/\1/p' <<<"$line")"
    rows="$(sed -n 's/.*rows=\([0-9]*\).*/\1/p' <<<"$line")"
    file="$(ls -t "$TMP/exports" | head -n 1)"
    bytes="$(wc -c <"$TMP/exports/$file")"
    log "$type $format: $rows rows in $ms ms, $bytes bytes, server peak RSS $(rss_peak_mb) MB"
    ROWS+=("| $type | $format | $rows | $ms | $((bytes / 1024)) | $(rss_peak_mb) |")
}

log "server peak RSS before any export: $(rss_peak_mb) MB"
RSS_BEFORE="$(rss_peak_mb)"
export_once rdv_export xlsx
export_once rdv_export csv
export_once participations_export xlsx
export_once participations_export csv

mkdir -p "$RESULTS_DIR"
OUT="$RESULTS_DIR/export-$(date -u +%Y-%m-%d).md"
{
    echo "# make bench-export, $(date -u +%Y-%m-%dT%H:%MZ)"
    echo
    echo "- data: \`rdv seed --scale departement\` ($BENCH_DB, copied); $APPOINTMENTS appointments of $ORGS organisations"
    echo "  of territory $TERRITORY, exported with « Toutes » by one agent made admin of each; release build"
    echo "- time: the job's own (\"export ready\" log line); RSS: the server's VmHWM after each export"
    echo "  (peak of the whole process, $RSS_BEFORE MB before the first export); targets < 10,000 ms, < 200 MB"
    echo
    echo "| type | format | rows | job (ms) | file (KiB) | server peak RSS (MB) |"
    echo "|---|---|---|---|---|---|"
    printf '%s\n' "${ROWS[@]}"
} >"$OUT"
log "written $OUT"
cat "$OUT"
