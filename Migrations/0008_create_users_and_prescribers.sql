-- Users (usagers) with their relatives, per-organisation user profiles, referents, and external
-- prescribers. domain.md §11, §4 (Referent), §13 (Prescriber); booking.md §3.3, §5, §11.

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    first_name TEXT NOT NULL CHECK (first_name <> ''),
    last_name TEXT NOT NULL CHECK (last_name <> ''),
    birth_name TEXT,
    -- not in the future, not more than 130 years ago: relative to "now", so checked by the
    -- application (CHECK constraints must be deterministic).
    birth_date TEXT CHECK (birth_date IS date(birth_date, '+0 days')),
    -- unique when present; trimmed and lower-cased (domain.md §0).
    email TEXT UNIQUE CHECK (email <> '' AND email = lower(trim(email))),
    phone_number TEXT,                  -- as typed
    phone_number_formatted TEXT CHECK (phone_number_formatted GLOB '+[1-9]*'), -- E.164
    address TEXT,
    address_details TEXT,
    post_code TEXT CHECK (post_code GLOB '[0-9][0-9][0-9][0-9][0-9]'),
    city_name TEXT,
    city_code TEXT CHECK (city_code GLOB '[0-9][0-9AB][0-9][0-9][0-9]'), -- INSEE code (2A/2B for Corsica)
    latitude REAL CHECK (latitude BETWEEN -90 AND 90),
    longitude REAL CHECK (longitude BETWEEN -180 AND 180),
    caisse_affiliation TEXT CHECK (caisse_affiliation IN ('aucune', 'caf', 'msa')),
    affiliation_number TEXT,
    family_situation TEXT,
    number_of_children INTEGER CHECK (number_of_children >= 0),
    case_number TEXT,
    notes TEXT,
    logement TEXT CHECK (logement IN ('sdf', 'heberge', 'en_accession_propriete', 'proprietaire', 'autre', 'locataire')),
    ants_pre_demande_number TEXT CHECK (ants_pre_demande_number GLOB
        '[A-Z0-9][A-Z0-9][A-Z0-9][A-Z0-9][A-Z0-9][A-Z0-9][A-Z0-9][A-Z0-9][A-Z0-9][A-Z0-9]'),
    notify_by_sms INTEGER NOT NULL DEFAULT 1 CHECK (notify_by_sms IN (0, 1)),
    notify_by_email INTEGER NOT NULL DEFAULT 1 CHECK (notify_by_email IN (0, 1)),
    -- domain.md §11 relatives. RESTRICT: the retention job deletes relatives first and keeps a
    -- responsible while one of their relatives is kept (booking.md §11).
    responsible_id INTEGER REFERENCES users(id) ON DELETE RESTRICT,
    created_through TEXT NOT NULL DEFAULT 'unknown' CHECK (created_through IN (
        'agent_creation', 'user_sign_up', 'user_relative_creation', 'agent_creation_api', 'prescripteur', 'unknown')),
    -- invitation links for agents_and_prescripteurs_and_invited_users motifs; looked up by token.
    rdv_invitation_token TEXT UNIQUE CHECK (rdv_invitation_token GLOB
        '[A-Z0-9][A-Z0-9][A-Z0-9][A-Z0-9][A-Z0-9][A-Z0-9][A-Z0-9][A-Z0-9]'),
    rdv_invitation_token_created_at INTEGER,
    password_hash TEXT,
    confirmed_at INTEGER,
    failed_sign_in_count INTEGER NOT NULL DEFAULT 0 CHECK (failed_sign_in_count >= 0),
    locked_until INTEGER,
    last_sign_in_at INTEGER,
    invitation_created_at INTEGER,      -- « Inviter à créer un compte »
    invitation_accepted_at INTEGER,
    -- set when an agent or the user edits the file (not system updates); retention uses
    -- max(created_at, last_modified_at).
    last_modified_at INTEGER,
    deleted_at INTEGER,
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
    -- a user cannot be their own responsible (the 2-cycle "responsible of their responsible" is
    -- an application rule: it needs another row)
    CHECK (responsible_id <> id),
    -- a relative has no login
    CHECK (responsible_id IS NULL OR password_hash IS NULL),
    CHECK ((rdv_invitation_token IS NULL) = (rdv_invitation_token_created_at IS NULL)),
    CHECK ((latitude IS NULL) = (longitude IS NULL)),
    -- domain.md §11: an anonymised user keeps no real e-mail.
    CHECK (deleted_at IS NULL OR email IS NULL OR email = 'user_' || id || '@deleted.invalid')
) STRICT;
-- FK responsible_id; a user's relatives (« Mes proches », notification routing, retention).
CREATE INDEX users_responsible_id ON users (responsible_id);
-- Duplicate detection (same first name + last name + birth date) and ranked search on last name.
CREATE INDEX users_names ON users (last_name, first_name, birth_date);
-- Duplicate detection on phone and prescriber reuse (first name + last name + phone, booking.md §5.1).
CREATE INDEX users_phone_number_formatted ON users (phone_number_formatted);
-- Retention job: users without modification for 2 years (booking.md §11).
CREATE INDEX users_last_modified_at ON users (last_modified_at);

-- domain.md §11 UserProfile: "this organisation knows this user"; (user, organisation) unique.
CREATE TABLE user_profiles (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE RESTRICT,
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
    UNIQUE (user_id, organisation_id)
) STRICT;
-- FK organisation_id; "agents only see users who have a profile in the current organisation"
-- (users list, GET /organisations/:id/users).
CREATE INDEX user_profiles_organisation_id ON user_profiles (organisation_id, user_id);

-- domain.md §4 Referent ("referent_assignation" in the API): (user, agent) unique.
CREATE TABLE referents (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    agent_id INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
    UNIQUE (user_id, agent_id)          -- follow_up agent filter: the user's referents (slots.md §5)
) STRICT;
-- FK agent_id; the users an agent follows.
CREATE INDEX referents_agent_id ON referents (agent_id);

-- domain.md §13 Prescriber: a third party (no account) who booked for a beneficiary; it is the
-- author (created_by_type 'Prescripteur', created_by_id) of what it booked.
CREATE TABLE prescribers (
    id INTEGER PRIMARY KEY,
    first_name TEXT NOT NULL CHECK (first_name <> ''),
    last_name TEXT NOT NULL CHECK (last_name <> ''),
    email TEXT NOT NULL CHECK (email <> '' AND email = lower(trim(email))),
    phone_number TEXT,
    phone_number_formatted TEXT CHECK (phone_number_formatted GLOB '+[1-9]*'),
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;
