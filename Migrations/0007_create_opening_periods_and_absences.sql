-- Agendas: opening periods (plages d'ouverture) with their motifs, absences (indisponibilités),
-- and single-occurrence exceptions of recurring series. domain.md §7, §7b, §8; slots.md §2.
--
-- Recurrence is stored as the JSON object of slots.md §2 in a TEXT column (NULL = one occurrence
-- on first_day), validated by a CHECK: that JSON is already the exchanged form (API, import,
-- export), its `on` array and `day` object do not fit flat columns well, and the slot engine
-- expands it in Swift anyway. The only values SQL needs to filter on are first_day, the derived
-- recurrence_ends_at (end of the `until` day, NULL when endless) and the cached `expired` flag,
-- which are real columns. docs/schema.md explains the choice.

CREATE TABLE opening_periods (
    id INTEGER PRIMARY KEY,
    agent_id INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE RESTRICT,
    -- required when a linked motif is public_office (application rule); must be enabled and of
    -- the same organisation: the composite foreign key below enforces the latter.
    place_id INTEGER,
    title TEXT NOT NULL CHECK (title <> ''),
    first_day TEXT NOT NULL CHECK (first_day IS date(first_day, '+0 days')),
    start_time TEXT NOT NULL CHECK (start_time GLOB '[0-2][0-9]:[0-5][0-9]' AND start_time <= '23:59'),
    end_time TEXT NOT NULL CHECK (end_time GLOB '[0-2][0-9]:[0-5][0-9]' AND end_time <= '23:59'),
    recurrence TEXT,                    -- slots.md §2 JSON, see the header comment
    recurrence_ends_at INTEGER,         -- derived: end of the `until` day (UTC instant), NULL when endless
    expired INTEGER NOT NULL DEFAULT 0 CHECK (expired IN (0, 1)), -- cache refreshed nightly (booking.md §11)
    ics_sequence INTEGER NOT NULL DEFAULT 0 CHECK (ics_sequence >= 0), -- notifications.md §10 SEQUENCE
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
    CHECK (end_time > start_time),
    -- slots.md §2 recurrence format. One CHECK with CASE so malformed JSON is a CHECK failure,
    -- never a "malformed JSON" error from json_extract.
    CHECK (recurrence IS NULL OR CASE WHEN json_valid(recurrence) AND json_type(recurrence) = 'object' THEN
        coalesce(json_extract(recurrence, '$.every') IN ('week', 'month'), 0)
        AND coalesce(json_type(recurrence, '$.interval'), 'integer') = 'integer'
        AND coalesce(json_extract(recurrence, '$.interval'), 1) >= 1
        AND (json_type(recurrence, '$.on') IS NULL OR (json_extract(recurrence, '$.every') = 'week'
             AND json_type(recurrence, '$.on') = 'array' AND json_array_length(recurrence, '$.on') BETWEEN 1 AND 7))
        AND (json_type(recurrence, '$.day') IS NULL OR (json_extract(recurrence, '$.every') = 'month'
             AND json_type(recurrence, '$.day') = 'object'))
        AND (json_extract(recurrence, '$.starts') IS NULL
             OR substr(json_extract(recurrence, '$.starts'), 1, 10) = first_day)
        AND (json_extract(recurrence, '$.until') IS NULL
             OR (json_extract(recurrence, '$.until') IS date(json_extract(recurrence, '$.until'), '+0 days')
                 AND json_extract(recurrence, '$.until') > first_day))
        ELSE 0 END),
    -- recurrence_ends_at is set exactly when there is an `until`.
    CHECK (CASE WHEN recurrence IS NULL THEN recurrence_ends_at IS NULL
                WHEN json_valid(recurrence) THEN (recurrence_ends_at IS NULL) = (json_extract(recurrence, '$.until') IS NULL)
                ELSE 1 END),
    -- domain.md §7: "the agent has a role in the organisation". Removing the agent from the
    -- organisation (deleting the role) deletes its opening periods there (domain.md §4).
    FOREIGN KEY (agent_id, organisation_id) REFERENCES agent_roles (agent_id, organisation_id) ON DELETE CASCADE,
    FOREIGN KEY (place_id, organisation_id) REFERENCES places (id, organisation_id) ON DELETE RESTRICT
) STRICT;
-- FKs agent_id and (agent_id, organisation_id); an agent's periods (tabs « En cours » /
-- « Passées »), slot step 1 with an agent filter, and the overlap warning (same agent).
CREATE INDEX opening_periods_agent_id ON opening_periods (agent_id, organisation_id, expired);
-- FK organisation_id; the organisation's agendas and « Trouver un RDV » without agent filter.
CREATE INDEX opening_periods_organisation_id ON opening_periods (organisation_id, expired);
-- FK (place_id, organisation_id); slot step 1 "at the given place" and the per-place lists.
CREATE INDEX opening_periods_place_id ON opening_periods (place_id, organisation_id);
-- Nightly jobs: expiration refresh and deletion of periods ended ≥ 1 year ago (booking.md §11).
CREATE INDEX opening_periods_recurrence_ends_at ON opening_periods (expired, recurrence_ends_at);

