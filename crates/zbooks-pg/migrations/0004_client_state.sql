-- The client's shared state (zbooks_client::store::{LimitStore, TokenStore}): one organization's
-- pacing slot, pause and daily ledger, its in-flight leases and who is calling it, and the token
-- cache with its refresh lock and token-request window. Every decision that must hold across
-- machines is one function call (one statement, one round trip), serialised by a row lock or an
-- advisory lock. Times are the caller's clock (the client's injected clock, corrected to the
-- server's): microseconds for the pacing slot and leases (10.15 ms must not round to 10 ms),
-- milliseconds elsewhere, as in the SQLite and Redis stores.

-- One organization: the GCRA's theoretical arrival time, the pause after a 429/44, and the
-- daily ledger (all three of used, limit and reset, or none).
CREATE TABLE state_org_limits (
    organization_id TEXT PRIMARY KEY,
    tat_us BIGINT NOT NULL DEFAULT 0,
    paused_until_ms BIGINT NOT NULL DEFAULT 0,
    day_used BIGINT,
    day_limit BIGINT,
    day_resets_at_ms BIGINT
);

-- The plan a client last read from GET /organizations, so the next process need not.
CREATE TABLE state_org_plans (
    organization_id TEXT PRIMARY KEY,
    plan TEXT NOT NULL,
    checked_at_ms BIGINT NOT NULL
);

-- Who calls the organization: one row per participant (the name its store was opened with),
-- with its calls in the ledger's current day and its last admission.
CREATE TABLE state_participants (
    organization_id TEXT NOT NULL,
    participant TEXT NOT NULL,
    last_call_us BIGINT NOT NULL,
    day_calls BIGINT NOT NULL DEFAULT 0,
    day_resets_at_ms BIGINT,
    PRIMARY KEY (organization_id, participant)
);

-- Each participant's admissions of the last minute (older ones are dropped as it calls).
CREATE TABLE state_participant_calls (
    id BIGSERIAL PRIMARY KEY,
    organization_id TEXT NOT NULL,
    participant TEXT NOT NULL,
    at_us BIGINT NOT NULL
);
CREATE INDEX state_participant_calls_by_time
    ON state_participant_calls (organization_id, participant, at_us);

