-- Customs declarations (issue 7): the messages as received, one row per
-- declaration (order) with its match state, documents and latest decision,
-- the history of decisions (each a ledger leaf), the buyers' annual quota by
-- keyed hash (never the ID number), and the regulator's table versions.
-- Renumber to 0006 at merge (0005 is EPCIS containment on main).
CREATE TABLE customs_messages (
    type        TEXT    NOT NULL,
    guid        TEXT    NOT NULL,
    sender_id   INTEGER,
    received_at INTEGER NOT NULL,
    body        BLOB    NOT NULL,
    PRIMARY KEY (type, guid)
);
CREATE TABLE customs_declarations (
    id             INTEGER PRIMARY KEY,
    ebp_code       TEXT    NOT NULL DEFAULT '',
    order_no       TEXT    NOT NULL,
    logistics_code TEXT    NOT NULL DEFAULT '',
    logistics_no   TEXT    NOT NULL DEFAULT '',
    state          TEXT    NOT NULL, -- customs.MatchState as JSON
    first_at       INTEGER NOT NULL,
    order_guid     TEXT    NOT NULL DEFAULT '',
    payment_guid   TEXT    NOT NULL DEFAULT '',
    waybill_guid   TEXT    NOT NULL DEFAULT '',
    inventory_guid TEXT    NOT NULL DEFAULT '',
    order_doc      BLOB,
    payment_doc    BLOB,
    waybill_doc    BLOB,
    inventory_doc  BLOB,
    buyer_key      TEXT    NOT NULL DEFAULT '',
    quota_year     INTEGER NOT NULL DEFAULT 0,
    status         TEXT    NOT NULL DEFAULT '',
    decision       TEXT,
    decided_at     INTEGER,
    content_hash   TEXT    NOT NULL DEFAULT '',
    ledger_idx     INTEGER,
    uscc           TEXT        NOT NULL DEFAULT '', -- the enterprise its ledger leaves name
    senders        TEXT        NOT NULL DEFAULT '[]', -- enterprise IDs that sent its documents
    review         TEXT    NOT NULL DEFAULT '',
    updated_at     INTEGER NOT NULL
);
CREATE INDEX customs_declarations_order ON customs_declarations (order_no, ebp_code);
CREATE INDEX customs_declarations_waybill ON customs_declarations (logistics_no);
CREATE INDEX customs_declarations_review ON customs_declarations (review, decided_at) WHERE review <> '';
CREATE INDEX customs_declarations_waiting ON customs_declarations (status, first_at) WHERE status = 'waiting';
CREATE TABLE customs_decisions (
    id             INTEGER PRIMARY KEY,
    declaration_id INTEGER NOT NULL REFERENCES customs_declarations (id),
    line           TEXT        NOT NULL, -- first_line (CEB711) or second_line
    status         TEXT    NOT NULL,
    decision       TEXT    NOT NULL,
    content_hash   TEXT    NOT NULL,
    guids          TEXT    NOT NULL, -- JSON array of the message GUIDs hashed with the decision
    uscc           TEXT    NOT NULL, -- the enterprise of the ledger leaf
    ledger_idx     INTEGER UNIQUE,
    decided_at     INTEGER NOT NULL
);
CREATE INDEX customs_decisions_declaration ON customs_decisions (declaration_id);
CREATE TABLE customs_quota (
    buyer_key      TEXT    NOT NULL,
    year           INTEGER NOT NULL,
    declaration_id INTEGER NOT NULL,
    kind           TEXT    NOT NULL CHECK (kind IN ('use', 'refund')),
    value          INTEGER NOT NULL, -- fen; refunds are negative
    at             INTEGER NOT NULL
);
CREATE INDEX customs_quota_buyer ON customs_quota (buyer_key, year);
CREATE INDEX customs_quota_declaration ON customs_quota (declaration_id);
CREATE TABLE customs_tables (
    id        INTEGER PRIMARY KEY,
    kind      TEXT    NOT NULL,
    rows      INTEGER NOT NULL,
    csv       TEXT    NOT NULL,
    loaded_at INTEGER NOT NULL
);
CREATE INDEX customs_tables_kind ON customs_tables (kind, id);
CREATE INDEX products_item_record_no ON products (item_record_no) WHERE item_record_no IS NOT NULL;
