-- EPCIS 2.0 repository: capture jobs, events (canonical JSON-LD body plus
-- indexed columns), and index tables for identifiers and typed attributes.
CREATE TABLE epcis_capture_jobs (
    id            INTEGER PRIMARY KEY,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
    behaviour     TEXT    NOT NULL,
    running       INTEGER NOT NULL,
    success       INTEGER NOT NULL,
    captured      INTEGER NOT NULL DEFAULT 0,
    duplicates    INTEGER NOT NULL DEFAULT 0,
    failed        INTEGER NOT NULL DEFAULT 0,
    errors        TEXT    NOT NULL DEFAULT '[]',
    created_at    INTEGER NOT NULL,
    finished_at   INTEGER
);

CREATE TABLE epcis_events (
    seq           INTEGER PRIMARY KEY,
    event_id      TEXT    NOT NULL,
    event_hash    TEXT    NOT NULL UNIQUE,
    event_type    TEXT    NOT NULL,
    event_time    INTEGER NOT NULL,
    record_time   INTEGER NOT NULL,
    action        TEXT    NOT NULL DEFAULT '',
    biz_step      TEXT    NOT NULL DEFAULT '',
    disposition   TEXT    NOT NULL DEFAULT '',
    read_point    TEXT    NOT NULL DEFAULT '',
    biz_location  TEXT    NOT NULL DEFAULT '',
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
    capture_id    INTEGER NOT NULL REFERENCES epcis_capture_jobs (id),
    body          TEXT    NOT NULL
);
CREATE INDEX epcis_events_event_id ON epcis_events (event_id);
CREATE INDEX epcis_events_event_time ON epcis_events (event_time, seq);
CREATE INDEX epcis_events_record_time ON epcis_events (record_time, seq);
CREATE INDEX epcis_events_biz_step ON epcis_events (biz_step, event_time);
CREATE INDEX epcis_events_biz_location ON epcis_events (biz_location);
CREATE INDEX epcis_events_read_point ON epcis_events (read_point);
CREATE INDEX epcis_events_enterprise ON epcis_events (enterprise_id, seq);

-- Every identifier of an event in canonical form, with its role
-- (epc, parent, input, output, class, inclass, outclass).
CREATE TABLE epcis_epcs (
    seq  INTEGER NOT NULL REFERENCES epcis_events (seq),
    role TEXT    NOT NULL,
    epc  TEXT    NOT NULL
);
CREATE INDEX epcis_epcs_epc ON epcis_epcs (epc, role, seq);
CREATE INDEX epcis_epcs_seq ON epcis_epcs (seq);

-- Typed attributes: kind is bizt (business transaction), src, dst, pdisp
-- (persistent disposition set), ilmd or ext (flattened fields).
CREATE TABLE epcis_attrs (
    seq   INTEGER NOT NULL REFERENCES epcis_events (seq),
    kind  TEXT    NOT NULL,
    type  TEXT    NOT NULL,
    value TEXT    NOT NULL
);
CREATE INDEX epcis_attrs_kind ON epcis_attrs (kind, type, value, seq);
CREATE INDEX epcis_attrs_seq ON epcis_attrs (seq);