-- In-flight leases: one row per call in flight, until it is released or its lease runs out
-- (a dead holder's lease lapses by itself).
CREATE TABLE state_in_flight (
    organization_id TEXT NOT NULL,
    holder TEXT NOT NULL,
    participant TEXT NOT NULL,
    until_us BIGINT NOT NULL,
    PRIMARY KEY (organization_id, holder)
);

-- The token cache. The access token is the one secret these tables hold.
CREATE TABLE state_tokens (
    key TEXT PRIMARY KEY,
    access_token TEXT NOT NULL,
    expires_at_ms BIGINT NOT NULL,
    api_domain TEXT,
    lifetime_ms BIGINT
);

-- The refresh lock (a fencing token: the store's random part and the holder's name) with its
-- lease, and the cool-down after the accounts server's "Access Denied".
CREATE TABLE state_token_state (
    key TEXT PRIMARY KEY,
    lock_holder TEXT,
    lock_until_ms BIGINT NOT NULL DEFAULT 0,
    cooldown_until_ms BIGINT NOT NULL DEFAULT 0
);

-- Token requests of the current window (Zoho allows 10 in 10 minutes per refresh token).
CREATE TABLE state_token_requests (
    id BIGSERIAL PRIMARY KEY,
    key TEXT NOT NULL,
    at_ms BIGINT NOT NULL
);
CREATE INDEX state_token_requests_by_time ON state_token_requests (key, at_ms);

-- One admission, atomically (zbooks_client::store::{ledger_admit, gcra_reserve}, line for
-- line): the daily ledger (a new day when it is over; refused, nothing counted, when spent),
-- then the pacing slot after any pause, then the participant's counts. A NULL interval is no
-- pacing; a NULL day limit no daily policy.
CREATE FUNCTION zbooks_admit(
    p_org TEXT, p_participant TEXT, p_now_us BIGINT, p_now_ms BIGINT,
    p_interval_us BIGINT, p_burst BIGINT, p_day_limit BIGINT, p_day_ms BIGINT, p_keep_us BIGINT,
    OUT admitted BOOLEAN, OUT send_at_us BIGINT, OUT paused BOOLEAN, OUT resets_at_ms BIGINT)
LANGUAGE plpgsql AS $$
DECLARE
    r state_org_limits%ROWTYPE;
    t BIGINT;
BEGIN
    INSERT INTO state_org_limits (organization_id) VALUES (p_org) ON CONFLICT DO NOTHING;
    SELECT * INTO r FROM state_org_limits WHERE organization_id = p_org FOR UPDATE;
    IF p_day_limit IS NOT NULL THEN
        IF r.day_used IS NULL OR r.day_limit IS NULL OR r.day_resets_at_ms IS NULL
           OR p_now_ms >= r.day_resets_at_ms THEN
            r.day_used := 0;
            r.day_limit := p_day_limit;
            r.day_resets_at_ms := p_now_ms + p_day_ms;
        END IF;
        IF r.day_used >= r.day_limit THEN
            admitted := FALSE;
            resets_at_ms := r.day_resets_at_ms;
            RETURN;
        END IF;
        r.day_used := r.day_used + 1;
    END IF;
    paused := r.paused_until_ms > p_now_ms;
    IF p_interval_us IS NOT NULL THEN
        t := GREATEST(r.tat_us, p_now_us);
        send_at_us := GREATEST(t - p_interval_us * p_burst, p_now_us, r.paused_until_ms * 1000);
        r.tat_us := GREATEST(t, r.paused_until_ms * 1000) + p_interval_us;
    ELSE
        send_at_us := GREATEST(p_now_ms, r.paused_until_ms) * 1000;
    END IF;
    UPDATE state_org_limits SET tat_us = r.tat_us, day_used = r.day_used,
        day_limit = r.day_limit, day_resets_at_ms = r.day_resets_at_ms
        WHERE organization_id = p_org;
    DELETE FROM state_participant_calls
        WHERE organization_id = p_org AND participant = p_participant
          AND at_us <= p_now_us - p_keep_us;
    INSERT INTO state_participant_calls (organization_id, participant, at_us)
        VALUES (p_org, p_participant, p_now_us);
    INSERT INTO state_participants AS p
        (organization_id, participant, last_call_us, day_calls, day_resets_at_ms)
        VALUES (p_org, p_participant, p_now_us, 1, r.day_resets_at_ms)
        ON CONFLICT (organization_id, participant) DO UPDATE SET
            last_call_us = GREATEST(p.last_call_us, EXCLUDED.last_call_us),
            day_calls = CASE WHEN p.day_resets_at_ms IS NULL OR p.day_resets_at_ms > p_now_ms
                             THEN p.day_calls + 1 ELSE 1 END,
            day_resets_at_ms = EXCLUDED.day_resets_at_ms;
    admitted := TRUE;
END
$$;

-- Counts a token request if no cool-down runs and the window has room.
CREATE FUNCTION zbooks_admit_token_request(
    p_key TEXT, p_now_ms BIGINT, p_window_ms BIGINT, p_max BIGINT,
    OUT granted BOOLEAN, OUT until_ms BIGINT)
LANGUAGE plpgsql AS $$
DECLARE
    cool BIGINT;
    n BIGINT;
    oldest BIGINT;
BEGIN
    INSERT INTO state_token_state (key) VALUES (p_key) ON CONFLICT DO NOTHING;
    SELECT cooldown_until_ms INTO cool FROM state_token_state WHERE key = p_key FOR UPDATE;
    granted := FALSE;
    IF cool > p_now_ms THEN
        until_ms := cool;
        RETURN;
    END IF;
    DELETE FROM state_token_requests WHERE key = p_key AND at_ms <= p_now_ms - p_window_ms;
    SELECT COUNT(*), MIN(at_ms) INTO n, oldest FROM state_token_requests WHERE key = p_key;
    IF n >= p_max THEN
        until_ms := COALESCE(oldest, p_now_ms) + p_window_ms;
        RETURN;
    END IF;
    INSERT INTO state_token_requests (key, at_ms) VALUES (p_key, p_now_ms);
    granted := TRUE;
    until_ms := 0;
END
$$;

-- Takes (or renews) one of the organization's p_cap in-flight leases for p_holder; leases that
-- ran out by p_now_us are dropped first. Serialised per organization by an advisory lock.
CREATE FUNCTION zbooks_acquire_in_flight(
    p_org TEXT, p_holder TEXT, p_participant TEXT, p_cap BIGINT, p_now_us BIGINT,
    p_until_us BIGINT)
RETURNS BOOLEAN
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(
        hashtextextended('zbooks_in_flight:' || current_schema() || ':' || p_org, 0));
    DELETE FROM state_in_flight WHERE organization_id = p_org AND until_us <= p_now_us;
    UPDATE state_in_flight SET until_us = p_until_us, participant = p_participant
        WHERE organization_id = p_org AND holder = p_holder;
    IF FOUND THEN
        RETURN TRUE;
    END IF;
    IF (SELECT COUNT(*) FROM state_in_flight WHERE organization_id = p_org) >= p_cap THEN
        RETURN FALSE;
    END IF;
    INSERT INTO state_in_flight (organization_id, holder, participant, until_us)
        VALUES (p_org, p_holder, p_participant, p_until_us);
    RETURN TRUE;
END
$$;
