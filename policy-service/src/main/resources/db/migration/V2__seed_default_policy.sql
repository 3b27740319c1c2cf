-- The default policy of a fresh installation (tenant "default").

INSERT INTO accepted_domain (domain) VALUES ('example.com'), ('example.org');

INSERT INTO rule (id, name, priority, match, action, subject_prefix, add_headers) VALUES
    ('virus-quarantine', 'Quarantine viruses', 10, 'VIRUS', 'QUARANTINE', NULL, '[]'),
    ('blocked-attachment-quarantine', 'Quarantine blocked attachments', 20, 'BLOCKED_ATTACHMENT', 'QUARANTINE', NULL, '[]'),
    ('scan-failure-quarantine', 'Quarantine when a scan failed', 30, 'SCAN_FAILURE', 'QUARANTINE', NULL, '[]'),
    ('spam-tag', 'Tag spam', 40, 'SPAM', 'TAG', '[SPAM] ', '[{"name":"X-Portcullis-Spam","value":"yes"}]');

INSERT INTO setting (key, value) VALUES
    ('spam_threshold', '5.0'),
    ('blocked_extensions', 'exe,scr,pif,com,bat,cmd,vbs,vbe,js,jse,wsf,hta,jar,lnk,ps1,msi,cpl');

INSERT INTO policy_version (id, version) VALUES (1, 1) ON CONFLICT (id) DO NOTHING;
