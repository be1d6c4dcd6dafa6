-- 0013_users.sql: who may use the web window (docs/web.md): users with a role, their sessions
-- and API tokens, and the replies kept for an Idempotency-Key. Passwords are kept only as
-- argon2id hashes and tokens only as digests: a copy of the database opens no session.
CREATE TABLE users (
    name       TEXT PRIMARY KEY,
    role       TEXT NOT NULL, -- admin, registrar, adjudicator, payer, auditor, partner, worker
    admin1     TEXT NOT NULL, -- a partner's area ("" for others)
    admin2     TEXT NOT NULL, -- "" for the whole admin1
    person     TEXT NOT NULL, -- a worker's own record (a worker ID), or ""
    password   TEXT NOT NULL, -- crypto_pwhash_str (argon2id), or "" for none (tokens only)
    created_at TEXT NOT NULL  -- UTC
);
CREATE TABLE user_tokens (
    hash       TEXT PRIMARY KEY, -- the token's BLAKE2b digest; the token itself is not kept
    user_name  TEXT NOT NULL REFERENCES users (name),
    kind       TEXT NOT NULL,    -- session (a browser's cookie) or bearer (an API client)
    csrf       TEXT NOT NULL,    -- the session's form token ("" for bearer tokens)
    created_at BIGINT NOT NULL,  -- seconds since 1970, UTC
    seen_at    BIGINT NOT NULL   -- the last request it made
);
CREATE INDEX user_tokens_user ON user_tokens (user_name);
CREATE TABLE idempotent_replies (
    user_name  TEXT NOT NULL,
    idem_key   TEXT NOT NULL,   -- the Idempotency-Key header
    request    TEXT NOT NULL,   -- the digest of the method, path and body it answered
    status     INTEGER NOT NULL,
    body       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_name, idem_key)
);
