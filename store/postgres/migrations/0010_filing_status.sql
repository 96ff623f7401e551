-- Product filings have a status with the regulator (submitted, approved,
-- rejected, withdrawn). Only an approved filing's number is official, so
-- only approved filings must hold distinct filing numbers: an enterprise's
-- proposal can never block the number the regulator assigns another filing.
-- Filings from before this migration were never reviewed: submitted.
ALTER TABLE products ADD COLUMN status TEXT NOT NULL DEFAULT 'submitted'
    CHECK (status IN ('submitted', 'approved', 'rejected', 'withdrawn'));
ALTER TABLE products ADD COLUMN status_reason TEXT;
ALTER TABLE products ADD COLUMN reviewed_by BIGINT REFERENCES enterprises (id);
ALTER TABLE products ADD COLUMN reviewed_at TIMESTAMPTZ;
DROP INDEX products_filing_number;
CREATE UNIQUE INDEX products_filing_number ON products (filing_number)
    WHERE filing_number IS NOT NULL AND status = 'approved';
CREATE INDEX products_status ON products (status, id);
