-- Issue 6: quarantine areas with retention and end-user rights, per-recipient state, full-text search.

-- Areas. Built-in ones cannot be deleted; admins add more. An item whose area is not here is treated as 'policy'.
CREATE TABLE quarantine_area (
    name           varchar(64)  PRIMARY KEY CHECK (name ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
    retention_days integer      NOT NULL CHECK (retention_days BETWEEN 1 AND 3650),
    user_right     varchar(16)  NOT NULL CHECK (user_right IN ('RELEASE', 'REQUEST', 'NONE')),
    description    text         NOT NULL DEFAULT '',
    built_in       boolean      NOT NULL DEFAULT false,
    created_at     timestamptz  NOT NULL DEFAULT now(),
    updated_at     timestamptz  NOT NULL DEFAULT now(),
    updated_by     text
);
INSERT INTO quarantine_area (name, retention_days, user_right, description, built_in) VALUES
    ('spam', 30, 'RELEASE', 'Spam: recipients may release their own copies', true),
    ('virus', 30, 'REQUEST', 'Viruses and grayware: recipients may only request a release', true),
    ('policy', 30, 'REQUEST', 'Policy rules (blocked attachments, active content, blocked senders, DMARC reject, custom rules)', true),
    ('dlp', 90, 'REQUEST', 'Data loss prevention matches', true),
    ('unscannable', 30, 'REQUEST', 'Messages that could not be fully scanned', true);

-- Per-recipient state. The item's status is derived from these rows (held while any recipient is held).
CREATE TABLE quarantine_recipient (
    item_id        varchar(160) NOT NULL REFERENCES quarantined_message (item_id) ON DELETE CASCADE,
    address        text         NOT NULL,  -- canonical: lower case
    original       text         NOT NULL,  -- as in the envelope (what a release delivers to)
    status         varchar(20)  NOT NULL CHECK (status IN ('QUARANTINED', 'RELEASE_REQUESTED', 'RELEASED', 'DELETED')),
    quarantined_at timestamptz  NOT NULL,  -- copy of the item's, so an owner's newest page is one index range
    changed_at     timestamptz,
    changed_by     text,
    PRIMARY KEY (item_id, address)
);
CREATE INDEX quarantine_recipient_owner ON quarantine_recipient (address, quarantined_at DESC, item_id DESC);
CREATE INDEX quarantine_recipient_requested ON quarantine_recipient (quarantined_at DESC)
    WHERE status = 'RELEASE_REQUESTED';

INSERT INTO quarantine_recipient (item_id, address, original, status, quarantined_at, changed_at, changed_by)
SELECT DISTINCT ON (m.item_id, lower(r)) m.item_id, lower(r), r, m.status, m.quarantined_at,
       m.status_changed_at, m.status_changed_by
FROM quarantined_message m, unnest(m.recipients) AS r;

-- Full-text search over subject and sender: 'simple' (no stemming, no stop words), the sender both whole
-- (alice@example.com is one email token) and split at '@' (alice, example.com).
ALTER TABLE quarantined_message ADD COLUMN search tsvector GENERATED ALWAYS AS (
    to_tsvector('simple'::regconfig, coalesce(subject, '') || ' ' || sender || ' ' || replace(sender, '@', ' '))
) STORED;
CREATE INDEX quarantined_message_search ON quarantined_message USING gin (search);

-- Retention (RetentionJob): an expired item is first marked (purge_marked_at), then announced with a DELETED event
-- (purge_announced), then its object and rows are removed. The mark is the job's durable intent: a rerun after a
-- crash finishes every marked item. See docs/quarantine.md (Retention).
ALTER TABLE quarantined_message ADD COLUMN purge_marked_at timestamptz;
ALTER TABLE quarantined_message ADD COLUMN purge_announced boolean NOT NULL DEFAULT false;
CREATE INDEX quarantined_message_purge ON quarantined_message (purge_marked_at) WHERE purge_marked_at IS NOT NULL;
CREATE INDEX quarantined_message_object ON quarantined_message (bucket, object_key);

-- Newest-first pages are ordered by (quarantined_at, item_id): the keyset. Replace the message-id based indexes.
DROP INDEX quarantined_message_newest;
DROP INDEX quarantined_message_status_newest;
DROP INDEX quarantined_message_area_newest;
CREATE INDEX quarantined_message_newest ON quarantined_message (quarantined_at DESC, item_id DESC);
CREATE INDEX quarantined_message_status_newest ON quarantined_message (status, quarantined_at DESC, item_id DESC);
CREATE INDEX quarantined_message_area_newest ON quarantined_message (area, quarantined_at DESC, item_id DESC);
