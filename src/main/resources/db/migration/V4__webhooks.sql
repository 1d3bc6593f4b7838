-- Webhooks: endpoints, the transactional outbox of events, deliveries, and the trend verdicts that
-- trend.verdict_changed compares with (SQLite, H2 and PostgreSQL alike).

-- An endpoint of a clinic. secret is the Standard Webhooks signing secret (whsec_ + base64 of 32 random
-- bytes), shown once when made; the service needs it to sign, so it is kept (unlike API keys, which are
-- only hashed). events is a comma-separated list of event types. disabled_at/disabled_reason are set when
-- deliveries kept failing or the receiver answered 410 Gone; an admin enables it again with PATCH.
CREATE TABLE webhooks (
    id               VARCHAR(36)   PRIMARY KEY,
    clinic_id        VARCHAR(36)   NOT NULL REFERENCES clinics (id),
    url              VARCHAR(2000) NOT NULL,
    events           VARCHAR(200)  NOT NULL,
    secret           VARCHAR(100)  NOT NULL,
    created_by       VARCHAR(36)   NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    disabled_at      TIMESTAMP WITH TIME ZONE,
    disabled_reason  VARCHAR(500)
);
CREATE INDEX webhooks_clinic ON webhooks (clinic_id);

-- One event, written in the transaction that made it happen (an analysis finishing, a verdict changing).
-- id is the webhook-id of every delivery of it (msg_...), so a receiver sees retries under one id.
-- payload is the exact body sent: ids and the event, never patient references or pictures.
CREATE TABLE webhook_events (
    id          VARCHAR(40)  PRIMARY KEY,
    clinic_id   VARCHAR(36)  NOT NULL,
    type        VARCHAR(64)  NOT NULL,
    payload     TEXT         NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX webhook_events_created ON webhook_events (created_at);

-- An event for one endpoint, written with the event (the outbox). state: pending (due at next_attempt_at),
-- delivered (a 2xx answer), failed (every attempt of the schedule failed). A dispatcher claims a due delivery
-- with a lease, so a process killed mid-delivery leaves it to be sent again (at least once, same webhook-id).
CREATE TABLE webhook_deliveries (
    id               VARCHAR(36)  PRIMARY KEY,
    webhook_id       VARCHAR(36)  NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_id         VARCHAR(40)  NOT NULL REFERENCES webhook_events (id) ON DELETE CASCADE,
    clinic_id        VARCHAR(36)  NOT NULL,
    state            VARCHAR(16)  NOT NULL,
    attempts         INTEGER      NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMP WITH TIME ZONE,
    lease_until      TIMESTAMP WITH TIME ZONE,
    worker           VARCHAR(64),
    last_attempt_at  TIMESTAMP WITH TIME ZONE,
    last_status      INTEGER,
    last_error       VARCHAR(500),
    last_millis      INTEGER,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    delivered_at     TIMESTAMP WITH TIME ZONE,
    CONSTRAINT webhook_deliveries_once UNIQUE (webhook_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_attempt_at);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, created_at);
-- Pruning and the cascade from webhook_events look deliveries up by event.
CREATE INDEX webhook_deliveries_event ON webhook_deliveries (event_id);

-- Areas whose trend must be looked at again (an analysis of theirs finished), written in the same
-- transaction as the analysis result; removed once the verdicts are compared. A crash in between leaves
-- the row, so the comparison happens after the restart.
CREATE TABLE trend_checks (
    area_id       VARCHAR(36)  PRIMARY KEY,
    clinic_id     VARCHAR(36)  NOT NULL,
    requested_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Each area's verdicts as last seen (JSON: metric key -> verdict), what trend.verdict_changed compares with.
CREATE TABLE trend_verdicts (
    area_id     VARCHAR(36)  PRIMARY KEY,
    clinic_id   VARCHAR(36)  NOT NULL,
    verdicts    TEXT         NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
