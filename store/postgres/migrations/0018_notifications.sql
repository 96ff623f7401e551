-- Webhook notifications of measures (issue 13): an enterprise's endpoints,
-- and the notifications addressed to it (one row per enterprise and bus
-- message, so a message redelivered by the bus is stored once). An
-- endpoint's position is the last notification seq delivered with a 2xx
-- answer; notifications are inserted under an advisory lock, so seq order
-- is commit order and a position never passes one that commits later.
CREATE TABLE notification_webhooks (
    id            TEXT    PRIMARY KEY,
    enterprise_id BIGINT  NOT NULL REFERENCES enterprises (id),
    url           TEXT    NOT NULL,
    secret        TEXT    NOT NULL,
    position      BIGINT  NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    next_attempt  TIMESTAMPTZ NOT NULL,
    lease_until   TIMESTAMPTZ NOT NULL DEFAULT 'epoch',
    last_error    TEXT    NOT NULL DEFAULT '',
    last_notified TIMESTAMPTZ,
    created_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX notification_webhooks_due ON notification_webhooks (next_attempt);
CREATE INDEX notification_webhooks_enterprise ON notification_webhooks (enterprise_id);
CREATE TABLE notifications (
    seq           BIGSERIAL PRIMARY KEY,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    msg_id        TEXT   NOT NULL,
    subject       TEXT   NOT NULL,
    payload       BYTEA  NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    UNIQUE (enterprise_id, msg_id)
);
CREATE INDEX notifications_enterprise ON notifications (enterprise_id, seq);
