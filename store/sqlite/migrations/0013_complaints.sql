-- The complaint workflow (issue 19) and the attachment quota (issue 11,
-- finding 8). A complaint gets a reference, given to the consumer once and
-- stored only as its SHA-256 (ref_hash); the enterprise whose product it is
-- (owner_id: the product's filer); a status (new, acknowledged,
-- substantiated, dismissed, closed) and replies. photo_size and the
-- one-row label_complaint_storage keep the bytes of stored photos, which
-- the quota checks in the filing transaction.
ALTER TABLE label_complaints ADD COLUMN ref_hash BLOB;
ALTER TABLE label_complaints ADD COLUMN owner_id INTEGER REFERENCES enterprises (id);
ALTER TABLE label_complaints ADD COLUMN status TEXT NOT NULL DEFAULT 'new';
ALTER TABLE label_complaints ADD COLUMN photo_size INTEGER NOT NULL DEFAULT 0;
ALTER TABLE label_complaints ADD COLUMN updated_at INTEGER;
UPDATE label_complaints SET photo_size = COALESCE(length(photo), 0), updated_at = created_at;
CREATE UNIQUE INDEX label_complaints_ref ON label_complaints (ref_hash);
CREATE INDEX label_complaints_owner ON label_complaints (owner_id, id);

CREATE TABLE label_complaint_replies (
    id            INTEGER PRIMARY KEY,
    complaint_id  INTEGER NOT NULL REFERENCES label_complaints (id),
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
    role          TEXT    NOT NULL,
    text          TEXT    NOT NULL,
    status        TEXT,             -- the status the reply set; NULL for a reply only
    created_at    INTEGER NOT NULL
);
CREATE INDEX label_complaint_replies_complaint ON label_complaint_replies (complaint_id, id);

CREATE TABLE label_complaint_storage (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    photo_bytes INTEGER NOT NULL
);
INSERT INTO label_complaint_storage (id, photo_bytes) SELECT 1, COALESCE(SUM(photo_size), 0) FROM label_complaints;
