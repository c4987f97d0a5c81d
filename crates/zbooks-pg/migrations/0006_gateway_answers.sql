-- `zbooks gateway`'s Idempotency-Key answers, so gateways on several machines sharing this
-- database share their keys. A row is a pending marker while its request is in flight
-- (`holder` set, no answer yet) or the first final answer (`status`, `content_type`, `body`);
-- either lasts until `expires_ms` (milliseconds since the Unix epoch, the callers' clock),
-- after which the key is free again and the row is deleted on a later save.
CREATE TABLE gateway_answers (
    key TEXT PRIMARY KEY,
    holder TEXT,
    status INTEGER,
    content_type TEXT,
    body BYTEA,
    expires_ms BIGINT NOT NULL
);
CREATE INDEX gateway_answers_expiry ON gateway_answers (expires_ms);
