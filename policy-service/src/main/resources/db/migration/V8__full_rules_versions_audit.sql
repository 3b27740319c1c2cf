-- Full rules (issue 5, docs/policy.md): direction, scope, conditions and actions as JSON, an optional expiry, and
-- where a rule came from (a policy bundle's source). Every existing row is migrated to the full form exactly as
-- PolicyRule's constructor reads the short form: match VIRUS -> condition class VIRUS, SYMBOL:NAME -> symbol NAME;
-- action TAG -> deliver + tag-subject (subject_prefix) + add-header (add_headers), any other action -> its lower-case
-- name. The short-form columns stay (nullable, no longer written) so older seed files still load; new seed
-- migrations must insert the full form. IF NOT EXISTS and "WHERE actions IS NULL" keep this file re-runnable by the
-- test helper that resets the seed. Flyway runs this with search_path = policy.

ALTER TABLE rule ADD COLUMN IF NOT EXISTS direction  TEXT NOT NULL DEFAULT 'BOTH'
    CHECK (direction IN ('INBOUND', 'OUTBOUND', 'BOTH'));
ALTER TABLE rule ADD COLUMN IF NOT EXISTS scope      JSONB NOT NULL
    DEFAULT '{"senders":[],"recipients":[],"exceptSenders":[],"exceptRecipients":[]}';
ALTER TABLE rule ADD COLUMN IF NOT EXISTS conditions JSONB;
ALTER TABLE rule ADD COLUMN IF NOT EXISTS actions    JSONB;
ALTER TABLE rule ADD COLUMN IF NOT EXISTS expires_at TIMESTAMPTZ;
-- the source cluster of the bundle the rule came from; NULL for rules made here
ALTER TABLE rule ADD COLUMN IF NOT EXISTS source     TEXT;
-- true for rules of an outbreak bundle (added with an expiry, never replaced by a regular bundle)
ALTER TABLE rule ADD COLUMN IF NOT EXISTS outbreak   BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE rule ALTER COLUMN match DROP NOT NULL;
ALTER TABLE rule ALTER COLUMN action DROP NOT NULL;

UPDATE rule SET
    conditions = CASE
        WHEN upper(match) LIKE 'SYMBOL:%' THEN jsonb_build_array(jsonb_build_object(
            'type', 'symbol', 'values', jsonb_build_array(btrim(substr(btrim(match), 8)))))
        ELSE jsonb_build_array(jsonb_build_object('type', 'class', 'values', jsonb_build_array(upper(btrim(match)))))
    END,
    actions = CASE
        WHEN action = 'TAG' THEN jsonb_build_array(jsonb_build_object('type', 'deliver'))
            || CASE WHEN coalesce(subject_prefix, '') <> ''
                    THEN jsonb_build_array(jsonb_build_object('type', 'tag-subject', 'value', subject_prefix))
                    ELSE '[]'::jsonb END
            || CASE WHEN coalesce(add_headers, '[]') NOT IN ('', '[]')
                    THEN jsonb_build_array(jsonb_build_object('type', 'add-header', 'headers', add_headers::jsonb))
                    ELSE '[]'::jsonb END
        ELSE jsonb_build_array(jsonb_build_object('type', lower(action)))
    END,
    match = NULL, action = NULL, subject_prefix = NULL, add_headers = '[]'
WHERE actions IS NULL;

-- One row per change: who, when, what, the rule (or domain, entry) before and after. Newest first by id.
CREATE TABLE IF NOT EXISTS policy_audit (
    id         BIGSERIAL PRIMARY KEY,
    version    BIGINT      NOT NULL,
    at         TIMESTAMPTZ NOT NULL,
    actor      TEXT        NOT NULL,
    operation  TEXT        NOT NULL,
    target     TEXT,
    before     JSONB,
    after      JSONB
);
CREATE INDEX IF NOT EXISTS policy_audit_version_idx ON policy_audit (version);

-- The snapshot (without sender lists) as it was at each version, written in the transaction of the change.
CREATE TABLE IF NOT EXISTS policy_version_snapshot (
    version    BIGINT PRIMARY KEY,
    at         TIMESTAMPTZ NOT NULL,
    actor      TEXT        NOT NULL,
    what       TEXT        NOT NULL,
    snapshot   JSONB       NOT NULL
);
