-- The embedded address service (contracts.md §6): addresses, streets and cities searchable
-- accent- and case-insensitively. `source` 'ban' rows come from `rdv addresses import` (a
-- re-import of a département replaces that département's rows); 'local' rows are what the
-- instance knows without an import (the sectorisation zones' cities and streets, the places'
-- addresses) and are rebuilt from them; a zone has no post code or position, a place no city
-- code, so those columns may be empty on 'local' rows only.
CREATE TABLE addresses (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL CHECK (source IN ('ban', 'local')),
    kind TEXT NOT NULL CHECK (kind IN ('housenumber', 'street', 'municipality')),
    label TEXT NOT NULL CHECK (label <> ''),
    -- <citycode>_<fantoir>, the street's BAN id; NULL for a city
    street_id TEXT CHECK (street_id IS NULL OR street_id GLOB '*_*'),
    city_code TEXT CHECK (city_code GLOB '[0-9][0-9AB][0-9][0-9][0-9]'),
    post_code TEXT CHECK (post_code GLOB '[0-9][0-9][0-9][0-9][0-9]'),
    city TEXT NOT NULL CHECK (city <> ''),
    departement TEXT NOT NULL CHECK (departement <> ''),
    latitude REAL CHECK (latitude BETWEEN -90 AND 90),
    longitude REAL CHECK (longitude BETWEEN -180 AND 180),
    CHECK (source = 'local' OR (city_code IS NOT NULL AND post_code IS NOT NULL AND latitude IS NOT NULL
                                AND longitude IS NOT NULL))
) STRICT;
-- the replacement of one département's imported rows
CREATE INDEX addresses_source_departement ON addresses (source, departement);
-- a zone's entry the import also holds (the search keeps the imported one)
CREATE INDEX addresses_source_city ON addresses (source, city_code, kind);

-- rowid = addresses.id; kept by the triggers below. Prefix indexes of 2–4 characters: people
-- search as they type (« rue de la p »), and a short prefix must not scan every token.
CREATE VIRTUAL TABLE address_search USING fts5(
    label, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4'
);

CREATE TRIGGER addresses_after_insert AFTER INSERT ON addresses BEGIN
    INSERT INTO address_search (rowid, label) VALUES (new.id, new.label);
END;

CREATE TRIGGER addresses_after_delete AFTER DELETE ON addresses BEGIN
    DELETE FROM address_search WHERE rowid = old.id;
END;

CREATE TRIGGER addresses_after_update AFTER UPDATE OF label ON addresses BEGIN
    UPDATE address_search SET label = new.label WHERE rowid = new.id;
END;
