-- Policy-service schema. Flyway runs this with search_path = policy.

CREATE TABLE accepted_domain (
    domain     TEXT PRIMARY KEY CHECK (domain = lower(domain)),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE rule (
    id             TEXT PRIMARY KEY,
    name           TEXT        NOT NULL,
    priority       INTEGER     NOT NULL,
    match          TEXT        NOT NULL,
    action         TEXT        NOT NULL,
    subject_prefix TEXT,
    add_headers    TEXT        NOT NULL DEFAULT '[]',
    enabled        BOOLEAN     NOT NULL DEFAULT TRUE,
    created        TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated        TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX rule_priority_idx ON rule (priority, id);

CREATE TABLE setting (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Exactly one row. Every change locks it first (SELECT ... FOR UPDATE), which serialises writers and keeps
-- the version monotonic in commit order.
CREATE TABLE policy_version (
    id      SMALLINT PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);

-- Transactional outbox: rows are written in the same transaction as the change and deleted by the relay
-- once Kafka acknowledged them.
CREATE TABLE outbox (
    id          BIGSERIAL PRIMARY KEY,
    topic       TEXT        NOT NULL,
    message_key TEXT        NOT NULL,
    payload     BYTEA       NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
