-- Authentication: sessions, sign-in identities, single-use account links, e-mail sign-in codes
-- and API tokens. booking.md §3, §4; permissions.md §4; domain.md §13 (Identity); api.md §2.
-- Secrets are never stored: only their SHA-256 (sessions, links, API tokens) or an HMAC (codes).

-- booking.md §3.1: the principal is an agent, a user, a super admin, or the participation of a
-- token session; exactly one is set. Rows go with their principal.
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    token_hash BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32), -- SHA-256 of the 32-byte cookie id
    agent_id INTEGER REFERENCES agents(id) ON DELETE CASCADE,
    user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
    super_admin_id INTEGER REFERENCES super_admins(id) ON DELETE CASCADE,
    participation_id INTEGER REFERENCES participations(id) ON DELETE CASCADE,
    -- « Se connecter en tant que » (admin.md §11): the super admin behind an agent session.
    impersonated_by_super_admin_id INTEGER REFERENCES super_admins(id) ON DELETE CASCADE,
    auth_method TEXT NOT NULL CHECK (auth_method IN ('password', 'email_code', 'invitation', 'token_link', 'oidc')),
    csrf_secret BLOB NOT NULL CHECK (length(csrf_secret) >= 16),
    ip TEXT,
    user_agent TEXT,
    last_seen_at INTEGER NOT NULL,
    -- sliding: agents 14 days, users 30 minutes, token sessions 10 minutes (booking.md §3).
    expires_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
    CHECK ((agent_id IS NOT NULL) + (user_id IS NOT NULL) + (super_admin_id IS NOT NULL)
           + (participation_id IS NOT NULL) = 1),
    -- a token session is bound to one participation, and only token links open one
    CHECK ((participation_id IS NOT NULL) = (auth_method = 'token_link')),
    CHECK (impersonated_by_super_admin_id IS NULL OR agent_id IS NOT NULL),
    CHECK (expires_at > created_at)
) STRICT;
-- FK agent_id; "sign out everywhere" and session rotation.
CREATE INDEX sessions_agent_id ON sessions (agent_id);
-- FK user_id.
CREATE INDEX sessions_user_id ON sessions (user_id);
-- FK super_admin_id.
CREATE INDEX sessions_super_admin_id ON sessions (super_admin_id);
-- FK participation_id.
CREATE INDEX sessions_participation_id ON sessions (participation_id);
-- FK impersonated_by_super_admin_id.
CREATE INDEX sessions_impersonated_by_super_admin_id ON sessions (impersonated_by_super_admin_id);
-- Purge of expired sessions.
CREATE INDEX sessions_expires_at ON sessions (expires_at);

-- domain.md §13 Identity: links a sign-in method's (provider, subject) to an agent or a user.
-- The spec's (principal_type, principal_id) pair is stored as two foreign keys, exactly one set;
-- principal_type is generated.
CREATE TABLE identities (
    id INTEGER PRIMARY KEY,
    agent_id INTEGER REFERENCES agents(id) ON DELETE CASCADE,
    user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
    principal_type TEXT GENERATED ALWAYS AS (CASE WHEN agent_id IS NOT NULL THEN 'agent' ELSE 'user' END) VIRTUAL,
    provider TEXT NOT NULL CHECK (provider IN ('password', 'email_code', 'franceconnect', 'proconnect')),
    subject TEXT NOT NULL CHECK (subject <> ''),
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
    CHECK ((agent_id IS NULL) <> (user_id IS NULL)),
    UNIQUE (provider, subject)
) STRICT;
-- FK agent_id.
CREATE INDEX identities_agent_id ON identities (agent_id);
-- FK user_id.
CREATE INDEX identities_user_id ON identities (user_id);

-- Single-use links sent by e-mail (booking.md §3): agent invitation (14 days), password reset
-- (2 hours), user e-mail confirmation (3 days), user invitation to create an account (14 days),
-- e-mail change confirmation (admin.md §6), the super admin's set-password link (admin.md §11).
-- The purpose's prefix names the principal column that must be set.
CREATE TABLE account_tokens (
    id INTEGER PRIMARY KEY,
    token_hash BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32), -- SHA-256 of the link secret
    purpose TEXT NOT NULL CHECK (purpose IN (
        'agent_invitation', 'agent_password_reset', 'agent_email_change',
        'user_confirmation', 'user_invitation', 'user_password_reset', 'user_email_change',
        'super_admin_password_setup', 'super_admin_password_reset')),
    agent_id INTEGER REFERENCES agents(id) ON DELETE CASCADE,
    user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
    super_admin_id INTEGER REFERENCES super_admins(id) ON DELETE CASCADE,
    new_email TEXT CHECK (new_email = lower(trim(new_email))), -- e-mail change only
    expires_at INTEGER NOT NULL,
    used_at INTEGER,                    -- single use
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
    CHECK ((agent_id IS NOT NULL) = (purpose LIKE 'agent\_%' ESCAPE '\')),
    CHECK ((user_id IS NOT NULL) = (purpose LIKE 'user\_%' ESCAPE '\')),
    CHECK ((super_admin_id IS NOT NULL) = (purpose LIKE 'super\_admin\_%' ESCAPE '\')),
    CHECK ((new_email IS NOT NULL) = (purpose LIKE '%\_email\_change' ESCAPE '\')),
    CHECK (expires_at > created_at)
) STRICT;
-- FK agent_id; invalidate earlier links of the same purpose.
CREATE INDEX account_tokens_agent_id ON account_tokens (agent_id, purpose);
-- FK user_id.
CREATE INDEX account_tokens_user_id ON account_tokens (user_id, purpose);
-- FK super_admin_id.
CREATE INDEX account_tokens_super_admin_id ON account_tokens (super_admin_id, purpose);
-- Purge of expired links.
CREATE INDEX account_tokens_expires_at ON account_tokens (expires_at);

-- booking.md §3.3: 6-digit code by e-mail, valid 10 minutes, single use, 5 wrong attempts void
-- it; at most one per 60 s and 5 per hour per e-mail. The e-mail may be unknown (sign-up).
CREATE TABLE email_sign_in_codes (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL CHECK (email <> '' AND email = lower(trim(email))),
    code_hash BLOB NOT NULL CHECK (length(code_hash) = 32), -- HMAC-SHA256(instance secret, code)
    failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts BETWEEN 0 AND 5),
    expires_at INTEGER NOT NULL,
    consumed_at INTEGER,
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
    CHECK (expires_at > created_at AND expires_at <= created_at + 600)
) STRICT;
-- Rate limits (codes for this e-mail in the last 60 s / hour) and the latest live code.
CREATE INDEX email_sign_in_codes_email ON email_sign_in_codes (email, created_at);

-- api.md §2: one token per (agent, client), 24 hours; only its hash is stored.
CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    agent_id INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    client TEXT NOT NULL CHECK (client <> ''),
    token_hash BLOB NOT NULL CHECK (length(token_hash) = 32), -- SHA-256 of access-token
    expires_at INTEGER NOT NULL,
    last_used_at INTEGER,
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
    CHECK (expires_at > created_at AND expires_at <= created_at + 86400),
    UNIQUE (agent_id, client)           -- lookup by (uid → agent, client); also indexes the FK
) STRICT;
-- Purge of expired tokens.
CREATE INDEX api_tokens_expires_at ON api_tokens (expires_at);
