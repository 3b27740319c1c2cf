-- What rule simulation in policy-service needs from each verdict (issue 5): the findings (symbol, category, score;
-- the detail text is not kept), the message size, attachment metadata (path, file name, true type, size; never
-- content), the rules that matched and the policy version. Headers are not recorded (verdicts don't carry them).
-- Rows written before this migration, and rows created by a delivery/quarantine event before their verdict, have
-- findings NULL and are not offered for simulation.
ALTER TABLE message
    ADD COLUMN message_size   BIGINT,
    ADD COLUMN findings       JSONB,
    ADD COLUMN attachments    JSONB,
    ADD COLUMN matched_rules  TEXT[],
    ADD COLUMN policy_version BIGINT;

-- "the last N recorded verdicts" (of a tenant), newest first
CREATE INDEX message_recorded_idx ON message (seen_at DESC, message_id) WHERE findings IS NOT NULL;
