-- Users the owner invites and can disable; one-time invitation links.

-- A disabled user cannot sign in and has no sessions; their name stays on what they did.
ALTER TABLE users ADD COLUMN disabled_at TEXT;

-- Only a hash of the invitation token is stored, like session tokens.
CREATE TABLE invitations (
    token_hash TEXT PRIMARY KEY,
    email TEXT NOT NULL COLLATE NOCASE,
    role TEXT NOT NULL CHECK (role IN ('bookkeeper', 'viewer')),
    invited_by INTEGER NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    accepted_at TEXT,
    revoked_at TEXT
) STRICT;

CREATE INDEX invitations_by_email ON invitations (email);
