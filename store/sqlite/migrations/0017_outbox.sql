-- The outbox (issue 13): a notification of a change (a measure ordered, its
-- state changed, its progress) is written in the same transaction as the
-- change, and a relay publishes it on the event bus afterwards and marks it
-- published, so a crash neither loses nor invents one. msg_id is the
-- message's stable id: subscribers deduplicate by it.
CREATE TABLE outbox (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    msg_id       TEXT NOT NULL UNIQUE,
    subject      TEXT NOT NULL,
    payload      BLOB NOT NULL,
    created_at   INTEGER NOT NULL,
    published_at INTEGER
);
CREATE INDEX outbox_unpublished ON outbox (seq) WHERE published_at IS NULL;
