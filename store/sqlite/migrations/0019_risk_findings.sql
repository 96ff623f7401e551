-- Barcode analytics (issue 14). risk_lines is the compact projection of
-- every customs declaration line with a GTIN barcode, written in the intake
-- transaction with each second-line decision (customs.DeclaredLine): a
-- WITHOUT ROWID table keyed by GTIN, so the analytics is one sequential
-- read in GTIN order. Codes are numbers (hs: the 10-digit gcode; unit and
-- origin: customs codes, -1 for none), money in fen, declared_at in Unix
-- seconds, spec the hash of the normalised gmodel (risk_specs holds the
-- texts), declarant the enterprise (0 when unknown), seq the ledger index of
-- the decision that wrote the line (the incremental runs' position).
CREATE TABLE risk_lines (
    gtin           INTEGER NOT NULL,
    declaration_id INTEGER NOT NULL,
    gnum           INTEGER NOT NULL,
    seq            INTEGER NOT NULL,
    hs             INTEGER NOT NULL,
    price          INTEGER NOT NULL,
    total          INTEGER NOT NULL,
    spec           INTEGER NOT NULL,
    unit           INTEGER NOT NULL,
    origin         INTEGER NOT NULL,
    declarant      INTEGER NOT NULL,
    declared_at    INTEGER NOT NULL,
    PRIMARY KEY (gtin, declaration_id, gnum)
) WITHOUT ROWID;
CREATE INDEX risk_lines_declaration ON risk_lines (declaration_id);
CREATE INDEX risk_lines_seq ON risk_lines (seq);
CREATE TABLE risk_specs (
    hash   INTEGER PRIMARY KEY,
    gmodel TEXT    NOT NULL
);
-- The findings of the last runs; key (kind/gtin[/declarant]) is stable, so a
-- finding found again keeps its id and the credit entries their ref.
CREATE TABLE risk_findings (
    id           INTEGER PRIMARY KEY,
    key          TEXT    NOT NULL UNIQUE,
    kind         TEXT    NOT NULL,
    gtin         TEXT    NOT NULL,
    detail       TEXT    NOT NULL,
    weak         INTEGER NOT NULL,
    lines        INTEGER NOT NULL,
    declarations TEXT    NOT NULL, -- JSON, at most risk.MaxListed
    shortfall    INTEGER,          -- fen
    at           INTEGER NOT NULL, -- the latest declaration involved
    run          INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX risk_findings_gtin ON risk_findings (gtin);
CREATE INDEX risk_findings_kind ON risk_findings (kind, id);
-- Who may see a finding (parties) and who it holds to have misdeclared
-- (culprit: a credit entry of kind misdeclaration).
CREATE TABLE risk_finding_parties (
    enterprise_id INTEGER NOT NULL,
    finding_id    INTEGER NOT NULL REFERENCES risk_findings (id) ON DELETE CASCADE,
    culprit       INTEGER NOT NULL,
    PRIMARY KEY (enterprise_id, finding_id)
) WITHOUT ROWID;
CREATE INDEX risk_finding_parties_finding ON risk_finding_parties (finding_id);
CREATE TABLE risk_analytics_state (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    position INTEGER NOT NULL,
    run      INTEGER NOT NULL,
    ran_at   INTEGER NOT NULL
);
