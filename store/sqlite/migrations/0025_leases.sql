-- Leases of the singleton jobs (issue 17): one row per job, held by one
-- holder until expires_at (unix microseconds). On the embedded store one
-- node holds every lease; the table keeps the same fencing as PostgreSQL's
-- for processes sharing one file.
CREATE TABLE leases (
    name       TEXT    PRIMARY KEY,
    holder     TEXT    NOT NULL,
    token      INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
