-- Index of quarantined messages; the bytes live in S3 (bucket/object_key).
CREATE TABLE quarantined_message (
    message_id        varchar(128) PRIMARY KEY,
    tenant            varchar(128) NOT NULL,
    received_at       timestamptz  NOT NULL,
    quarantined_at    timestamptz  NOT NULL,
    sender            text         NOT NULL,
    recipients        text[]       NOT NULL,
    subject           text,
    reason            text         NOT NULL,
    size_bytes        bigint       NOT NULL,
    sha256            varchar(64),
    bucket            varchar(63)  NOT NULL,
    object_key        text         NOT NULL,
    status            varchar(16)  NOT NULL CHECK (status IN ('QUARANTINED', 'RELEASED', 'DELETED')),
    envelope          jsonb        NOT NULL,
    status_changed_at timestamptz,
    status_changed_by text
);

CREATE INDEX quarantined_message_newest ON quarantined_message (quarantined_at DESC, message_id DESC);
CREATE INDEX quarantined_message_status_newest ON quarantined_message (status, quarantined_at DESC);
CREATE INDEX quarantined_message_sender ON quarantined_message (lower(sender));
