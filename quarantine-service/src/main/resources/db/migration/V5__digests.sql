-- End-user quarantine digests (issue 6, docs/end-user-quarantine.md).

-- The digest schedule a user chose; a user without a row gets portcullis.quarantine.digest.default-schedule.
CREATE TABLE digest_subscription (
    address    varchar(320) PRIMARY KEY, -- lower case
    schedule   varchar(8)   NOT NULL CHECK (schedule IN ('off', 'daily', 'weekly')),
    updated_at timestamptz  NOT NULL,
    updated_by text
);

-- One digest mail: claimed (PENDING) before it is sent, SENDING while the SMTP server has it, then SENT or FAILED.
-- A SENDING batch found at the start of a run was cut off by a crash: ABANDONED, never resent (no double digest).
CREATE TABLE digest_batch (
    id         uuid         PRIMARY KEY,
    address    varchar(320) NOT NULL,
    created_at timestamptz  NOT NULL,
    status     varchar(12)  NOT NULL CHECK (status IN ('PENDING', 'SENDING', 'SENT', 'FAILED', 'ABANDONED')),
    attempts   integer      NOT NULL DEFAULT 0,
    sent_at    timestamptz,
    last_error text
);
CREATE INDEX digest_batch_address_newest ON digest_batch (address, created_at DESC);
CREATE INDEX digest_batch_open ON digest_batch (status) WHERE status IN ('PENDING', 'SENDING');

-- Which items a user's digests have listed: an item goes into at most one digest per address.
CREATE TABLE digest_item (
    address  varchar(320) NOT NULL,
    item_id  varchar(160) NOT NULL,
    batch_id uuid         NOT NULL REFERENCES digest_batch (id),
    PRIMARY KEY (address, item_id)
);
CREATE INDEX digest_item_batch ON digest_item (batch_id);

-- One row per digest link used: inserted in the transaction that performs the link's action, so a link acts once.
CREATE TABLE digest_link_use (
    token_id uuid         PRIMARY KEY,
    item_id  varchar(160) NOT NULL,
    address  varchar(320) NOT NULL,
    action   varchar(16)  NOT NULL,
    used_at  timestamptz  NOT NULL
);
