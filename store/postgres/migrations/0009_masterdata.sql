-- EPCIS master data and scheduled subscriptions.
-- EPCIS master data (vocabulary elements captured in documents' headers):
-- each element's attributes and children. The children give the location
-- hierarchy that WD_readPoint and WD_bizLocation follow.
CREATE TABLE epcis_vocab_elements (
    vtype      TEXT    NOT NULL,
    id         TEXT    NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (vtype, id)
);
CREATE TABLE epcis_vocab_attrs (
    vtype TEXT    NOT NULL,
    id    TEXT    NOT NULL,
    ord   INTEGER NOT NULL,   -- document order; an attribute id may repeat
    attr  TEXT    NOT NULL,
    value TEXT    NOT NULL,
    PRIMARY KEY (vtype, id, ord),
    FOREIGN KEY (vtype, id) REFERENCES epcis_vocab_elements (vtype, id)
);
CREATE INDEX epcis_vocab_attrs_attr ON epcis_vocab_attrs (id, attr);
CREATE TABLE epcis_vocab_children (
    vtype  TEXT NOT NULL,
    parent TEXT NOT NULL,
    child  TEXT NOT NULL,
    PRIMARY KEY (vtype, parent, child),
    FOREIGN KEY (vtype, parent) REFERENCES epcis_vocab_elements (vtype, id)
);

-- Scheduled subscriptions: the query schedule as JSON ('' for a stream
-- subscription) and whether an empty result is reported.
ALTER TABLE epcis_subscriptions ADD COLUMN schedule TEXT NOT NULL DEFAULT '';
ALTER TABLE epcis_subscriptions ADD COLUMN report_if_empty BOOLEAN NOT NULL DEFAULT FALSE;
