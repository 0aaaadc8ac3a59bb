-- ringfence reputation store, migration 1 (SQLite): evidence, reports, moderation, findings,
-- blocklist, API keys, allow-list. Times are integer microseconds since 1970-01-01 UTC.
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE evidence (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    subject TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    source TEXT NOT NULL,
    kind TEXT NOT NULL,
    category TEXT NOT NULL,
    strength REAL NOT NULL,
    occurred_us INTEGER NOT NULL,
    ref TEXT NOT NULL,
    via TEXT,
    reporter TEXT,
    expires_us INTEGER,
    note TEXT
);
CREATE UNIQUE INDEX evidence_identity ON evidence (ref, subject, kind);
CREATE INDEX evidence_subject ON evidence (subject);

CREATE TABLE subjects (
    subject TEXT PRIMARY KEY,
    hash TEXT NOT NULL,
    bucket TEXT NOT NULL,
    first_us INTEGER NOT NULL
);
CREATE INDEX subjects_bucket ON subjects (bucket);

CREATE TABLE reporters (
    reporter TEXT PRIMARY KEY,
    first_us INTEGER NOT NULL,
    last_us INTEGER NOT NULL,
    reports INTEGER NOT NULL
);

CREATE TABLE reports (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL,
    number_raw TEXT NOT NULL,
    occurred_us INTEGER NOT NULL,
    received_us INTEGER NOT NULL,
    channel TEXT NOT NULL,
    category TEXT NOT NULL,
    text TEXT,
    called_back INTEGER NOT NULL,
    money_lost INTEGER NOT NULL,
    language TEXT,
    country TEXT,
    source TEXT NOT NULL,
    reporter TEXT,
    ip_hash TEXT,
    status TEXT NOT NULL,
    moderation_id TEXT,
    suggested_category TEXT,
    details TEXT NOT NULL
);
CREATE INDEX reports_number ON reports (number, received_us);
CREATE INDEX reports_reporter ON reports (reporter, received_us);
CREATE INDEX reports_ip ON reports (ip_hash, received_us);
CREATE INDEX reports_moderation ON reports (moderation_id);

CREATE TABLE findings (
    finding_id TEXT PRIMARY KEY,
    digest TEXT NOT NULL,
    body TEXT NOT NULL,
    applied_us INTEGER NOT NULL
);

CREATE TABLE finding_private (
    finding_id TEXT NOT NULL,
    subject TEXT NOT NULL,
    role TEXT NOT NULL,
    PRIMARY KEY (finding_id, subject, role)
);

CREATE TABLE moderation (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    status TEXT NOT NULL,
    created_us INTEGER NOT NULL,
    updated_us INTEGER NOT NULL,
    details TEXT NOT NULL,
    resolution TEXT,
    note TEXT
);
CREATE INDEX moderation_status ON moderation (status, created_us);
CREATE INDEX moderation_subject ON moderation (subject, kind, status);

CREATE TABLE blocklist (
    subject TEXT PRIMARY KEY,
    subject_kind TEXT NOT NULL,
    category TEXT NOT NULL,
    reason TEXT NOT NULL,
    sources TEXT NOT NULL,
    score REAL NOT NULL,
    expires_us INTEGER,
    version INTEGER NOT NULL,
    added_us INTEGER NOT NULL
);
CREATE INDEX blocklist_expires ON blocklist (expires_us);

CREATE TABLE blocklist_changes (
    version INTEGER PRIMARY KEY,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    category TEXT NOT NULL,
    reason TEXT NOT NULL,
    sources TEXT NOT NULL,
    score REAL NOT NULL,
    expires_us INTEGER,
    at_us INTEGER NOT NULL
);

CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    key_hash TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    scopes TEXT NOT NULL,
    created_us INTEGER NOT NULL,
    revoked_us INTEGER
);

CREATE TABLE allowlist (
    number TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    source TEXT NOT NULL,
    added_us INTEGER NOT NULL
);
