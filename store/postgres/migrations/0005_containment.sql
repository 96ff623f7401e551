-- Containment from AggregationEvents: which child was inside which parent
-- from when to when (event time). An open interval has no to_time.
CREATE TABLE epcis_containment (
    parent    TEXT    NOT NULL,
    child     TEXT    NOT NULL,
    from_time TIMESTAMPTZ NOT NULL,
    to_time   TIMESTAMPTZ,
    add_seq   BIGINT  NOT NULL REFERENCES epcis_events (seq),
    del_seq   BIGINT  REFERENCES epcis_events (seq)
);
CREATE INDEX epcis_containment_parent ON epcis_containment (parent, from_time);
CREATE INDEX epcis_containment_child ON epcis_containment (child, from_time);
