-- Webhook notifications of measures (issue 13): an enterprise's endpoints,
-- and the notifications addressed to it (one row per enterprise and bus
-- message, so a message redelivered by the bus is stored once). An
-- endpoint's position is the last notification seq delivered with a 2xx
-- answer; the single writer makes seq order commit order.
CREATE TABLE notification_webhooks (
    id            TEXT    PRIMARY KEY,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
    url           TEXT    NOT NULL,
    secret        TEXT    NOT NULL,
    position      INTEGER NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    next_attempt  INTEGER NOT NULL,
    lease_until   INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT    NOT NULL DEFAULT '',
    last_notified INTEGER,
    created_at    INTEGER NOT NULL
);
CREATE INDEX notification_webhooks_due ON notification_webhooks (next_attempt);
CREATE INDEX notification_webhooks_enterprise ON notification_webhooks (enterprise_id);
CREATE TABLE notifications (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
    msg_id        TEXT    NOT NULL,
    subject       TEXT    NOT NULL,
    payload       BLOB    NOT NULL,
    created_at    INTEGER NOT NULL,
    UNIQUE (enterprise_id, msg_id)
);
CREATE INDEX notifications_enterprise ON notifications (enterprise_id, seq);
