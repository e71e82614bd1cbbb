-- Appointments (rdvs), their agents, their participations (users with their own status), and the
-- waiting list. domain.md §9, §10, §13 (WaitingListEntry); booking.md §1, §6, §8; slots.md §3, §6.

CREATE TABLE appointments (
    id INTEGER PRIMARY KEY,
    -- domain.md §0: v4 uuid, never changes; ICS UID and visio URL. Lower-case canonical form.
    uuid TEXT NOT NULL UNIQUE CHECK (uuid GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
    -- = the motif's organisation: enforced by the composite foreign key to motifs below.
    organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE RESTRICT,
    motif_id INTEGER NOT NULL,          -- never changes after creation
    -- Copies of the motif's collectif and location_type, kept equal by the composite foreign key
    -- (they cannot change once the motif has appointments, domain.md §6). They let SQL check the
    -- collective-only rules and "place required for public_office" below.
    collectif INTEGER NOT NULL CHECK (collectif IN (0, 1)),
    location_type TEXT NOT NULL CHECK (location_type IN ('public_office', 'phone', 'home', 'visio')),
    -- required for public_office (below); not disabled (application rule); may be single_use;
    -- belongs to the organisation (composite foreign key below).
    place_id INTEGER,
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    duration_in_min INTEGER GENERATED ALWAYS AS ((ends_at - starts_at) / 60) VIRTUAL,
    status TEXT NOT NULL DEFAULT 'unknown' CHECK (status IN ('unknown', 'seen', 'excused', 'revoked', 'noshow')),
    cancelled_at INTEGER,               -- set/cleared by status changes (transition table, domain.md §9)
    context TEXT,                       -- territory toggle enable_context_field
    name TEXT,                          -- collective only: « Intitulé »
    max_participants_count INTEGER CHECK (max_participants_count > 0), -- collective only; NULL = unlimited
    users_count INTEGER NOT NULL DEFAULT 0 CHECK (users_count >= 0), -- cached count of non-cancelled participations
    -- domain.md §9 origin (API created_by: agent, user, prescripteur, file_attente). Polymorphic,
    -- so no foreign key; created_by_id may be NULL (import has no author, FileAttente has none).
    created_by_type TEXT NOT NULL CHECK (created_by_type IN ('Agent', 'User', 'Prescripteur', 'FileAttente')),
    created_by_id INTEGER,
    arrived_at INTEGER,                 -- « Salle d'attente »
    ics_sequence INTEGER NOT NULL DEFAULT 0 CHECK (ics_sequence >= 0), -- notifications.md §10 SEQUENCE
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
    CHECK (ends_at > starts_at),
    -- start year ≥ 2018 in every French zone: 2018-01-01 00:00 at UTC+4 (Réunion), the earliest
    -- local New Year. "start ≤ now + 5 years" depends on now: application rule.
    CHECK (starts_at >= 1514750400),
    -- cancelled_at is set exactly for the statuses whose transition sets it (noshow, excused,
    -- revoked) and cleared for unknown and seen (domain.md §9 transitions).
    CHECK ((cancelled_at IS NOT NULL) = (status IN ('excused', 'revoked', 'noshow'))),
    -- name and max_participants_count are for collective appointments only.
    CHECK (collectif = 1 OR (name IS NULL AND max_participants_count IS NULL)),
    -- a collective appointment only allows unknown, seen and revoked.
    CHECK (collectif = 0 OR status IN ('unknown', 'seen', 'revoked')),
    CHECK (location_type <> 'public_office' OR place_id IS NOT NULL),
    FOREIGN KEY (motif_id, organisation_id, collectif, location_type)
        REFERENCES motifs (id, organisation_id, collectif, location_type) ON DELETE RESTRICT,
    FOREIGN KEY (place_id, organisation_id) REFERENCES places (id, organisation_id) ON DELETE RESTRICT,
    -- Parent key of appointment_agents' copy of the schedule (see below).
    UNIQUE (id, starts_at, ends_at, status)
) STRICT;
-- FK organisation_id; « Liste des RDV », exports, stats by organisation and date.
CREATE INDEX appointments_organisation_id ON appointments (organisation_id, starts_at);
-- FK (motif_id, …); collective slots: the motif's upcoming appointments by start (slots.md §8),
-- "a participant already has an appointment for this motif that day".
CREATE INDEX appointments_motif_id ON appointments (motif_id, organisation_id, collectif, location_type, starts_at);
-- FK (place_id, organisation_id); collective slots at a place; duplicate detection.
CREATE INDEX appointments_place_id ON appointments (place_id, organisation_id, starts_at);
-- Retention job: appointments that started ≥ 2 years ago (booking.md §11).
CREATE INDEX appointments_starts_at ON appointments (starts_at);

-- domain.md §9: the agents of an appointment; (agent, appointment) unique.
-- starts_at, ends_at and status are copies of the appointment's, kept in sync by the composite
-- foreign key's ON UPDATE CASCADE (never by hand), so the agenda and the slot engine read an
-- agent's appointments over a range with one index range scan (slots.md §12: "indexes on
-- appointments (agent, starts_at, ends_at)").
CREATE TABLE appointment_agents (
    id INTEGER PRIMARY KEY,
    appointment_id INTEGER NOT NULL,
    -- RESTRICT: deleting an agent is forbidden when it has appointments (domain.md §0).
    agent_id INTEGER NOT NULL REFERENCES agents(id) ON DELETE RESTRICT,
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    status TEXT NOT NULL,
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
    FOREIGN KEY (appointment_id, starts_at, ends_at, status)
        REFERENCES appointments (id, starts_at, ends_at, status) ON DELETE CASCADE ON UPDATE CASCADE,
    UNIQUE (appointment_id, agent_id)   -- also indexes the appointment FK
) STRICT;
-- Slot step 3 and the agenda: an agent's appointments in a time range, any organisation
--   SELECT starts_at, ends_at FROM appointment_agents
--   WHERE agent_id IN (…) AND starts_at < :end AND ends_at > :begin
--     AND status IN ('unknown', 'seen', 'noshow')
-- (covering index); also "fewest appointments that day" (slots.md §6), the webcal feed, the
-- « RDV à renseigner » badge and the benign overlap warnings (domain.md §9).
CREATE INDEX appointment_agents_agent_id ON appointment_agents (agent_id, starts_at, ends_at, status);

-- domain.md §10. (appointment, user) unique; status as §9, independent of the appointment's.
CREATE TABLE participations (
    id INTEGER PRIMARY KEY,
    appointment_id INTEGER NOT NULL REFERENCES appointments(id) ON DELETE CASCADE,
    -- RESTRICT: the retention job deletes only users with no participation left (booking.md §11).
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
    status TEXT NOT NULL DEFAULT 'unknown' CHECK (status IN ('unknown', 'seen', 'excused', 'revoked', 'noshow')),
    -- defaults follow the motif's visibility_type (application).
    send_lifecycle_notifications INTEGER NOT NULL CHECK (send_lifecycle_notifications IN (0, 1)),
    send_reminder_notification INTEGER NOT NULL CHECK (send_reminder_notification IN (0, 1)),
    created_by_type TEXT NOT NULL CHECK (created_by_type IN ('Agent', 'User', 'Prescripteur', 'FileAttente')),
    created_by_id INTEGER,
    created_by_agent_prescripteur INTEGER NOT NULL DEFAULT 0 CHECK (created_by_agent_prescripteur IN (0, 1)),
    -- link secret tkn = HMAC(instance secret, "<id>:<token_created_at>"); valid 12 weeks.
    token_created_at INTEGER,
    -- permissions.md §4: five failed 3-letter checks block the token for 15 minutes.
    token_failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (token_failed_attempts >= 0),
    token_locked_until INTEGER,
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
    CHECK (created_by_agent_prescripteur = 0 OR created_by_type = 'Agent'),
    UNIQUE (appointment_id, user_id)
) STRICT;
-- FK user_id; « Mes rendez-vous » (self and relatives), the user file, family rule in collectives.
CREATE INDEX participations_user_id ON participations (user_id);

-- domain.md §13, booking.md §8: (appointment, user) unique; at most 3 notifications, one per day.
CREATE TABLE waiting_list_entries (
    id INTEGER PRIMARY KEY,
    appointment_id INTEGER NOT NULL REFERENCES appointments(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    notifications_sent INTEGER NOT NULL DEFAULT 0 CHECK (notifications_sent BETWEEN 0 AND 3),
    last_creneau_sent_at INTEGER,
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
    CHECK ((notifications_sent = 0) = (last_creneau_sent_at IS NULL)),
    UNIQUE (appointment_id, user_id)
) STRICT;
-- FK user_id.
CREATE INDEX waiting_list_entries_user_id ON waiting_list_entries (user_id);
