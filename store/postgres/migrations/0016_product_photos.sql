-- A product filing may carry a photo of the product (issue 19): the photo is
-- a filed fact like the others, so the filing row holds its SHA-256 (which
-- the ledgered filing versions commit) and a new photo sends an approved
-- filing back to the regulator. The bytes are kept by their hash.
ALTER TABLE products ADD COLUMN photo_sha256 TEXT;
CREATE TABLE product_photos (
    sha256     TEXT PRIMARY KEY,
    type       TEXT NOT NULL CHECK (type IN ('image/jpeg', 'image/png')),
    data       BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
