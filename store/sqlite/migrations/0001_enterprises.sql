-- Enterprises (tenants), their roles, and API keys (hashes only).
-- Times are Unix microseconds, UTC.
CREATE TABLE enterprises (
    id         INTEGER PRIMARY KEY,
    uscc       TEXT    NOT NULL UNIQUE,
    name       TEXT    NOT NULL,
    name_en    TEXT    NOT NULL DEFAULT '',
    status     TEXT    NOT NULL CHECK (status IN ('active', 'suspended')),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE enterprise_roles (
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    role          TEXT    NOT NULL,
    position      INTEGER NOT NULL,
    PRIMARY KEY (enterprise_id, role)
);
CREATE INDEX enterprise_roles_role ON enterprise_roles (role, enterprise_id);

CREATE TABLE api_keys (
    id            INTEGER PRIMARY KEY,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
    role          TEXT    NOT NULL,
    hash          BLOB    NOT NULL UNIQUE,
    hint          TEXT    NOT NULL,
    label         TEXT    NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL,
    revoked_at    INTEGER
);
CREATE INDEX api_keys_enterprise ON api_keys (enterprise_id);
