-- Parties: the customs registration codes an enterprise acts under (a code
-- belongs to one enterprise; only confirmed codes count) and the client
-- relation (a client authorises a handler to handle its goods).
-- Times are Unix microseconds, UTC.
CREATE TABLE customs_codes (
    code          TEXT    PRIMARY KEY,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    kind          TEXT    NOT NULL,
    status        TEXT    NOT NULL CHECK (status IN ('claimed', 'confirmed')),
    created_at    INTEGER NOT NULL,
    confirmed_at  INTEGER
);
CREATE INDEX customs_codes_enterprise ON customs_codes (enterprise_id);

CREATE TABLE handlings (
    client_id  INTEGER NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    handler_id INTEGER NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    created_by INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (client_id, handler_id),
    CHECK (client_id <> handler_id)
);
CREATE INDEX handlings_handler ON handlings (handler_id, client_id);
