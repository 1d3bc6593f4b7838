-- API keys may expire (expires_at, null: never) and record when they were last used (last_used_at, written
-- at most once a minute per key by the service, so that authenticating costs no write per request).
ALTER TABLE api_keys ADD COLUMN expires_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE api_keys ADD COLUMN last_used_at TIMESTAMP WITH TIME ZONE;
