-- Spam learning from feedback (releases = ham, "this is spam" reports). Flyway runs this with search_path = policy.
-- The tenant column is the model's tenant: the message's tenant, or '*' when learning into one shared model.

-- One row per message learned: its current label and its distinct token hashes (sorted), so a later judgement
-- with the other label can subtract exactly what this one added.
CREATE TABLE spam_learned_message (
    tenant       TEXT        NOT NULL,
    message_id   TEXT        NOT NULL,
    label        TEXT        NOT NULL CHECK (label IN ('SPAM', 'HAM')),
    feedback_id  TEXT        NOT NULL,
    source       TEXT        NOT NULL,
    actor        TEXT        NOT NULL,
    token_hashes BIGINT[]    NOT NULL,
    learned_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant, message_id)
);

-- Learned counts per token hash: the number of learned spam and ham messages that contain it (never negative;
-- a row whose counts are both zero is deleted).
CREATE TABLE spam_token_count (
    tenant TEXT    NOT NULL,
    hash   BIGINT  NOT NULL,
    spam   INTEGER NOT NULL CHECK (spam >= 0),
    ham    INTEGER NOT NULL CHECK (ham >= 0),
    PRIMARY KEY (tenant, hash)
);

-- One row per model tenant: learned message counts and the sequence of the last SpamModelUpdated. Every learn
-- locks this row first (SELECT ... FOR UPDATE), so learning is serialised per tenant and the sequence grows by
-- exactly one per learned judgement, in commit order (no gaps). A full read takes FOR SHARE for a consistent copy.
CREATE TABLE spam_model_state (
    tenant        TEXT PRIMARY KEY,
    sequence      BIGINT      NOT NULL CHECK (sequence >= 0),
    spam_messages INTEGER     NOT NULL CHECK (spam_messages >= 0),
    ham_messages  INTEGER     NOT NULL CHECK (ham_messages >= 0),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