-- domain.md §7: ≥ 1 motif per period (application rule: non-collective, non-deleted, same
-- organisation, holdable by the agent).
CREATE TABLE opening_period_motifs (
    id INTEGER PRIMARY KEY,
    opening_period_id INTEGER NOT NULL REFERENCES opening_periods(id) ON DELETE CASCADE,
    motif_id INTEGER NOT NULL REFERENCES motifs(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
    UNIQUE (opening_period_id, motif_id)
) STRICT;
-- FK motif_id; slot step 1 "periods linked to the motif" (slots.md §4), « Associé à au moins une
-- plage d'ouverture en cours » (admin.md §2).
CREATE INDEX opening_period_motifs_motif_id ON opening_period_motifs (motif_id, opening_period_id);

-- domain.md §8. An absence belongs to the agent and blocks it in every organisation.
CREATE TABLE absences (
    id INTEGER PRIMARY KEY,
    agent_id INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    -- optional: the organisation it was created from (history, webhooks, time zone).
    organisation_id INTEGER REFERENCES organisations(id) ON DELETE SET NULL,
    title TEXT NOT NULL CHECK (title <> ''),
    first_day TEXT NOT NULL CHECK (first_day IS date(first_day, '+0 days')),
    start_time TEXT NOT NULL CHECK (start_time GLOB '[0-2][0-9]:[0-5][0-9]' AND start_time <= '23:59'),
    end_day TEXT NOT NULL CHECK (end_day IS date(end_day, '+0 days')), -- defaults to first_day (set by the application)
    end_time TEXT NOT NULL CHECK (end_time GLOB '[0-2][0-9]:[0-5][0-9]' AND end_time <= '23:59'),
    recurrence TEXT,                    -- as opening_periods
    recurrence_ends_at INTEGER,
    expired INTEGER NOT NULL DEFAULT 0 CHECK (expired IN (0, 1)),
    ics_sequence INTEGER NOT NULL DEFAULT 0 CHECK (ics_sequence >= 0),
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
    -- end instant > start instant (same zone, so comparing local day + time is exact)
    CHECK (end_day > first_day OR (end_day = first_day AND end_time > start_time)),
    -- a multi-day absence cannot recur
    CHECK (recurrence IS NULL OR end_day = first_day),
    CHECK (recurrence IS NULL OR CASE WHEN json_valid(recurrence) AND json_type(recurrence) = 'object' THEN
        coalesce(json_extract(recurrence, '$.every') IN ('week', 'month'), 0)
        AND coalesce(json_type(recurrence, '$.interval'), 'integer') = 'integer'
        AND coalesce(json_extract(recurrence, '$.interval'), 1) >= 1
        AND (json_type(recurrence, '$.on') IS NULL OR (json_extract(recurrence, '$.every') = 'week'
             AND json_type(recurrence, '$.on') = 'array' AND json_array_length(recurrence, '$.on') BETWEEN 1 AND 7))
        AND (json_type(recurrence, '$.day') IS NULL OR (json_extract(recurrence, '$.every') = 'month'
             AND json_type(recurrence, '$.day') = 'object'))
        AND (json_extract(recurrence, '$.starts') IS NULL
             OR substr(json_extract(recurrence, '$.starts'), 1, 10) = first_day)
        AND (json_extract(recurrence, '$.until') IS NULL
             OR (json_extract(recurrence, '$.until') IS date(json_extract(recurrence, '$.until'), '+0 days')
                 AND json_extract(recurrence, '$.until') > first_day))
        ELSE 0 END),
    CHECK (CASE WHEN recurrence IS NULL THEN recurrence_ends_at IS NULL
                WHEN json_valid(recurrence) THEN (recurrence_ends_at IS NULL) = (json_extract(recurrence, '$.until') IS NULL)
                ELSE 1 END)
) STRICT;
-- FK agent_id; slot step 3 busy intervals: the candidate agents' absences over the range
-- (slots.md §12 "absences (agent, first day, end)").
CREATE INDEX absences_agent_id ON absences (agent_id, first_day, end_day);
-- FK organisation_id.
CREATE INDEX absences_organisation_id ON absences (organisation_id);
-- Nightly expiration refresh.
CREATE INDEX absences_recurrence_ends_at ON absences (expired, recurrence_ends_at);

-- domain.md §7b (beyond the original): a cancelled or moved single occurrence of a recurring
-- opening period or absence. The spec's (series_type, series_id) pair is stored as two nullable
-- foreign keys, exactly one set, so that "deleting the series deletes its exceptions" is an
-- ON DELETE CASCADE; series_type is a generated column for the spec's name.
CREATE TABLE occurrence_exceptions (
    id INTEGER PRIMARY KEY,
    opening_period_id INTEGER REFERENCES opening_periods(id) ON DELETE CASCADE,
    absence_id INTEGER REFERENCES absences(id) ON DELETE CASCADE,
    series_type TEXT GENERATED ALWAYS AS
        (CASE WHEN opening_period_id IS NOT NULL THEN 'opening_period' ELSE 'absence' END) VIRTUAL,
    date TEXT NOT NULL CHECK (date IS date(date, '+0 days')),   -- the original occurrence date
    cancelled INTEGER NOT NULL DEFAULT 0 CHECK (cancelled IN (0, 1)),
    day TEXT NOT NULL CHECK (day IS date(day, '+0 days')),      -- where it moves; = date by default (set by the application)
    start_time TEXT CHECK (start_time GLOB '[0-2][0-9]:[0-5][0-9]' AND start_time <= '23:59'),
    end_time TEXT CHECK (end_time GLOB '[0-2][0-9]:[0-5][0-9]' AND end_time <= '23:59'),
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
    CHECK ((opening_period_id IS NULL) <> (absence_id IS NULL)),
    -- times required when not cancelled; end > start (within `day`)
    CHECK (cancelled = 1 OR (start_time IS NOT NULL AND end_time IS NOT NULL)),
    CHECK ((start_time IS NULL) = (end_time IS NULL)),
    CHECK (end_time > start_time),
    -- "unique per series"; each UNIQUE also indexes its FK (NULLs never collide)
    UNIQUE (opening_period_id, date),
    UNIQUE (absence_id, date)
) STRICT;
