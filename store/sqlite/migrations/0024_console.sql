-- The console (issue 16): the people who sign in, their server-side
-- sessions (keyed by the SHA-256 of the cookie's random id) and the audit
-- trail of what they did.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
    login         TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL,
    role          TEXT    NOT NULL,
    admin         INTEGER NOT NULL DEFAULT 0,
    lang          TEXT    NOT NULL DEFAULT 'zh',
    disabled      INTEGER NOT NULL DEFAULT 0,
    password_hash TEXT    NOT NULL,
    failures      INTEGER NOT NULL DEFAULT 0,
    locked_until  INTEGER,
    created_by    INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL
);
CREATE INDEX users_enterprise ON users (enterprise_id, login);
CREATE TABLE console_sessions (
    hash       BLOB    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    csrf       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    seen_at    INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX console_sessions_user ON console_sessions (user_id);
CREATE TABLE console_audit (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL,
    login         TEXT    NOT NULL,
    enterprise_id INTEGER NOT NULL,
    page          TEXT    NOT NULL,
    action        TEXT    NOT NULL,
    object        TEXT    NOT NULL,
    at            INTEGER NOT NULL
);
