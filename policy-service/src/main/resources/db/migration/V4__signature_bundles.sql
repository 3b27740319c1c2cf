-- Signature bundles (the pattern file) and which one is active. Flyway runs this with search_path = policy.

-- One row per published bundle; the bytes are the S3 object bucket/object_key (a normalized tar of ClamAV
-- database files), sha256 and size describe that object. Rows are never changed after insertion.
CREATE TABLE signature_bundle (
    version    TEXT PRIMARY KEY CHECK (version ~ '^[0-9A-Za-z._-]{1,64}$' AND version NOT IN ('.', '..')),
    bucket     TEXT        NOT NULL,
    object_key TEXT        NOT NULL,
    sha256     TEXT        NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size       BIGINT      NOT NULL CHECK (size > 0),
    files      TEXT        NOT NULL, -- JSON array of the database file names, in tar order
    signatures TEXT        NOT NULL, -- JSON object: signatures loaded per format, e.g. {"hdb":2,"ndb":1}
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX signature_bundle_created_idx ON signature_bundle (created_at DESC, version DESC);

-- Exactly one row: the active bundle (NULL before the first publication) and an activation counter that
-- grows by one with every publication or rollback. Every activation locks this row first (SELECT ... FOR
-- UPDATE), so activations are serialised and the counter follows commit order; every instance compares the
-- counter with the one of the hash set it holds in memory.
CREATE TABLE signature_state (
    id             SMALLINT PRIMARY KEY CHECK (id = 1),
    active_version TEXT REFERENCES signature_bundle (version),
    activation     BIGINT NOT NULL,
    activated_at   TIMESTAMPTZ
);

INSERT INTO signature_state (id, active_version, activation) VALUES (1, NULL, 0) ON CONFLICT (id) DO NOTHING;
