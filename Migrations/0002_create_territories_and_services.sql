-- Territories (tenants) with their settings, the national service and motif-category catalogues,
-- and their activation per territory. domain.md §1, §3, §6 (MotifCategory); admin.md §3.

CREATE TABLE territories (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL CHECK (name <> ''),
    -- domain.md §1: ≤ 3 chars ("62", "2A", "974"); unique when present (it names the territory in
    -- /org/ext/<departement_number>/… and /stats/<departement_number>).
    departement_number TEXT UNIQUE CHECK (
        departement_number GLOB '[0-9][0-9]'
        OR departement_number GLOB '[0-9][0-9][0-9]'
        OR departement_number IN ('2A', '2B')),
    -- README.md "Time": derived from the département, overridable by a super admin (IANA name).
    time_zone TEXT NOT NULL DEFAULT 'Europe/Paris' CHECK (time_zone <> ''),
    phone_number TEXT,
    -- notifications.md §7. NULL = unset: the instance's RDV_SMS_PROVIDER applies.
    sms_provider TEXT CHECK (sms_provider IN ('none', 'http_json', 'mail_to_sms', 'dev')),
    -- domain.md §1: provider credentials, a JSON object encrypted at rest with the instance
    -- secret; stored as the base64 ciphertext, so no json_valid() CHECK here.
    sms_configuration TEXT,
    -- domain.md §1: optional user fields ("Champs optionnels").
    enable_notes_field INTEGER NOT NULL DEFAULT 0 CHECK (enable_notes_field IN (0, 1)),
    enable_logement_field INTEGER NOT NULL DEFAULT 0 CHECK (enable_logement_field IN (0, 1)),
    enable_caisse_affiliation_field INTEGER NOT NULL DEFAULT 0 CHECK (enable_caisse_affiliation_field IN (0, 1)),
    enable_affiliation_number_field INTEGER NOT NULL DEFAULT 0 CHECK (enable_affiliation_number_field IN (0, 1)),
    enable_family_situation_field INTEGER NOT NULL DEFAULT 0 CHECK (enable_family_situation_field IN (0, 1)),
    enable_number_of_children_field INTEGER NOT NULL DEFAULT 0 CHECK (enable_number_of_children_field IN (0, 1)),
    enable_case_number INTEGER NOT NULL DEFAULT 0 CHECK (enable_case_number IN (0, 1)),
    enable_address_details INTEGER NOT NULL DEFAULT 0 CHECK (enable_address_details IN (0, 1)),
    -- domain.md §1: appointment fields ("Champs du RDV").
    enable_context_field INTEGER NOT NULL DEFAULT 0 CHECK (enable_context_field IN (0, 1)),
    enable_waiting_room_mail_field INTEGER NOT NULL DEFAULT 0 CHECK (enable_waiting_room_mail_field IN (0, 1)),
    enable_waiting_room_color_field INTEGER NOT NULL DEFAULT 0 CHECK (enable_waiting_room_color_field IN (0, 1)),
    visible_users_throughout_the_territory INTEGER NOT NULL DEFAULT 0
        CHECK (visible_users_throughout_the_territory IN (0, 1)),
    -- slots.md §3: holidays (computed, never stored).
    open_on_sundays_and_holidays INTEGER NOT NULL DEFAULT 0 CHECK (open_on_sundays_and_holidays IN (0, 1)),
    whit_monday_is_holiday INTEGER NOT NULL DEFAULT 0 CHECK (whit_monday_is_holiday IN (0, 1)),
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;

-- domain.md §3: the national catalogue; name and short_name unique case-insensitively
-- (NOCASE folds ASCII letters only; the application also compares accent-folded names).
-- "Secrétariat" and "Service social" are recognised by name (permissions.md §1).
CREATE TABLE services (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (name <> ''),
    short_name TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (short_name <> ''),
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;

-- domain.md §1: activated services, a unique pair. A catalogue entry in use cannot be deleted.
CREATE TABLE territory_services (
    id INTEGER PRIMARY KEY,
    territory_id INTEGER NOT NULL REFERENCES territories(id) ON DELETE CASCADE,
    service_id INTEGER NOT NULL REFERENCES services(id) ON DELETE RESTRICT,
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
    UNIQUE (territory_id, service_id)
) STRICT;
-- FK service_id; "number of the territory's agents per service" / "is this service active anywhere".
CREATE INDEX territory_services_service_id ON territory_services (service_id);

-- domain.md §6 MotifCategory: national; name and short_name both unique.
CREATE TABLE motif_categories (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (name <> ''),
    short_name TEXT NOT NULL UNIQUE CHECK (short_name <> ''),
    requires_ants_number INTEGER NOT NULL DEFAULT 0 CHECK (requires_ants_number IN (0, 1)),
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;

-- domain.md §1, §6: categories enabled for each territory separately.
CREATE TABLE territory_motif_categories (
    id INTEGER PRIMARY KEY,
    territory_id INTEGER NOT NULL REFERENCES territories(id) ON DELETE CASCADE,
    motif_category_id INTEGER NOT NULL REFERENCES motif_categories(id) ON DELETE RESTRICT,
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
    UNIQUE (territory_id, motif_category_id)
) STRICT;
-- FK motif_category_id.
CREATE INDEX territory_motif_categories_motif_category_id ON territory_motif_categories (motif_category_id);
