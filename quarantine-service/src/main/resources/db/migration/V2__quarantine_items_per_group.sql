-- Per-recipient policy decisions (issue 5): one message may become several quarantine items, one per quarantined
-- group of recipients. An item is keyed by item_id: the message id for the first quarantined group (so every
-- existing row keeps its id), <message id>.q<n> for the n-th. Each item has the quarantine area it was put in.
ALTER TABLE quarantined_message ADD COLUMN item_id varchar(160);
UPDATE quarantined_message SET item_id = message_id;
ALTER TABLE quarantined_message ALTER COLUMN item_id SET NOT NULL;
ALTER TABLE quarantined_message DROP CONSTRAINT quarantined_message_pkey;
ALTER TABLE quarantined_message ADD PRIMARY KEY (item_id);
CREATE INDEX quarantined_message_message ON quarantined_message (message_id);

-- Rows from before areas existed: 'policy' (the class that decided them is not recorded in the row).
ALTER TABLE quarantined_message ADD COLUMN area varchar(64) NOT NULL DEFAULT 'policy';
ALTER TABLE quarantined_message ALTER COLUMN area DROP DEFAULT;
CREATE INDEX quarantined_message_area_newest ON quarantined_message (area, quarantined_at DESC);
