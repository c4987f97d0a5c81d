-- The import queue: one job per record, unique on (organization, entity, natural key), so an
-- input enqueued twice (or by two machines) is one set of jobs. A job waits for the records it
-- names (import_job_deps, by natural key) until they are done. A claim is a lease: claimed_by,
-- lease_until (the database's clock, one clock for every machine) and claim_seq, the fencing
-- number a completion must show. An expired claim is claimable again with lookup_first set: the
-- create may have landed, so the next worker looks the record up before it sends anything.
CREATE TABLE import_jobs (
    id BIGSERIAL PRIMARY KEY,
    organization_id TEXT NOT NULL,
    entity TEXT NOT NULL,
    key_field TEXT NOT NULL,
    key_value TEXT NOT NULL,
    location TEXT NOT NULL,
    payload TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'ready',
    claimed_by TEXT,
    lease_until TIMESTAMPTZ,
    claim_seq BIGINT NOT NULL DEFAULT 0,
    lookup_first BOOLEAN NOT NULL DEFAULT FALSE,
    not_before TIMESTAMPTZ,
    claims BIGINT NOT NULL DEFAULT 0,
    outcome TEXT,
    zoho_id TEXT,
    code BIGINT,
    class TEXT,
    message TEXT,
    fix TEXT,
    enqueued_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (organization_id, entity, key_value)
);
CREATE INDEX import_jobs_claimable ON import_jobs (organization_id, state, id);
CREATE TABLE import_job_deps (
    job_id BIGINT NOT NULL REFERENCES import_jobs (id) ON DELETE CASCADE,
    entity TEXT NOT NULL,
    key_value TEXT NOT NULL,
    PRIMARY KEY (job_id, entity, key_value)
);
