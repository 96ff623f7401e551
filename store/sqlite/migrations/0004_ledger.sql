-- The tamper-evident ledger (package ledger): the RFC 6962 stored hashes of
-- golang.org/x/mod/sumdb/tlog, the leaves (entries), and the signed
-- checkpoints. Records point at their leaf by index.
CREATE TABLE ledger_hashes (
    idx  INTEGER PRIMARY KEY, -- tlog stored-hash index
    hash BLOB    NOT NULL
);
CREATE TABLE ledger_entries (
    idx  INTEGER PRIMARY KEY, -- leaf index
    leaf BLOB    NOT NULL
);
CREATE TABLE ledger_checkpoints (
    size       INTEGER PRIMARY KEY,
    note       TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);
ALTER TABLE epcis_events ADD COLUMN ledger_idx INTEGER;
CREATE UNIQUE INDEX epcis_events_ledger_idx ON epcis_events (ledger_idx);
