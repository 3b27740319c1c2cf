-- Antivirus categories get their own rules (issue 3): mass-mailing worms are deleted without notifying the forged
-- sender, grayware and active content are quarantined under rules of their own so admins can change them apart from
-- viruses. Existing rules with the same id are left alone.

INSERT INTO rule (id, name, priority, match, action, subject_prefix, add_headers) VALUES
    ('mass-mailer-delete', 'Delete mass-mailing worms without notifying the sender', 5, 'MASS_MAILER', 'DELETE', NULL, '[]'),
    ('grayware-quarantine', 'Quarantine spyware, adware and other grayware', 15, 'GRAYWARE', 'QUARANTINE', NULL, '[]'),
    ('active-content-quarantine', 'Quarantine macros, PDF JavaScript, ActiveX, applets and HTML smuggling', 25, 'ACTIVE_CONTENT', 'QUARANTINE', NULL, '[]')
ON CONFLICT (id) DO NOTHING;

UPDATE policy_version SET version = version + 1 WHERE id = 1;
