-- Measures (issue 13): risk notices, stop sales, warehouse locks, recalls
-- and return-or-destroy orders over a selector (JSON), each with an owner
-- who carries it out, and its ledgered steps: the order (or draft), every
-- transition and every acknowledgement, one risk-measure leaf each.
CREATE TABLE measures (
    id         TEXT    PRIMARY KEY,
    kind       TEXT    NOT NULL CHECK (kind IN ('risk_notice', 'stop_sale', 'warehouse_lock', 'recall', 'return_destroy')),
    status     TEXT    NOT NULL CHECK (status IN ('draft', 'ordered', 'in_progress', 'completed', 'verified', 'cancelled')),
    selector   TEXT    NOT NULL,
    gtin       TEXT    NOT NULL DEFAULT '', -- the selector's, for the index
    owner      TEXT    NOT NULL,            -- USCC
    reason     TEXT    NOT NULL,
    reason_en  TEXT    NOT NULL,
    deadline   INTEGER,
    signal     TEXT    NOT NULL DEFAULT '',
    ordered_by TEXT    NOT NULL,
    voluntary  INTEGER NOT NULL DEFAULT 0,
    since      INTEGER,                     -- in force from (ordered)
    until      INTEGER,                     -- in force until (holds)
    hold_id    INTEGER,                     -- the label hold it was migrated from
    completed_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX measures_status ON measures (status);
CREATE INDEX measures_owner ON measures (owner);
CREATE INDEX measures_gtin ON measures (gtin);
CREATE TABLE measure_steps (
    measure_id  TEXT    NOT NULL REFERENCES measures (id),
    seq         INTEGER NOT NULL,
    event       TEXT    NOT NULL CHECK (event IN ('drafted', 'ordered', 'status', 'ack')),
    from_status TEXT    NOT NULL DEFAULT '',
    to_status   TEXT    NOT NULL DEFAULT '',
    by_uscc     TEXT    NOT NULL,
    at          INTEGER NOT NULL,
    note        TEXT    NOT NULL DEFAULT '',
    ledger_idx  INTEGER UNIQUE,
    PRIMARY KEY (measure_id, seq)
);
-- The location identifier of the intake warehouse (a selector's warehouse).
ALTER TABLE label_intakes ADD COLUMN location TEXT NOT NULL DEFAULT '';
CREATE INDEX label_intakes_location ON label_intakes (location) WHERE location <> '';

-- Holds become measures: one model. Each hold is a measure in force from
-- its since (until its until), owned by the first filer of its GTIN; its
-- order stays ledgered as the hold's label-hold state.
INSERT INTO measures (id, kind, status, selector, gtin, owner, reason, reason_en, ordered_by, since, until, hold_id, created_at, updated_at)
SELECT 'HOLD-' || h.id, h.kind, 'ordered',
       CASE WHEN COALESCE(h.batch, '') = '' THEN json_object('gtin', h.gtin) ELSE json_object('gtin', h.gtin, 'batch', h.batch) END,
       h.gtin,
       COALESCE((SELECT e.uscc FROM products p JOIN enterprises e ON e.id = p.owner_id WHERE p.gtin = h.gtin ORDER BY p.id LIMIT 1), ''),
       h.text, h.text_en, COALESCE((SELECT e.uscc FROM enterprises e WHERE e.id = h.created_by), ''),
       h.since, h.until, h.id, h.created_at, h.created_at
FROM label_holds h;
INSERT INTO measure_steps (measure_id, seq, event, to_status, by_uscc, at)
SELECT m.id, 1, 'ordered', 'ordered', m.ordered_by, m.since FROM measures m WHERE m.hold_id IS NOT NULL;
