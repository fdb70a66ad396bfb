-- Personal API tokens for /api/v1, and the answers the API keeps for Idempotency-Key.

-- A token acts as its user with the user's role, limited further by its scope. Only the
-- SHA-256 hash of the secret is kept; the secret is shown once, when the token is made.
CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    scope TEXT NOT NULL CHECK (scope IN ('read', 'write')),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
) STRICT;

CREATE INDEX api_tokens_by_user ON api_tokens (user_id);

-- One row per (token, Idempotency-Key): the request's fingerprint, and once answered, the
-- answer. A row without an answer is a request in progress (or one the server stopped in the
-- middle of, which is then never run again under that key).
CREATE TABLE api_requests (
    token_id INTEGER NOT NULL REFERENCES api_tokens (id),
    idempotency_key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status INTEGER,
    content_type TEXT,
    body BLOB,
    created_at TEXT NOT NULL,
    PRIMARY KEY (token_id, idempotency_key)
) STRICT;

-- The log records who made, named and revoked each token, never its hash. Using a token
-- (last_used_at) is not a change worth a row.
CREATE TRIGGER audit_api_tokens_insert AFTER INSERT ON api_tokens
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'api_token', NEW.id, NEW.name,
        'created',
        NULL,
        json_object('user_id', NEW.user_id, 'name', NEW.name, 'scope', NEW.scope,
            'revoked_at', NEW.revoked_at)
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_api_tokens_update AFTER UPDATE ON api_tokens
WHEN json_object('user_id', OLD.user_id, 'name', OLD.name, 'scope', OLD.scope,
            'revoked_at', OLD.revoked_at)
        IS NOT json_object('user_id', NEW.user_id, 'name', NEW.name, 'scope', NEW.scope,
            'revoked_at', NEW.revoked_at)
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'api_token', NEW.id, NEW.name,
        CASE WHEN NEW.revoked_at IS NOT NULL AND OLD.revoked_at IS NULL THEN 'revoked'
            ELSE 'changed' END,
        json_object('user_id', OLD.user_id, 'name', OLD.name, 'scope', OLD.scope,
            'revoked_at', OLD.revoked_at),
        json_object('user_id', NEW.user_id, 'name', NEW.name, 'scope', NEW.scope,
            'revoked_at', NEW.revoked_at)
    FROM audit_actor WHERE recording = 1;
END;

CREATE TRIGGER audit_api_tokens_delete AFTER DELETE ON api_tokens
BEGIN
    INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, entity_ref, action,
        before, after)
    SELECT txn, user_id, actor, 'api_token', OLD.id, OLD.name,
        'deleted',
        json_object('user_id', OLD.user_id, 'name', OLD.name, 'scope', OLD.scope,
            'revoked_at', OLD.revoked_at),
        NULL
    FROM audit_actor WHERE recording = 1;
END;
