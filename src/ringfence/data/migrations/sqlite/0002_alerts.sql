-- ringfence store, migration 2 (SQLite): public alerts (ringfence.alerts). An alert is one
-- campaign (stable id per campaign key); its sources are the findings and report bursts that
-- make it up, kept apart so that the alert can be recomputed as each source grows.
-- Times are integer microseconds since 1970-01-01 UTC.
CREATE TABLE alerts (
    id TEXT PRIMARY KEY,
    campaign TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    category TEXT NOT NULL,
    subjects TEXT NOT NULL,
    params TEXT NOT NULL,
    counts TEXT NOT NULL,
    withheld INTEGER NOT NULL,
    started_us INTEGER NOT NULL,
    updated_us INTEGER NOT NULL,
    last_seen_us INTEGER NOT NULL,
    expires_us INTEGER NOT NULL,
    revision INTEGER NOT NULL
);
CREATE INDEX alerts_expires ON alerts (expires_us);

CREATE TABLE alert_sources (
    alert_id TEXT NOT NULL,
    ref TEXT NOT NULL,
    first_us INTEGER NOT NULL,
    last_us INTEGER NOT NULL,
    counts TEXT NOT NULL,
    subjects TEXT NOT NULL,
    withheld INTEGER NOT NULL,
    params TEXT NOT NULL,
    PRIMARY KEY (alert_id, ref)
);

CREATE TABLE alert_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
