-- Leases of the singleton jobs (issue 17): one row per job, held by one
-- node until expires_at by the database's clock. token grows by one at each
-- change of holder; a singleton's writes check it in their transaction
-- (fencing), so a stale holder's write is refused.
CREATE TABLE leases (
    name       TEXT        PRIMARY KEY,
    holder     TEXT        NOT NULL,
    token      BIGINT      NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
