-- Sectorisation: sectors of a territory, their zones (cities or streets), and their attributions
-- to organisations or to agents of an organisation. domain.md §12; admin.md §5; slots.md §9.

CREATE TABLE sectors (
    id INTEGER PRIMARY KEY,
    territory_id INTEGER NOT NULL REFERENCES territories(id) ON DELETE CASCADE,
    name TEXT NOT NULL CHECK (name <> ''),
    human_id TEXT NOT NULL CHECK (human_id <> ''), -- the `sector_id` column of zone CSV files
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
    UNIQUE (territory_id, human_id)     -- domain.md §12; also indexes the FK
) STRICT;

-- A city zone (INSEE code) or a street zone (BAN id). Deleting a sector deletes its zones.
-- "city_code must start with the territory's departement_number" needs the territory row:
-- application rule (import « Simuler l'import » reports it).
CREATE TABLE zones (
    id INTEGER PRIMARY KEY,
    sector_id INTEGER NOT NULL REFERENCES sectors(id) ON DELETE CASCADE,
    level TEXT NOT NULL CHECK (level IN ('city', 'street')),
    city_name TEXT NOT NULL CHECK (city_name <> ''),
    city_code TEXT NOT NULL CHECK (city_code GLOB '[0-9][0-9AB][0-9][0-9][0-9]'),
    street_name TEXT,
    street_ban_id TEXT,
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
    -- street fields for street zones only, both required there
    CHECK (CASE level
        WHEN 'city' THEN street_name IS NULL AND street_ban_id IS NULL
        ELSE street_name IS NOT NULL AND street_name <> '' AND street_ban_id IS NOT NULL END),
    -- street_ban_id starts with '<city_code>_' and has something after it
    CHECK (street_ban_id IS NULL OR (substr(street_ban_id, 1, length(city_code) + 1) = city_code || '_'
                                     AND length(street_ban_id) > length(city_code) + 1))
) STRICT;
-- domain.md §12: city_code unique per sector for city zones.
CREATE UNIQUE INDEX zones_unique_city ON zones (sector_id, city_code) WHERE level = 'city';
-- domain.md §12: street_ban_id unique per sector for street zones.
CREATE UNIQUE INDEX zones_unique_street ON zones (sector_id, street_ban_id) WHERE level = 'street';
-- FK sector_id (the partial indexes cannot serve FK checks); zone counts per sector.
CREATE INDEX zones_sector_id ON zones (sector_id);
-- Sectorisation matching (slots.md §9): city zones matching an address's city_code.
CREATE INDEX zones_city_code ON zones (city_code, sector_id) WHERE level = 'city';
-- Sectorisation matching: street zones matching an address's street_ban_id.
CREATE INDEX zones_street_ban_id ON zones (street_ban_id, sector_id) WHERE level = 'street';

-- Level 'organisation' gives the sector to the organisation; level 'agent' to one agent of it
-- (the agent must have a role there: composite foreign key to agent_roles, so removing the agent
-- from the organisation removes the attribution).
CREATE TABLE sector_attributions (
    id INTEGER PRIMARY KEY,
    sector_id INTEGER NOT NULL REFERENCES sectors(id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE RESTRICT,
    level TEXT NOT NULL CHECK (level IN ('organisation', 'agent')),
    agent_id INTEGER REFERENCES agents(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
    -- agent_id is required for level agent, and absent for level organisation
    CHECK ((level = 'agent') = (agent_id IS NOT NULL)),
    FOREIGN KEY (agent_id, organisation_id) REFERENCES agent_roles (agent_id, organisation_id) ON DELETE CASCADE
) STRICT;
-- domain.md §12: unique per (sector, organisation, level, agent); agent_id is NULL at the
-- organisation level and NULLs never collide in a UNIQUE, hence two partial indexes.
CREATE UNIQUE INDEX sector_attributions_unique_organisation ON sector_attributions (sector_id, organisation_id)
    WHERE level = 'organisation';
CREATE UNIQUE INDEX sector_attributions_unique_agent ON sector_attributions (sector_id, organisation_id, agent_id)
    WHERE level = 'agent';
-- FK sector_id; a sector's attributions (matching sectors → organisations/agents).
CREATE INDEX sector_attributions_sector_id ON sector_attributions (sector_id, level);
-- FK organisation_id.
CREATE INDEX sector_attributions_organisation_id ON sector_attributions (organisation_id);
-- FKs agent_id and (agent_id, organisation_id).
CREATE INDEX sector_attributions_agent_id ON sector_attributions (agent_id, organisation_id);
