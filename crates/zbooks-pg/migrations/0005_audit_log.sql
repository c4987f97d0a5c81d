-- The audit log: every failed call attempt as its event (JSON, secret-free, scrubbed again
-- before it is written), as the SQLite store keeps it in `audit`, so that `zbooks logs analyze
-- --audit` reads every machine's failures from one place.
CREATE TABLE audit_log (
    id BIGSERIAL PRIMARY KEY,
    ts TEXT NOT NULL,
    organization_id TEXT,
    event TEXT NOT NULL
);
