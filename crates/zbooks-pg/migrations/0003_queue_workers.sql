-- Every worker's share of the import queue: which worker ended each job (finished_by, the
-- claimer's name kept when its claim ends) and when each worker last asked the queue for work
-- (import_workers, written on each claim), for `zbooks import status --queue`.
ALTER TABLE import_jobs ADD COLUMN finished_by TEXT;
CREATE INDEX import_jobs_finished_by ON import_jobs (organization_id, finished_by);
CREATE TABLE import_workers (
    organization_id TEXT NOT NULL,
    name TEXT NOT NULL,
    first_seen TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (organization_id, name)
);
