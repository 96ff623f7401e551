-- Named EPCIS queries (per enterprise) and their webhook subscriptions.
-- A subscription's position is the last event sequence delivered with a
-- 2xx answer: deliveries resume from it after a restart.
CREATE TABLE epcis_queries (
    id            INTEGER PRIMARY KEY,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
    regulator     INTEGER NOT NULL,        -- runs with a regulator's view
    name          TEXT    NOT NULL,
    params        TEXT    NOT NULL,        -- the query as a URL query string
    created_at    INTEGER NOT NULL,
    UNIQUE (enterprise_id, name)
);
CREATE TABLE epcis_subscriptions (
    id            TEXT    PRIMARY KEY,
    query_id      INTEGER NOT NULL REFERENCES epcis_queries (id) ON DELETE CASCADE,
    dest          TEXT    NOT NULL,
    token         TEXT    NOT NULL,
    position      INTEGER NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    next_attempt  INTEGER NOT NULL,
    lease_until   INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT    NOT NULL DEFAULT '',
    last_notified INTEGER,
    created_at    INTEGER NOT NULL
);
CREATE INDEX epcis_subscriptions_due ON epcis_subscriptions (next_attempt);
