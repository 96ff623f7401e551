-- Barcode analytics reads risk_lines as one record per line (r,
-- risk.EncodeLine) instead of one column per field: the drivers' cost is per
-- value read, and the scan of every line reads one value a row. The
-- projection is rebuilt from nothing: no store has run with 0019's layout
-- beyond tests (the lines of declarations decided before are not
-- re-derived; run the intake again or gen declarations for benchmarks).
DROP TABLE risk_lines;
CREATE TABLE risk_lines (
    gtin           INTEGER NOT NULL,
    declaration_id INTEGER NOT NULL,
    gnum           INTEGER NOT NULL,
    seq            INTEGER NOT NULL,
    r              BLOB    NOT NULL, -- risk.EncodeLine: gtin, declaration, hs, price, total, spec, unit, origin, declarant, declared_at
    PRIMARY KEY (gtin, declaration_id, gnum)
) WITHOUT ROWID;
CREATE INDEX risk_lines_declaration ON risk_lines (declaration_id);
CREATE INDEX risk_lines_seq ON risk_lines (seq);
