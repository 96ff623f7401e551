-- The history of the current-state rows the server answers from and that
-- the ledger commits to (ledger.State): holds, product filings, EPCIS master
-- data. Each write of such a row adds its canonical body here and one leaf
-- (kind label-hold, product-filing or epcis-masterdata) in the same
-- transaction; the audit re-derives the leaves from this table and compares
-- the current rows with the latest version of each key.
CREATE TABLE ledger_states (
    idx  INTEGER PRIMARY KEY, -- leaf index
    kind TEXT    NOT NULL,
    key  TEXT    NOT NULL,
    uscc TEXT    NOT NULL,
    body TEXT    NOT NULL,
    at   INTEGER NOT NULL
);
CREATE INDEX ledger_states_key ON ledger_states (kind, key, idx);
