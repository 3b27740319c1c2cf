-- Report-service schema (message tracking). Flyway runs this with search_path = report.

-- One row per message, created by whichever event arrives first (verdict, delivery or quarantine event come on
-- different topics, in any order). Envelope and verdict fields are filled when the verdict arrives.
CREATE TABLE message (
    message_id        TEXT PRIMARY KEY,
    tenant            TEXT,
    received_at       TIMESTAMPTZ,
    scanned_at        TIMESTAMPTZ,
    sender            TEXT,
    recipients        TEXT[]      NOT NULL DEFAULT '{}',
    -- lower-cased copy of recipients for the case-insensitive, exact recipient filter (GIN-indexed)
    recipients_lower  TEXT[]      NOT NULL DEFAULT '{}',
    subject           TEXT,
    header_message_id TEXT,
    action            TEXT,
    rule_id           TEXT,
    virus             BOOLEAN,
    spam              BOOLEAN,
    spam_score        DOUBLE PRECISION,
    symbols           TEXT,
    -- the state of the latest event (by event time): SCANNED, DELIVERED, DEFERRED, FAILED, QUARANTINED,
    -- RELEASED, DELETED, DROPPED; null while only events without a state (DSN_SENT) are known
    state             TEXT,
    state_at          TIMESTAMPTZ,
    -- when the message was first seen: received_at once known, else the earliest event; sorts and filters
    seen_at           TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);

CREATE INDEX message_seen_idx ON message (seen_at DESC, message_id);
CREATE INDEX message_sender_idx ON message (lower(sender));
CREATE INDEX message_recipients_idx ON message USING GIN (recipients_lower);
CREATE INDEX message_header_message_id_idx ON message (header_message_id);

-- The path of a message. The unique key makes re-delivered records no-ops.
CREATE TABLE message_event (
    id         BIGSERIAL PRIMARY KEY,
    message_id TEXT        NOT NULL REFERENCES message (message_id) ON DELETE CASCADE,
    at         TIMESTAMPTZ NOT NULL,
    type       TEXT        NOT NULL,
    detail     TEXT,
    CONSTRAINT message_event_once UNIQUE (message_id, type, at)
);
