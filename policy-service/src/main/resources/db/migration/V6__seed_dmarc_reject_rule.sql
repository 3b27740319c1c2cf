-- Sender authentication (issue 4): mail that fails DMARC for a From domain whose policy is p=reject (finding
-- DMARC_REJECT from the scanner's auth engine) is quarantined rather than rejected, so that an admin can release
-- forwarded or mailing-list mail. Priority 35: after scan-failure-quarantine (30), before spam-tag (40).
-- An existing rule with the same id is left alone.

INSERT INTO rule (id, name, priority, match, action, subject_prefix, add_headers) VALUES
    ('dmarc-reject-quarantine', 'Quarantine mail failing DMARC of a domain that asks for reject', 35, 'SYMBOL:DMARC_REJECT', 'QUARANTINE', NULL, '[]')
ON CONFLICT (id) DO NOTHING;

UPDATE policy_version SET version = version + 1 WHERE id = 1;
