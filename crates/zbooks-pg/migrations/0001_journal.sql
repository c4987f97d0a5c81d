-- The import journal (zbooks-store's journal.rs, version 2, in PostgreSQL): one run per input,
-- one row per input record. Column names and state names keep the SQLite journal's meaning.
CREATE TABLE journal_runs (
    fingerprint TEXT PRIMARY KEY,
    file TEXT NOT NULL,
    organization_id TEXT NOT NULL,
    total BIGINT NOT NULL,
    status TEXT NOT NULL,
    detail TEXT,
    plan TEXT,
    created_ms BIGINT NOT NULL,
    updated_ms BIGINT NOT NULL
);
CREATE TABLE journal_records (
    fingerprint TEXT NOT NULL REFERENCES journal_runs (fingerprint) ON DELETE CASCADE,
    idx BIGINT NOT NULL,
    entity TEXT NOT NULL,
    key_field TEXT NOT NULL,
    key_value TEXT NOT NULL,
    location TEXT NOT NULL,
    state TEXT NOT NULL,
    outcome TEXT,
    zoho_id TEXT,
    attempts BIGINT NOT NULL DEFAULT 0,
    interrupted BIGINT NOT NULL DEFAULT 0,
    code BIGINT,
    class TEXT,
    message TEXT,
    fix TEXT,
    deferred_until_ms BIGINT,
    record TEXT,
    updated_ms BIGINT NOT NULL,
    PRIMARY KEY (fingerprint, idx)
);
CREATE INDEX journal_records_by_state ON journal_records (fingerprint, state);
