-- Indexes from the 1,000,000-item benchmark (./portcullis bench quarantine; numbers in docs/quarantine.md).
-- A sender's newest page: one index range instead of all the sender's rows sorted.
DROP INDEX quarantined_message_sender;
CREATE INDEX quarantined_message_sender_newest ON quarantined_message (lower(sender), quarantined_at DESC, item_id DESC);
-- A user's held (or requested, released...) items newest first: one range per address and status.
CREATE INDEX quarantine_recipient_owner_status ON quarantine_recipient (address, status, quarantined_at DESC, item_id DESC);
