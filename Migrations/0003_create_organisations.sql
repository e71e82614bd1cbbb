-- Organisations (offices, agencies) of a territory. domain.md §2; admin.md §2–3.
-- Organisations are never deleted from the UI (domain.md §0), hence RESTRICT from territories.

CREATE TABLE organisations (
    id INTEGER PRIMARY KEY,
    -- domain.md §2: required and immutable (immutability is enforced by the application).
    territory_id INTEGER NOT NULL REFERENCES territories(id) ON DELETE RESTRICT,
    name TEXT NOT NULL CHECK (name <> ''),
    phone_number TEXT,                  -- a valid number or a 4-digit short number, as typed
    phone_number_formatted TEXT CHECK (phone_number_formatted GLOB '+[1-9]*'), -- E.164, NULL for short numbers
    email TEXT CHECK (email = lower(trim(email))),
    website TEXT,
    horaires TEXT,                      -- free-text opening hours
    external_id TEXT CHECK (external_id <> ''), -- /org/ext/<departement_number>/<external_id>
    verticale TEXT NOT NULL DEFAULT 'rdv_solidarites'
        CHECK (verticale IN ('rdv_insertion', 'rdv_solidarites', 'rdv_aide_numerique', 'rdv_mairie')),
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
    -- domain.md §2: name unique within the territory; external_id unique within the territory
    -- (NULLs never collide). Both UNIQUEs start with territory_id, so they also index the FK.
    UNIQUE (territory_id, name),
    UNIQUE (territory_id, external_id)
) STRICT;
