-- Who may say what in EPCIS (docs/security-epcis.md): the GS1 company
-- prefixes registered to enterprises (one owner each), which make an
-- enterprise a party of the events naming its locations and transactions
-- and the owner of its locations' master data; the owner of each
-- vocabulary element (the prefix's enterprise, else its first declarer).
CREATE TABLE gs1_company_prefixes (
    prefix        TEXT    PRIMARY KEY CHECK (length(prefix) BETWEEN 4 AND 12),
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
    created_at    INTEGER NOT NULL
);
CREATE INDEX gs1_company_prefixes_enterprise ON gs1_company_prefixes (enterprise_id, prefix);
ALTER TABLE epcis_vocab_elements ADD COLUMN owner_id INTEGER REFERENCES enterprises (id);
