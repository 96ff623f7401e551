-- Product filings (商品备案): one per owner enterprise and GTIN.
CREATE TABLE products (
    id             INTEGER PRIMARY KEY,
    gtin           TEXT    NOT NULL CHECK (length(gtin) = 14),
    owner_id       INTEGER NOT NULL REFERENCES enterprises (id),
    name           TEXT    NOT NULL,
    name_zh        TEXT    NOT NULL,
    brand          TEXT    NOT NULL,
    specification  TEXT    NOT NULL,
    hs_code        TEXT    NOT NULL,
    origin_country TEXT    NOT NULL,
    manufacturer   TEXT    NOT NULL,
    filing_number  TEXT,
    item_record_no TEXT,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    UNIQUE (owner_id, gtin)
);
CREATE INDEX products_gtin ON products (gtin, owner_id);
CREATE UNIQUE INDEX products_filing_number ON products (filing_number) WHERE filing_number IS NOT NULL;
