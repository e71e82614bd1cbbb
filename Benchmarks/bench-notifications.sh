#!/usr/bin/env bash
# make bench-notifications: e-mail delivery throughput of `rdv serve`'s outbox scheduler (claim,
# render MIME, SMTP over our sockets, record sent + receipt in SQLite) against a peer measured in
# the same run: Python's smtplib sending the same messages to the same local SMTP server
# (aiosmtpd), one connection per message like ours, with no database.
#
# Environment (optional): COUNT=2000 messages; SKIP_BUILD=1 reuses .build/release/rdv.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
COUNT="${COUNT:-2000}"
PYTHON="$ROOT/.venv/bin/python"
WORK="$(mktemp -d /tmp/rdv-bench-notifications.XXXXXX)"
log() { printf '==> %s\n' "$*" >&2; }
cleanup() {
    [[ -n "${RDV_PID:-}" ]] && kill -TERM "$RDV_PID" 2>/dev/null || true
    [[ -n "${SMTP_PID:-}" ]] && kill -KILL "$SMTP_PID" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM  # runs the EXIT trap: no rdv or aiosmtpd left behind

[[ -x "$PYTHON" ]] || make .venv/bin/python >/dev/null
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    log "building rdv (release)"
    swift build -c release --product rdv >/dev/null
fi

start_smtp() {  # $1: a directory; sets SMTP_PID and PORT
    mkdir -p "$1"
    "$PYTHON" Tests/NotificationsTests/Fixtures/smtp_server.py "$1/maildir" >"$1/port" 2>"$1/stderr" &
    SMTP_PID=$!
    for _ in $(seq 1 100); do [[ -s "$1/port" ]] && break; sleep 0.05; done
    PORT="$(cat "$1/port")"
    [[ -n "$PORT" ]] || { echo "bench-notifications: aiosmtpd did not start: $(cat "$1/stderr")" >&2; exit 1; }
}

now_ms() { date +%s%3N; }

# --- rdv: COUNT e-mail rows planned in one transaction, then `rdv serve` delivers them.
DB="$WORK/rdv.sqlite3"
.build/release/rdv migrate --database "$DB" >/dev/null
log "planning $COUNT e-mails"
sqlite3 "$DB" <<SQL
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $COUNT)
INSERT INTO outbox_messages (kind, payload, due_at, next_attempt_at, idempotency_key)
SELECT 'email',
       json_object('event', 'rdv_created', 'channel', 'mail', 'recipient', 'usager' || i || '@example.fr',
                   'subject', 'RDV confirmé le lundi 3 mai 2021 à 09h00',
                   'body', 'Votre RDV du lundi 3 mai 2021 à 09h00 a été confirmé.' || char(10) || char(10) ||
                           'Lieu : MDS Centre (10 rue de la Paix, 62000 Arras)' || char(10) || char(10) ||
                           'L''équipe RDV Service Public',
                   'html', '<p>Votre RDV du lundi 3 mai 2021 à 09h00 a été confirmé.</p>'),
       0, 0, 'bench:' || i
FROM n;
SQL
start_smtp "$WORK/rdv-smtp"
log "rdv serve delivering to aiosmtpd on port $PORT"
START=$(now_ms)
RDV_SMTP_URL="smtp://127.0.0.1:$PORT?starttls=off" RDV_LOG_LEVEL=error \
    .build/release/rdv serve --port 0 --database "$DB" >/dev/null 2>&1 &
RDV_PID=$!
DEADLINE=$(( $(now_ms) + 600000 ))
while [[ "$(sqlite3 "$DB" "SELECT count(*) FROM outbox_messages WHERE status = 'sent'")" -lt "$COUNT" ]]; do
    kill -0 "$RDV_PID" 2>/dev/null || { echo "bench-notifications: rdv serve exited" >&2; exit 1; }
    (( $(now_ms) < DEADLINE )) || { echo "bench-notifications: not delivered within 10 minutes" >&2; exit 1; }
    sleep 0.05
done
RDV_MS=$(( $(now_ms) - START ))
kill -TERM "$RDV_PID"; wait "$RDV_PID" 2>/dev/null || true; RDV_PID=""
RECEIPTS=$(sqlite3 "$DB" "SELECT count(*) FROM receipts WHERE result = 'processed'")
DELIVERED=$(ls "$WORK/rdv-smtp/maildir/new" | wc -l)
kill -KILL "$SMTP_PID"; wait "$SMTP_PID" 2>/dev/null || true; SMTP_PID=""

# --- peer: Python smtplib, the same messages, one connection each, nothing recorded.
start_smtp "$WORK/peer-smtp"
log "Python smtplib delivering to aiosmtpd on port $PORT"
PEER_MS=$("$PYTHON" - "$PORT" "$COUNT" <<'PY'
import smtplib, sys, time
from email.message import EmailMessage
port, count = int(sys.argv[1]), int(sys.argv[2])
start = time.monotonic()
for i in range(1, count + 1):
    m = EmailMessage()
    m["From"], m["To"] = "ne-pas-repondre@localhost", f"usager{i}@example.fr"
    m["Subject"] = "RDV confirmé le lundi 3 mai 2021 à 09h00"
    m.set_content("Votre RDV du lundi 3 mai 2021 à 09h00 a été confirmé.\n\nLieu : MDS Centre (10 rue de la Paix, 62000 Arras)\n\nL'équipe RDV Service Public")
    m.add_alternative("<p>Votre RDV du lundi 3 mai 2021 à 09h00 a été confirmé.</p>", subtype="html")
    with smtplib.SMTP("127.0.0.1", port) as s:
        s.send_message(m)
print(int((time.monotonic() - start) * 1000))
PY
)
kill -KILL "$SMTP_PID"; wait "$SMTP_PID" 2>/dev/null || true; SMTP_PID=""

python3 - "$COUNT" "$RDV_MS" "$PEER_MS" "$RECEIPTS" "$DELIVERED" <<'PY'
import sys
count, rdv, peer, receipts, delivered = map(int, sys.argv[1:])
print(f"messages: {count}; delivered to the server: {delivered}; receipts recorded: {receipts}")
print(f"rdv scheduler (SQLite claim + MIME + SMTP + receipt): {rdv} ms, {count * 1000 / rdv:.0f} msg/s")
print(f"Python smtplib (SMTP only, nothing recorded):        {peer} ms, {count * 1000 / peer:.0f} msg/s")
print(f"ratio rdv / peer: {peer / rdv:.2f}")
PY
