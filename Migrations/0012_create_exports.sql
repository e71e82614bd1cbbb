-- Asynchronous spreadsheet exports of appointments or participations. domain.md §13;
-- admin.md §6 (« Vos exports »), §8; booking.md §11 (hourly deletion of expired files).

CREATE TABLE exports (
    -- domain.md §0 says an export's id is a uuid. The project convention keeps an integer
    -- primary key everywhere; the uuid is the public id (URLs, file links) in its own column.
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE CHECK (uuid GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
    export_type TEXT NOT NULL CHECK (export_type IN ('rdv_export', 'participations_export')),
    format TEXT NOT NULL CHECK (format IN ('xlsx', 'csv')),
    -- the owner: only it may download; its exports go with it.
    agent_id INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    -- JSON array of organisation ids (a snapshot of the selection, like the filters).
    organisation_ids TEXT NOT NULL CHECK (json_valid(organisation_ids) AND json_type(organisation_ids) = 'array'
                                         AND json_array_length(organisation_ids) >= 1),
    options TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(options) AND json_type(options) = 'object'), -- list filters
    file_name TEXT,                     -- e.g. export-rdv-2026-06-01-org-000123.xlsx, set when computed
    -- pending until the job has written the file; failed keeps the error.
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'ready', 'failed')),
    error_message TEXT,
    computed_at INTEGER,
    expires_at INTEGER,                 -- computed_at + 6 h
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
    CHECK ((status = 'ready') = (computed_at IS NOT NULL)),
    CHECK ((computed_at IS NULL) = (expires_at IS NULL)),
    CHECK (expires_at = computed_at + 21600),
    CHECK (status <> 'ready' OR file_name IS NOT NULL),
    CHECK (file_name IS NULL OR file_name GLOB 'export-*.' || format)
) STRICT;
-- FK agent_id; « Vos exports » lists the agent's last 2 weeks, newest first.
CREATE INDEX exports_agent_id ON exports (agent_id, created_at);
-- Hourly job: delete expired export files (booking.md §11).
CREATE INDEX exports_expires_at ON exports (expires_at) WHERE expires_at IS NOT NULL;
