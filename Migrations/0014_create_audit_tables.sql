-- Audit: record history (versions), the API call log, and super admin actions.
-- domain.md §0 (History), §13 (ApiCall); booking.md §11 (retention); admin.md §11.

-- domain.md §0: every create, update and destroy of the listed models. `changes` is the JSON
-- diff {"field": [before, after], …} (a create has null befores, a destroy null afters).
CREATE TABLE versions (
    id INTEGER PRIMARY KEY,
    item_type TEXT NOT NULL CHECK (item_type IN (
        'Appointment', 'Participation', 'User', 'UserProfile', 'OpeningPeriod', 'Absence', 'Motif',
        'Place', 'Agent', 'AgentRole', 'Organisation', 'Referent')),
    item_id INTEGER NOT NULL,           -- polymorphic and outliving its record: no foreign key
    event TEXT NOT NULL CHECK (event IN ('create', 'update', 'destroy')),
    changes TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(changes) AND json_type(changes) = 'object'),
    -- display string: "Marie DURAND", "Usager", "Marie DURAND (via API)". NULL once the retention
    -- job removes authors (booking.md §11).
    author TEXT,
    -- the organisation whose « Historique » shows it; SET NULL keeps the row.
    organisation_id INTEGER REFERENCES organisations(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;
-- « Historique » tab of a record (newest first) and blanking a deleted user's versions.
CREATE INDEX versions_item ON versions (item_type, item_id, created_at);
-- FK organisation_id; the organisation's history.
CREATE INDEX versions_organisation_id ON versions (organisation_id, created_at);
-- Retention: versions older than 1 / 5 years (booking.md §11).
CREATE INDEX versions_created_at ON versions (created_at);

-- domain.md §13 ApiCall: every authenticated API call; kept for one year.
CREATE TABLE api_calls (
    id INTEGER PRIMARY KEY,
    method TEXT NOT NULL CHECK (method IN ('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS')),
    path TEXT NOT NULL CHECK (path GLOB '/*'),
    host TEXT NOT NULL,
    controller TEXT NOT NULL,           -- the route's resource, e.g. 'rdvs'
    action TEXT NOT NULL,               -- e.g. 'index', 'show', 'create'
    agent_id INTEGER REFERENCES agents(id) ON DELETE SET NULL,
    -- api.md §2: the access-token/client/uid headers, or the trusted-partner signature.
    authentication_type TEXT NOT NULL CHECK (authentication_type IN ('access_token', 'shared_secret')),
    response_status INTEGER CHECK (response_status BETWEEN 100 AND 599),
    called_at INTEGER NOT NULL,         -- the spec's "at"
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;
-- Retention: delete calls older than 1 year (booking.md §11, 23:30).
CREATE INDEX api_calls_called_at ON api_calls (called_at);
-- FK agent_id; an agent's calls.
CREATE INDEX api_calls_agent_id ON api_calls (agent_id, called_at);

-- admin.md §11: back-office actions of super admins (« Se connecter en tant que » is logged,
-- permissions.md §1), kept with the operator's e-mail even if the account goes.
CREATE TABLE super_admin_actions (
    id INTEGER PRIMARY KEY,
    super_admin_id INTEGER REFERENCES super_admins(id) ON DELETE SET NULL,
    super_admin_email TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN (
        'sign_in_as_agent', 'create_territory', 'import_territory', 'export_territory', 'retry_outbox_message',
        'edit_catalogue')),
    target_type TEXT,                   -- e.g. 'Agent', 'Territory', 'OutboxMessage'
    target_id INTEGER,
    details TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details) AND json_type(details) = 'object'),
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
    CHECK ((target_type IS NULL) = (target_id IS NULL))
) STRICT;
-- FK super_admin_id.
CREATE INDEX super_admin_actions_super_admin_id ON super_admin_actions (super_admin_id, created_at);
-- The back-office log, newest first.
CREATE INDEX super_admin_actions_created_at ON super_admin_actions (created_at);
