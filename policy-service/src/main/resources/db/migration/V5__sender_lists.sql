-- Safe and blocked senders per tenant, per recipient domain and per recipient address (issue 4). Flyway runs this
-- with search_path = policy. Values are validated and normalised by policy-service (SenderListValidator): lower
-- case, internationalised domains in their xn-- form. IF NOT EXISTS / ON CONFLICT keep the file re-runnable by
-- the test helper that resets the seed.

CREATE TABLE IF NOT EXISTS sender_list (
    id         BIGSERIAL PRIMARY KEY,
    tenant     TEXT        NOT NULL,
    -- '*' (the whole tenant), a recipient domain or a recipient address
    owner      TEXT        NOT NULL CHECK (length(owner) BETWEEN 1 AND 254 AND owner !~ '[A-Z[:space:][:cntrl:]]'),
    -- an address, a domain or '*.domain' (the domain and its subdomains)
    sender     TEXT        NOT NULL CHECK (length(sender) BETWEEN 1 AND 256 AND sender !~ '[A-Z[:space:][:cntrl:]]'),
    kind       TEXT        NOT NULL CHECK (kind IN ('SAFE', 'BLOCKED')),
    created_by TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    note       TEXT,
    CONSTRAINT sender_list_owner_sender_key UNIQUE (tenant, owner, sender)
);

-- Two seeded rules act on the sender-list engine's symbols. A blocked sender is quarantined before the spam rules;
-- a safe sender is delivered only after every malware, grayware, blocked-attachment, active-content and scan-failure
-- rule (priorities 5-30) had its say, so a safe sender never bypasses them, and before the spam rule (40).
INSERT INTO rule (id, name, priority, match, action, subject_prefix, add_headers) VALUES
    ('blocked-sender-quarantine', 'Quarantine mail from blocked senders', 34, 'SYMBOL:BLOCKED_SENDER', 'QUARANTINE', NULL, '[]'),
    ('safe-sender-deliver', 'Deliver mail from safe senders without spam filtering', 38, 'SYMBOL:SAFE_SENDER', 'DELIVER', NULL, '[]')
ON CONFLICT (id) DO NOTHING;

UPDATE policy_version SET version = version + 1 WHERE id = 1;
