-- Editable texts of policy notices (notify actions; docs/policy.md). Flyway runs this with search_path = policy.
CREATE TABLE notification_template (
    id      TEXT PRIMARY KEY,
    subject TEXT        NOT NULL,
    body    TEXT        NOT NULL,
    updated TIMESTAMPTZ NOT NULL
);
