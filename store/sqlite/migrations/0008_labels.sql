-- One item, one code (一物一码): label requests, the labels (by keyed hash,
-- never the code), their bindings at intake and dispatch, holds, scans and
-- consumer complaints.
CREATE TABLE label_requests (
    id            INTEGER PRIMARY KEY,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
    count         INTEGER NOT NULL,
    caption       TEXT    NOT NULL,
    ledger_idx    INTEGER,             -- the first issuance leaf; one leaf per 1000 labels
    created_at    INTEGER NOT NULL
);
CREATE INDEX label_requests_enterprise ON label_requests (enterprise_id, id);

-- The commitments (Code.Commitment, 32 bytes each, in request order) of
-- each issuance leaf's chunk of up to 1000 labels, which the audit
-- re-derives the leaves from.
CREATE TABLE label_chunks (
    request_id  INTEGER NOT NULL REFERENCES label_requests (id),
    chunk       INTEGER NOT NULL,
    commitments BLOB    NOT NULL,
    PRIMARY KEY (request_id, chunk)
);

-- Bindings, one row per recording EPCIS event (up to 1000 labels each):
-- intake to a product filing and batch at a warehouse, dispatch to an order
-- and its waybill. A label points at its current bindings; rows stay as
-- history when a label is unbound.
CREATE TABLE label_intakes (
    id              INTEGER PRIMARY KEY,
    enterprise_id   INTEGER NOT NULL REFERENCES enterprises (id),
    product_id      INTEGER NOT NULL REFERENCES products (id),
    gtin            TEXT    NOT NULL,
    batch           TEXT    NOT NULL,
    production_date TEXT,
    expiry_date     TEXT,
    warehouse       TEXT    NOT NULL,
    warehouse_id    INTEGER,
    at              INTEGER NOT NULL,
    event_id        TEXT    NOT NULL
);
CREATE INDEX label_intakes_lot ON label_intakes (gtin, batch);

CREATE TABLE label_dispatches (
    id              INTEGER PRIMARY KEY,
    enterprise_id   INTEGER NOT NULL REFERENCES enterprises (id),
    ebp_code        TEXT    NOT NULL,
    order_no        TEXT    NOT NULL,
    logistics_code  TEXT    NOT NULL,
    waybill_no      TEXT    NOT NULL,
    at              INTEGER NOT NULL,
    event_id        TEXT    NOT NULL
);
CREATE INDEX label_dispatches_order ON label_dispatches (ebp_code, order_no);
CREATE INDEX label_dispatches_waybill ON label_dispatches (logistics_code, waybill_no);

-- A label is keyed by Code.Hash under the deployment's label key (never the
-- code); seq is its position in its request. Its request is written in the
-- same transaction (no per-row foreign-key check on a million rows).
CREATE TABLE labels (
    hash        BLOB   PRIMARY KEY,
    request_id  INTEGER NOT NULL,
    seq         INTEGER NOT NULL,
    intake_id   INTEGER REFERENCES label_intakes (id),
    dispatch_id INTEGER REFERENCES label_dispatches (id)
) WITHOUT ROWID;
CREATE INDEX labels_intake ON labels (intake_id) WHERE intake_id IS NOT NULL;
CREATE INDEX labels_dispatch ON labels (dispatch_id) WHERE dispatch_id IS NOT NULL;

-- Unbindings, each with its reason.
CREATE TABLE label_unbindings (
    id            INTEGER PRIMARY KEY,
    hash          BLOB    NOT NULL REFERENCES labels (hash),
    kind          TEXT    NOT NULL CHECK (kind IN ('intake', 'dispatch')),
    reason        TEXT    NOT NULL,
    detail        TEXT    NOT NULL, -- what the binding was: product and batch, or order and waybill
    enterprise_id INTEGER NOT NULL,
    event_id      TEXT,
    at            INTEGER NOT NULL
);
CREATE INDEX label_unbindings_hash ON label_unbindings (hash);

-- Holds: a stop-sale, recall or risk notice on a GTIN, optionally one batch.
CREATE TABLE label_holds (
    id         INTEGER PRIMARY KEY,
    kind       TEXT    NOT NULL CHECK (kind IN ('recall', 'stop_sale', 'risk_notice')),
    gtin       TEXT    NOT NULL,
    batch      TEXT,
    text       TEXT    NOT NULL,
    text_en    TEXT    NOT NULL,
    since      INTEGER NOT NULL,
    until      INTEGER,
    created_by INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX label_holds_gtin ON label_holds (gtin);

-- Scans: coarse position and IP prefix only.
CREATE TABLE label_scans (
    id        INTEGER PRIMARY KEY,
    hash      BLOB    NOT NULL,
    at        INTEGER NOT NULL,
    lat       REAL,
    lon       REAL,
    ip_prefix TEXT    NOT NULL,
    place     TEXT    NOT NULL,
    device    TEXT    NOT NULL,
    staff     INTEGER NOT NULL
);
CREATE INDEX label_scans_hash ON label_scans (hash, at);

-- Consumer complaints from the scan page: risk signals for the risk work.
CREATE TABLE label_complaints (
    id         INTEGER PRIMARY KEY,
    hash       BLOB,
    gtin       TEXT,
    batch      TEXT,
    category   TEXT    NOT NULL,
    text       TEXT    NOT NULL,
    contact    TEXT    NOT NULL,
    photo      BLOB,
    photo_type TEXT,
    ip_prefix  TEXT    NOT NULL,
    device     TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX label_complaints_created ON label_complaints (created_at);
