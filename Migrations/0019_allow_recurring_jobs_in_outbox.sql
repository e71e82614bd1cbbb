-- Recurring jobs as outbox rows (booking.md §8 the waiting list, every 10 minutes): a `job` row
-- names its job in the payload, runs with the scheduler's claim, lease and retries, and plans the
-- next run in the same transaction, so a run is never lost or done twice (notifications.md §12).
-- Only the kind's CHECK changes; the table is rebuilt as in 0016
-- (https://www.sqlite.org/lang_altertable.html §7).

CREATE TABLE outbox_messages_new (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('reminder', 'email', 'sms', 'webhook', 'export', 'job')),
    -- what to build and send: event, recipient, record ids; for webhooks the complete body,
    -- built before a destroy (notifications.md §13).
    payload TEXT NOT NULL CHECK (json_valid(payload) AND json_type(payload) = 'object'),
    due_at INTEGER NOT NULL,            -- the planned moment (reminder) or the creation instant
    next_attempt_at INTEGER NOT NULL,   -- = due_at, then pushed back by the retry policy
    -- unique: <event>:<event id>:<recipient>:<channel>, reminder:<appointment id>:<starts_at>[…],
    -- webhook:<endpoint id>:<event id> (notifications.md §12).
    idempotency_key TEXT NOT NULL UNIQUE CHECK (idempotency_key <> ''),
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'in_flight', 'sent', 'failed', 'cancelled')),
    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts BETWEEN 0 AND 20), -- at most 20 attempts
    claimed_at INTEGER,                 -- when the current/last worker claimed it
    lease_until INTEGER,                -- claimed_at + 2 min; an expired lease makes the row due again
    last_error TEXT,
    sent_at INTEGER,
    -- the appointment concerned: lets a cancellation or a move find and cancel the pending
    -- reminder; SET NULL so a deleted appointment's row stays and is cancelled at send time.
    appointment_id INTEGER REFERENCES appointments(id) ON DELETE SET NULL,
    webhook_endpoint_id INTEGER REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
    -- Webhook ordering (notifications.md §13): 'webhook:<endpoint id>:<model>:<record id>'; a row
    -- waits while an earlier row (lower id) with the same key is pending or in flight.
    ordering_key TEXT,
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
    CHECK (next_attempt_at >= due_at),
    CHECK (status <> 'in_flight' OR (claimed_at IS NOT NULL AND lease_until IS NOT NULL)),
    CHECK (lease_until IS NULL OR (claimed_at IS NOT NULL AND lease_until > claimed_at)),
    CHECK ((status = 'sent') = (sent_at IS NOT NULL)),
    CHECK ((kind = 'webhook') = (webhook_endpoint_id IS NOT NULL)),
    CHECK (kind <> 'webhook' OR ordering_key IS NOT NULL)
) STRICT;

INSERT INTO outbox_messages_new SELECT * FROM outbox_messages;
DROP TABLE outbox_messages;
ALTER TABLE outbox_messages_new RENAME TO outbox_messages;

CREATE INDEX outbox_messages_status_next_attempt_at ON outbox_messages (status, next_attempt_at);
CREATE INDEX outbox_messages_appointment_id ON outbox_messages (appointment_id, kind, status);
CREATE INDEX outbox_messages_webhook_endpoint_id ON outbox_messages (webhook_endpoint_id);
CREATE INDEX outbox_messages_ordering_key ON outbox_messages (ordering_key, id)
    WHERE ordering_key IS NOT NULL AND status IN ('pending', 'in_flight');
