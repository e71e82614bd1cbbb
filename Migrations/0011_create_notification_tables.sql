-- Notification delivery: webhook endpoints, the transactional outbox (planned and due sends,
-- claimed by the scheduler), receipts (one per delivery attempt), and the development outbox
-- (« Boîte d'envoi »). notifications.md §1, §4, §7, §11, §12, §13; domain.md §13; api.md §6, §9.

-- domain.md §13: target_url http(s), unique per organisation; secret for X-Lapin-Signature.
CREATE TABLE webhook_endpoints (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    target_url TEXT NOT NULL CHECK (target_url LIKE 'http://_%' OR target_url LIKE 'https://_%'),
    secret TEXT NOT NULL CHECK (secret <> ''), -- HMAC key; shown once at creation (admin.md §3)
    -- JSON array of model names among rdv, absence, plage_ouverture, user, user_profile,
    -- organisation, motif, lieu, agent, agent_role, referent_assignation (notifications.md §13;
    -- element values are checked by the application: CHECK cannot iterate an array).
    subscriptions TEXT NOT NULL DEFAULT '["rdv","absence","plage_ouverture"]'
        CHECK (json_valid(subscriptions) AND json_type(subscriptions) = 'array'),
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
    UNIQUE (organisation_id, target_url) -- also indexes the FK
) STRICT;

-- notifications.md §1, §12: written in the business transaction; the scheduler claims due rows.
-- One row per recipient and channel ('email', 'sms'), per webhook delivery ('webhook'), and the
-- planned reminder ('reminder', key reminder:<appointment id>:<starts_at>), which fans out into
-- per-recipient rows when due. Webhook deliveries are outbox rows + receipts (channel webhook):
-- there is no separate deliveries table.
CREATE TABLE outbox_messages (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('reminder', 'email', 'sms', 'webhook')),
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
-- Scheduler claim (notifications.md §12), polled every 10 s:
--   SELECT … FROM outbox_messages WHERE status = 'pending' AND next_attempt_at <= :now
--   ORDER BY next_attempt_at
-- lease expiry (WHERE status = 'in_flight' AND lease_until < :now: few rows, filtered), and the
-- job dashboard's counts by status (super admin, admin.md §11).
CREATE INDEX outbox_messages_status_next_attempt_at ON outbox_messages (status, next_attempt_at);
-- FK appointment_id; "cancel the pending reminder of this appointment" (notifications.md §4).
CREATE INDEX outbox_messages_appointment_id ON outbox_messages (appointment_id, kind, status);
-- FK webhook_endpoint_id.
CREATE INDEX outbox_messages_webhook_endpoint_id ON outbox_messages (webhook_endpoint_id);
-- Webhook ordering: is there an earlier unsettled row for the same endpoint and record?
CREATE INDEX outbox_messages_ordering_key ON outbox_messages (ordering_key, id)
    WHERE ordering_key IS NOT NULL AND status IN ('pending', 'in_flight');

-- domain.md §13, notifications.md §11: one row per delivery attempt. Personal fields are blanked
-- after 6 months, rows deleted after 2 years (booking.md §11). References are SET NULL so that
-- deleting an appointment, a user or an endpoint keeps the statistics (admin.md §7 chart 8).
CREATE TABLE receipts (
    id INTEGER PRIMARY KEY,
    appointment_id INTEGER REFERENCES appointments(id) ON DELETE SET NULL,
    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    organisation_id INTEGER REFERENCES organisations(id) ON DELETE SET NULL,
    -- for receipts without an organisation, e.g. « Envoyer un SMS de test » (admin.md §3).
    territory_id INTEGER REFERENCES territories(id) ON DELETE SET NULL,
    webhook_endpoint_id INTEGER REFERENCES webhook_endpoints(id) ON DELETE SET NULL,
    -- the outbox row this attempt belongs to (it becomes sent in the same transaction).
    outbox_message_id INTEGER REFERENCES outbox_messages(id) ON DELETE SET NULL,
    -- rdv_created, rdv_updated, rdv_upcoming_reminder, rdv_cancelled, new_creneau_available, …:
    -- an open list in domain.md §13, so only non-empty snake_case is checked.
    event TEXT NOT NULL CHECK (event <> '' AND event NOT GLOB '*[^a-z0-9_.]*'),
    channel TEXT NOT NULL CHECK (channel IN ('sms', 'mail', 'webhook')),
    result TEXT NOT NULL CHECK (result IN ('processed', 'sent', 'delivered', 'failure')),
    error_message TEXT,
    sms_provider TEXT CHECK (sms_provider IN ('http_json', 'mail_to_sms', 'dev')),
    sms_count INTEGER CHECK (sms_count >= 1), -- concatenated parts (notifications.md §6)
    content TEXT,                       -- SMS text or e-mail subject
    sms_phone_number TEXT,
    email_address TEXT,
    idempotency_key TEXT,               -- the outbox key (several attempts share it)
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
    CHECK (channel = 'sms' OR (sms_provider IS NULL AND sms_count IS NULL AND sms_phone_number IS NULL)),
    CHECK (channel = 'mail' OR email_address IS NULL),
    CHECK (channel = 'webhook' OR webhook_endpoint_id IS NULL)
) STRICT;
-- FK appointment_id; « Historique des notifications » of an appointment, export column P.
CREATE INDEX receipts_appointment_id ON receipts (appointment_id);
-- FK user_id; blanking a deleted user's personal data.
CREATE INDEX receipts_user_id ON receipts (user_id);
-- FK organisation_id; notification stats per organisation and day.
CREATE INDEX receipts_organisation_id ON receipts (organisation_id, created_at);
-- FK territory_id.
CREATE INDEX receipts_territory_id ON receipts (territory_id);
-- FK webhook_endpoint_id.
CREATE INDEX receipts_webhook_endpoint_id ON receipts (webhook_endpoint_id);
-- FK outbox_message_id.
CREATE INDEX receipts_outbox_message_id ON receipts (outbox_message_id);
-- Retention (blank after 6 months, delete after 2 years) and global notification stats by day.
CREATE INDEX receipts_created_at ON receipts (created_at);
-- Duplicate suppression on retries after an unknown outcome.
CREATE INDEX receipts_idempotency_key ON receipts (idempotency_key);

-- notifications.md §7 `dev` provider and e-mails while RDV_SMTP_URL is unset (contracts.md §1):
-- the « Boîte d'envoi » page.
CREATE TABLE dev_outbox_messages (
    id INTEGER PRIMARY KEY,
    channel TEXT NOT NULL CHECK (channel IN ('sms', 'mail')),
    recipient TEXT NOT NULL CHECK (recipient <> ''), -- E.164 number or e-mail address
    subject TEXT,                       -- e-mails only
    body TEXT NOT NULL,                 -- SMS text, or the text part of the e-mail
    html_body TEXT,
    ics TEXT,                           -- the calendar attachment, if any
    territory_id INTEGER REFERENCES territories(id) ON DELETE SET NULL,
    outbox_message_id INTEGER REFERENCES outbox_messages(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
    CHECK (channel = 'mail' OR (subject IS NULL AND html_body IS NULL AND ics IS NULL))
) STRICT;
-- The page lists the newest first.
CREATE INDEX dev_outbox_messages_created_at ON dev_outbox_messages (created_at);
-- FK territory_id.
CREATE INDEX dev_outbox_messages_territory_id ON dev_outbox_messages (territory_id);
-- FK outbox_message_id.
CREATE INDEX dev_outbox_messages_outbox_message_id ON dev_outbox_messages (outbox_message_id);
