-- Instance-wide settings and the instance operators (super admins).
-- README.md "Instance branding" (RDV_SECRET_KEY kept in the database when unset);
-- domain.md §13 SuperAdmin; booking.md §3.2 (sign-in and lockout fields); admin.md §11.
-- Conventions of every file: docs/schema.md.

-- One row per setting. Known keys: 'secret_key' (the generated instance secret used for link
-- tokens and encrypted fields when RDV_SECRET_KEY is unset, README.md).
CREATE TABLE instance_settings (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE CHECK (key <> ''),
    value TEXT NOT NULL,
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;

-- domain.md §13: e-mail unique, password hash and the agents' sign-in/lockout fields.
CREATE TABLE super_admins (
    id INTEGER PRIMARY KEY,
    -- domain.md §0: e-mails are stored trimmed and lower-cased.
    email TEXT NOT NULL UNIQUE CHECK (email <> '' AND email = lower(trim(email))),
    first_name TEXT,
    last_name TEXT,
    password_hash TEXT,                 -- booking.md §3.4 'scrypt$ln=15,r=8,p=1$<salt>$<key>'; NULL until set
    failed_sign_in_count INTEGER NOT NULL DEFAULT 0 CHECK (failed_sign_in_count >= 0),
    locked_until INTEGER,
    last_sign_in_at INTEGER,
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;
