-- Per-recipient decisions (issue 5 leftovers): what policy decided for each group of recipients of a verdict
-- (VerdictIssued.decisions; a verdict of the first releases is stored as its one group). Rewritten whole on each
-- verdict (in the verdict's transaction, after its message row), so a re-delivered verdict changes nothing. No
-- foreign key: nothing deletes messages, and `TRUNCATE report.message, report.message_event` (tests of the releases
-- before this one, on a shared test database) keeps working.
CREATE TABLE message_decision (
    message_id      TEXT        NOT NULL,
    ordinal         INT         NOT NULL,
    recipients      TEXT[]      NOT NULL,
    action          TEXT        NOT NULL,
    rule_id         TEXT,
    quarantine_area TEXT,
    redirect_to     TEXT[]      NOT NULL DEFAULT '{}',
    defer_until     TIMESTAMPTZ,
    bcc             TEXT[]      NOT NULL DEFAULT '{}',
    matched_rules   TEXT[]      NOT NULL DEFAULT '{}',
    PRIMARY KEY (message_id, ordinal)
);

-- Which delivery (MESSAGE, BCC_COPY, RELEASE) a delivery step is about, and which quarantine item and area a
-- quarantine step is about. Steps written before this migration have them NULL.
ALTER TABLE message_event
    ADD COLUMN kind    TEXT,
    ADD COLUMN item_id TEXT,
    ADD COLUMN area    TEXT,
    -- part of the idempotency key, so that a BCC copy's step and the message's, or two quarantine items' steps, at
    -- the same instant are both kept: '' for the message itself (MESSAGE, the item named like the message), which
    -- keeps the keys of steps written before this migration
    ADD COLUMN step_key TEXT NOT NULL DEFAULT '';

ALTER TABLE message_event DROP CONSTRAINT message_event_once;
ALTER TABLE message_event ADD CONSTRAINT message_event_once UNIQUE (message_id, type, at, step_key);
