-- Enterprise credit (issue 15): the current grading, the history of level
-- changes (each a ledger leaf of kind credit-level), levels recognised by
-- other agencies, and appeals against entries. The entries themselves are
-- read from the records they come from (customs decisions, filings, holds,
-- scans). Renumber to 0015 at merge.
CREATE TABLE credit_grades (
    enterprise_id INTEGER PRIMARY KEY REFERENCES enterprises (id),
    level         INTEGER NOT NULL,
    score         REAL    NOT NULL,
    since         INTEGER NOT NULL,
    computed_at   INTEGER NOT NULL
);
CREATE TABLE credit_changes (
    id            INTEGER PRIMARY KEY,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
    uscc          TEXT    NOT NULL,
    level         INTEGER NOT NULL,
    prev          INTEGER NOT NULL,
    score         REAL    NOT NULL,
    reasons       TEXT    NOT NULL, -- JSON array of strings
    at            INTEGER NOT NULL,
    ledger_idx    INTEGER NOT NULL UNIQUE
);
CREATE INDEX credit_changes_enterprise ON credit_changes (enterprise_id, id);
CREATE INDEX credit_changes_at ON credit_changes (at);
CREATE TABLE credit_recognitions (
    id            INTEGER PRIMARY KEY,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
    agency        TEXT    NOT NULL,
    level         INTEGER NOT NULL,
    at            INTEGER NOT NULL,
    source        TEXT    NOT NULL,
    created_at    INTEGER NOT NULL
);
CREATE INDEX credit_recognitions_enterprise ON credit_recognitions (enterprise_id);
CREATE TABLE credit_appeals (
    id            INTEGER PRIMARY KEY,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
    ref           TEXT    NOT NULL,
    note          TEXT    NOT NULL,
    status        TEXT    NOT NULL CHECK (status IN ('open', 'upheld', 'dismissed')),
    resolution    TEXT    NOT NULL DEFAULT '',
    filed_at      INTEGER NOT NULL,
    resolved_at   INTEGER
);
CREATE INDEX credit_appeals_enterprise ON credit_appeals (enterprise_id);
CREATE UNIQUE INDEX credit_appeals_open ON credit_appeals (enterprise_id, ref) WHERE status = 'open';
-- The record's sources by enterprise.
CREATE INDEX customs_decisions_uscc ON customs_decisions (uscc, status);
CREATE INDEX products_rejected ON products (owner_id) WHERE status = 'rejected';
-- Numbered editions of the public blacklist, each a ledger leaf of kind
-- credit-blacklist whose hash is the SHA-256 of body, served as is.
CREATE TABLE credit_editions (
    number       INTEGER PRIMARY KEY,
    published_at INTEGER NOT NULL,
    publisher    TEXT    NOT NULL, -- the USCC the leaf names
    body         BLOB    NOT NULL, -- the edition's JSON
    ledger_idx   INTEGER NOT NULL UNIQUE
);
