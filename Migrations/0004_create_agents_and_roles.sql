-- Agents, their services, their access level per organisation (AgentRole), territorial admin
-- roles and fine territorial rights. domain.md §4; permissions.md §1; booking.md §3.2.

CREATE TABLE agents (
    id INTEGER PRIMARY KEY,
    -- domain.md §4: unique when present; absent only for intervenants (cross-table rule, checked
    -- by the application). A soft-deleted agent's e-mail becomes agent_<id>@deleted.invalid (§0).
    email TEXT UNIQUE CHECK (email <> '' AND email = lower(trim(email))),
    first_name TEXT,                    -- required except for intervenants (application rule)
    last_name TEXT NOT NULL CHECK (last_name <> ''),
    external_id TEXT UNIQUE CHECK (external_id <> ''),
    password_hash TEXT,                 -- booking.md §3.4
    invitation_sent_at INTEGER,
    invitation_accepted_at INTEGER,
    invited_by_id INTEGER REFERENCES agents(id) ON DELETE SET NULL,
    failed_sign_in_count INTEGER NOT NULL DEFAULT 0 CHECK (failed_sign_in_count >= 0),
    locked_until INTEGER,
    last_sign_in_at INTEGER,
    rdv_notifications_level TEXT NOT NULL DEFAULT 'others'
        CHECK (rdv_notifications_level IN ('all', 'others', 'soon', 'none')),
    plage_ouverture_notification_level TEXT NOT NULL DEFAULT 'all'
        CHECK (plage_ouverture_notification_level IN ('all', 'none')),
    absence_notification_level TEXT NOT NULL DEFAULT 'all'
        CHECK (absence_notification_level IN ('all', 'none')),
    display_saturdays INTEGER NOT NULL DEFAULT 0 CHECK (display_saturdays IN (0, 1)),
    display_cancelled_rdv INTEGER NOT NULL DEFAULT 1 CHECK (display_cancelled_rdv IN (0, 1)),
    -- booking.md §10: secret webcal slug (parameterised name + "-" + UUID), regenerable.
    calendar_uid TEXT UNIQUE CHECK (calendar_uid <> ''),
    account_deletion_warning_sent_at INTEGER,
    deleted_at INTEGER,
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
    CHECK (invited_by_id IS NULL OR invited_by_id <> id),
    -- domain.md §0/§4: a deleted agent keeps no real e-mail.
    CHECK (deleted_at IS NULL OR email IS NULL OR email = 'agent_' || id || '@deleted.invalid')
) STRICT;
-- FK invited_by_id.
CREATE INDEX agents_invited_by_id ON agents (invited_by_id);

-- domain.md §3: an agent belongs to 1..n services (the "≥ 1" is an application rule).
CREATE TABLE agent_services (
    id INTEGER PRIMARY KEY,
    agent_id INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    service_id INTEGER NOT NULL REFERENCES services(id) ON DELETE RESTRICT,
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
    UNIQUE (agent_id, service_id)
) STRICT;
-- FK service_id; "confrères" (agents sharing a service) and per-service agent counts.
CREATE INDEX agent_services_service_id ON agent_services (service_id, agent_id);

-- domain.md §4 AgentRole: (agent, organisation) unique; the organisation never changes.
-- ON DELETE RESTRICT from agents: "Deleting an agent fails while the agent still has roles".
CREATE TABLE agent_roles (
    id INTEGER PRIMARY KEY,
    agent_id INTEGER NOT NULL REFERENCES agents(id) ON DELETE RESTRICT,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE RESTRICT,
    access_level TEXT NOT NULL CHECK (access_level IN ('basic', 'admin', 'intervenant')),
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
    -- Also the parent key of opening_periods(agent_id, organisation_id) and
    -- sector_attributions(agent_id, organisation_id): "the agent has a role in the organisation".
    UNIQUE (agent_id, organisation_id)
) STRICT;
-- FK organisation_id; the organisation's agents list and the last-admin invariant
-- (SELECT count(*) … WHERE organisation_id = ? AND access_level = 'admin').
CREATE INDEX agent_roles_organisation_id ON agent_roles (organisation_id, access_level);

-- domain.md §4 TerritorialRole ("Admin d'espace"): (agent, territory) unique.
CREATE TABLE territorial_roles (
    id INTEGER PRIMARY KEY,
    agent_id INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    territory_id INTEGER NOT NULL REFERENCES territories(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
    UNIQUE (agent_id, territory_id)
) STRICT;
-- FK territory_id; "a territory keeps at least one territorial admin".
CREATE INDEX territorial_roles_territory_id ON territorial_roles (territory_id);

-- domain.md §4 TerritorialAccessRights: (agent, territory) unique, three booleans, all false
-- when created automatically.
CREATE TABLE territorial_access_rights (
    id INTEGER PRIMARY KEY,
    agent_id INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    territory_id INTEGER NOT NULL REFERENCES territories(id) ON DELETE CASCADE,
    allow_to_manage_teams INTEGER NOT NULL DEFAULT 0 CHECK (allow_to_manage_teams IN (0, 1)),
    allow_to_manage_access_rights INTEGER NOT NULL DEFAULT 0 CHECK (allow_to_manage_access_rights IN (0, 1)),
    allow_to_invite_agents INTEGER NOT NULL DEFAULT 0 CHECK (allow_to_invite_agents IN (0, 1)),
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
    UNIQUE (agent_id, territory_id)
) STRICT;
-- FK territory_id.
CREATE INDEX territorial_access_rights_territory_id ON territorial_access_rights (territory_id);
