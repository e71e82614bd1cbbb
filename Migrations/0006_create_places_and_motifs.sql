-- Places (lieux) and motifs (appointment types with their booking rules). domain.md §5, §6;
-- admin.md §2 ("Lieux", "Motifs").

-- domain.md §5. Soft delete = availability 'disabled'; never hard-deleted from the UI, hence
-- RESTRICT from every referencing appointment or opening period.
CREATE TABLE places (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE RESTRICT,
    name TEXT NOT NULL CHECK (name <> ''),
    address TEXT NOT NULL CHECK (address <> ''), -- from the BAN autocomplete
    latitude REAL NOT NULL CHECK (latitude BETWEEN -90 AND 90),
    longitude REAL NOT NULL CHECK (longitude BETWEEN -180 AND 180),
    phone_number TEXT,
    phone_number_formatted TEXT CHECK (phone_number_formatted GLOB '+[1-9]*'),
    -- 'single_use' = "lieu ponctuel" created inline for one appointment; changing to or from it
    -- is refused by the application.
    availability TEXT NOT NULL DEFAULT 'enabled' CHECK (availability IN ('enabled', 'disabled', 'single_use')),
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
    -- Parent key of appointments/opening_periods(place_id, organisation_id): "the place belongs
    -- to the organisation" (domain.md §7, §9) is a foreign key, not just an application check.
    UNIQUE (id, organisation_id)
) STRICT;
-- FK organisation_id; "Lieux" list and GET /organisations/:id/lieux (enabled places).
CREATE INDEX places_organisation_id ON places (organisation_id, availability);

-- domain.md §6, every field. Hard delete only when the motif has no appointment (RESTRICT from
-- appointments); otherwise soft delete with deleted_at.
CREATE TABLE motifs (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE RESTRICT,
    -- must not be "Secrétariat" and must be active in the territory (application rules).
    service_id INTEGER NOT NULL REFERENCES services(id) ON DELETE RESTRICT,
    -- optional; must be enabled in the territory (application rule).
    motif_category_id INTEGER REFERENCES motif_categories(id) ON DELETE RESTRICT,
    name TEXT NOT NULL CHECK (name <> ''),
    -- domain.md §6: derived (ASCII-transliterated, lower-cased name, non-alphanumeric runs → '_',
    -- then '-<location_type>'); computed by the application on every save and stored so the
    -- public search can group and filter on it with an index.
    name_with_location_type TEXT NOT NULL
        CHECK (substr(name_with_location_type, -length(location_type) - 1) = '-' || location_type),
    color TEXT NOT NULL CHECK (color GLOB '#[0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f]'),
    default_duration_in_min INTEGER NOT NULL DEFAULT 30 CHECK (default_duration_in_min BETWEEN 1 AND 1440),
    location_type TEXT NOT NULL DEFAULT 'public_office'
        CHECK (location_type IN ('public_office', 'phone', 'home', 'visio')),
    bookable_by TEXT NOT NULL DEFAULT 'agents' CHECK (bookable_by IN (
        'agents', 'agents_and_prescripteurs', 'agents_and_prescripteurs_and_invited_users', 'everyone')),
    -- seconds; domain.md §6: both ≥ 1800 s and max > min.
    min_public_booking_delay INTEGER NOT NULL DEFAULT 1800 CHECK (min_public_booking_delay >= 1800),
    max_public_booking_delay INTEGER NOT NULL DEFAULT 7889238 CHECK (max_public_booking_delay >= 1800),
    visibility_type TEXT NOT NULL DEFAULT 'visible_and_notified'
        CHECK (visibility_type IN ('visible_and_notified', 'visible_and_not_notified', 'invisible')),
    sectorisation_level TEXT NOT NULL DEFAULT 'departement'
        CHECK (sectorisation_level IN ('departement', 'organisation', 'agent')),
    collectif INTEGER NOT NULL DEFAULT 0 CHECK (collectif IN (0, 1)),
    follow_up INTEGER NOT NULL DEFAULT 0 CHECK (follow_up IN (0, 1)),
    for_secretariat INTEGER NOT NULL DEFAULT 0 CHECK (for_secretariat IN (0, 1)),
    restriction_for_rdv TEXT,
    instruction_for_rdv TEXT,
    -- NULL = the default text « Voulez-vous vraiment annuler ce RDV ? » (kept in code, so the
    -- default can evolve without a data migration).
    custom_cancel_warning_message TEXT,
    rdvs_editable_by_user INTEGER NOT NULL DEFAULT 1 CHECK (rdvs_editable_by_user IN (0, 1)),
    rdvs_cancellable_by_user INTEGER NOT NULL DEFAULT 1 CHECK (rdvs_cancellable_by_user IN (0, 1)),
    deleted_at INTEGER,
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
    CHECK (max_public_booking_delay > min_public_booking_delay),
    -- « Les RDV collectifs doivent avoir lieu sur place »
    CHECK (collectif = 0 OR location_type = 'public_office'),
    -- for_secretariat together with follow_up is refused
    CHECK (NOT (for_secretariat = 1 AND follow_up = 1)),
    -- Parent key of appointments(motif_id, organisation_id, collectif, location_type). Because
    -- that foreign key has no ON UPDATE action, changing collectif or location_type (or the
    -- organisation) of a motif that has appointments fails: domain.md §6 "collectif and
    -- location_type cannot change once the motif has appointments".
    UNIQUE (id, organisation_id, collectif, location_type)
) STRICT;
-- domain.md §6: name unique among non-deleted motifs with the same (organisation,
-- location_type, service). Also serves the organisation's motif list.
CREATE UNIQUE INDEX motifs_unique_name ON motifs (organisation_id, location_type, service_id, name)
    WHERE deleted_at IS NULL;
-- FK organisation_id (the partial index above cannot serve FK checks).
CREATE INDEX motifs_organisation_id ON motifs (organisation_id);
-- FK service_id; "unchecking a service is refused while the territory has motifs of it".
CREATE INDEX motifs_service_id ON motifs (service_id);
-- FK motif_category_id; public search filter motif_category_short_name.
CREATE INDEX motifs_motif_category_id ON motifs (motif_category_id);
-- Public search: group and filter motifs by motif_name_with_location_type (slots.md §9).
CREATE INDEX motifs_name_with_location_type ON motifs (name_with_location_type) WHERE deleted_at IS NULL;
