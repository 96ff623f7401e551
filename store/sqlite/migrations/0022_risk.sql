-- Risk monitoring (issue 14): signals with their evidence, the per-subject
-- aggregates the incremental scoring keeps (a signal's stored weight on
-- each subject, each source's count on a subject, each subject's log sum),
-- the configuration in force, warnings and their ledgered steps, lab
-- orders and results, the platforms' pre-listing setting, expert cases.
CREATE TABLE risk_signals (
    id           INTEGER PRIMARY KEY,
    kind         TEXT    NOT NULL,
    source       TEXT    NOT NULL,
    observed_at  INTEGER NOT NULL,
    selector     TEXT    NOT NULL, -- tracegate.Selector as JSON
    gtin         TEXT    NOT NULL DEFAULT '',
    hazard       TEXT    NOT NULL,
    severity     TEXT    NOT NULL,
    title        TEXT    NOT NULL,
    detail       TEXT    NOT NULL,
    ref          TEXT    NOT NULL DEFAULT '',
    author_id    INTEGER REFERENCES enterprises (id),
    author_uscc  TEXT    NOT NULL DEFAULT '',
    complaint_id INTEGER UNIQUE,
    recorded_at  INTEGER NOT NULL
);
CREATE UNIQUE INDEX risk_signals_ref ON risk_signals (author_uscc, ref) WHERE ref <> '';
CREATE INDEX risk_signals_observed ON risk_signals (observed_at);
CREATE INDEX risk_signals_author ON risk_signals (author_id, id);

CREATE TABLE risk_attachments (
    id        INTEGER PRIMARY KEY,
    signal_id INTEGER REFERENCES risk_signals (id),
    result_id INTEGER,
    name      TEXT    NOT NULL,
    type      TEXT    NOT NULL,
    size      INTEGER NOT NULL,
    sha256    TEXT    NOT NULL,
    data      BLOB    NOT NULL
);
CREATE INDEX risk_attachments_signal ON risk_attachments (signal_id);
CREATE INDEX risk_attachments_result ON risk_attachments (result_id);

CREATE TABLE risk_subject_signals (
    subject_kind  TEXT    NOT NULL,
    subject_value TEXT    NOT NULL,
    signal_id     INTEGER NOT NULL REFERENCES risk_signals (id),
    source        TEXT    NOT NULL,
    ord           INTEGER NOT NULL,
    kind          TEXT    NOT NULL,
    severity      TEXT    NOT NULL,
    lw            REAL    NOT NULL, -- log2 of the weight at risk.Epoch
    PRIMARY KEY (subject_kind, subject_value, signal_id)
);
CREATE INDEX risk_subject_signals_weight ON risk_subject_signals (subject_kind, subject_value, lw);
CREATE INDEX risk_subject_signals_signal ON risk_subject_signals (signal_id);

CREATE TABLE risk_subject_sources (
    subject_kind  TEXT    NOT NULL,
    subject_value TEXT    NOT NULL,
    source        TEXT    NOT NULL,
    n             INTEGER NOT NULL,
    PRIMARY KEY (subject_kind, subject_value, source)
);

CREATE TABLE risk_subjects (
    kind       TEXT    NOT NULL,
    value      TEXT    NOT NULL,
    lsum       REAL    NOT NULL, -- log2 of the sum of the weights at risk.Epoch
    signals    INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (kind, value)
);
CREATE INDEX risk_subjects_rank ON risk_subjects (kind, lsum);
CREATE INDEX risk_subjects_lsum ON risk_subjects (lsum);

CREATE TABLE risk_config (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    body       TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE risk_warnings (
    id            INTEGER PRIMARY KEY,
    subject_kind  TEXT    NOT NULL,
    subject_value TEXT    NOT NULL,
    level         TEXT    NOT NULL,
    score         REAL    NOT NULL,
    status        TEXT    NOT NULL,
    signals       TEXT    NOT NULL, -- JSON array of signal ids
    opened_at     INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    reason        TEXT    NOT NULL DEFAULT '',
    measure       TEXT    NOT NULL DEFAULT '',
    decided_by    TEXT    NOT NULL DEFAULT '',
    decided_at    INTEGER
);
CREATE INDEX risk_warnings_subject ON risk_warnings (subject_kind, subject_value, status);
CREATE INDEX risk_warnings_status ON risk_warnings (status, id);

CREATE TABLE risk_warning_events (
    id         INTEGER PRIMARY KEY,
    warning_id INTEGER NOT NULL REFERENCES risk_warnings (id),
    action     TEXT    NOT NULL,
    subject    TEXT    NOT NULL,
    level      TEXT    NOT NULL,
    score      REAL    NOT NULL,
    signals    TEXT    NOT NULL,
    reason     TEXT    NOT NULL,
    measure    TEXT    NOT NULL,
    by_uscc    TEXT    NOT NULL,
    at         INTEGER NOT NULL,
    ledger_idx INTEGER NOT NULL UNIQUE
);
CREATE INDEX risk_warning_events_warning ON risk_warning_events (warning_id, id);

CREATE TABLE risk_lab_orders (
    id          INTEGER PRIMARY KEY,
    gtin        TEXT    NOT NULL,
    batch       TEXT    NOT NULL,
    items       INTEGER NOT NULL,
    tests       TEXT    NOT NULL, -- JSON array of test names
    purpose     TEXT    NOT NULL, -- pre_listing or sample
    lab_id      INTEGER NOT NULL REFERENCES enterprises (id),
    ordered_by  INTEGER NOT NULL REFERENCES enterprises (id),
    status      TEXT    NOT NULL,
    note        TEXT    NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    reported_at INTEGER
);
CREATE INDEX risk_lab_orders_lot ON risk_lab_orders (gtin, batch);
CREATE INDEX risk_lab_orders_lab ON risk_lab_orders (lab_id, id);

CREATE TABLE risk_lab_results (
    id         INTEGER PRIMARY KEY,
    order_id   INTEGER NOT NULL REFERENCES risk_lab_orders (id),
    test       TEXT    NOT NULL,
    passed     INTEGER NOT NULL,
    hazard     TEXT    NOT NULL DEFAULT '',
    severity   TEXT    NOT NULL DEFAULT '',
    detail     TEXT    NOT NULL DEFAULT '',
    signal_id  INTEGER REFERENCES risk_signals (id),
    created_at INTEGER NOT NULL,
    UNIQUE (order_id, test)
);

CREATE TABLE risk_platform_settings (
    enterprise_id       INTEGER PRIMARY KEY REFERENCES enterprises (id),
    require_pre_listing INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL
);

CREATE TABLE risk_cases (
    id            INTEGER PRIMARY KEY,
    subject_kind  TEXT    NOT NULL,
    subject_value TEXT    NOT NULL,
    title         TEXT    NOT NULL,
    status        TEXT    NOT NULL,
    created_by    INTEGER NOT NULL REFERENCES enterprises (id),
    created_at    INTEGER NOT NULL,
    conclusion    TEXT    NOT NULL DEFAULT '',
    concluded_by  INTEGER REFERENCES enterprises (id),
    concluded_at  INTEGER
);
CREATE TABLE risk_case_members (
    case_id       INTEGER NOT NULL REFERENCES risk_cases (id),
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
    PRIMARY KEY (case_id, enterprise_id)
);
CREATE TABLE risk_case_notes (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER NOT NULL REFERENCES risk_cases (id),
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
    kind          TEXT    NOT NULL, -- comment or recommendation
    text          TEXT    NOT NULL,
    created_at    INTEGER NOT NULL
);
CREATE INDEX risk_case_notes_case ON risk_case_notes (case_id, id);
