-- dermatrend schema, version 1. Portable SQL: the same script runs on H2 (embedded default) and
-- PostgreSQL. Identifiers are random UUIDs made by the service (never sequential, so an id says
-- nothing about other clinics' records). Every row that belongs to a clinic carries clinic_id, and
-- every query of the service filters on it.

CREATE TABLE clinics (
    id          VARCHAR(36)  PRIMARY KEY,
    name        VARCHAR(200) NOT NULL,
    -- The clinic created at first start; its admins may create further clinics.
    operator    BOOLEAN      NOT NULL DEFAULT FALSE,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE api_keys (
    id          VARCHAR(36)  PRIMARY KEY,
    clinic_id   VARCHAR(36)  NOT NULL REFERENCES clinics (id),
    role        VARCHAR(16)  NOT NULL,
    label       VARCHAR(200),
    -- SHA-256 of the key (hex). Keys are 256-bit random, so a fast hash is enough; the key itself is
    -- shown once, when made, and never stored.
    key_hash    VARCHAR(64)  NOT NULL UNIQUE,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at  TIMESTAMP WITH TIME ZONE
);

CREATE TABLE patients (
    id          VARCHAR(36)  PRIMARY KEY,
    clinic_id   VARCHAR(36)  NOT NULL REFERENCES clinics (id),
    reference   VARCHAR(100) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT patients_clinic_reference UNIQUE (clinic_id, reference)
);

CREATE TABLE areas (
    id          VARCHAR(36)  PRIMARY KEY,
    clinic_id   VARCHAR(36)  NOT NULL REFERENCES clinics (id),
    patient_id  VARCHAR(36)  NOT NULL REFERENCES patients (id),
    name        VARCHAR(64)  NOT NULL,
    roi         VARCHAR(64),
    mm_per_px   DOUBLE PRECISION,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT areas_patient_name UNIQUE (patient_id, name)
);

CREATE TABLE sessions (
    id              VARCHAR(36)  PRIMARY KEY,
    clinic_id       VARCHAR(36)  NOT NULL REFERENCES clinics (id),
    patient_id      VARCHAR(36)  NOT NULL REFERENCES patients (id),
    session_date    DATE         NOT NULL,
    device          VARCHAR(200),
    needle_depth_mm DOUBLE PRECISION,
    passes          INTEGER,
    notes           VARCHAR(4000),
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE photos (
    id              VARCHAR(36)  PRIMARY KEY,
    clinic_id       VARCHAR(36)  NOT NULL REFERENCES clinics (id),
    session_id      VARCHAR(36)  NOT NULL REFERENCES sessions (id),
    area_id         VARCHAR(36)  NOT NULL REFERENCES areas (id),
    -- The bytes live in the content-addressed store under this digest (hex).
    sha256          VARCHAR(64)  NOT NULL,
    byte_size       BIGINT       NOT NULL,
    format          VARCHAR(16)  NOT NULL,
    width           INTEGER      NOT NULL,
    height          INTEGER      NOT NULL,
    gray_ref        VARCHAR(64),
    idempotency_key VARCHAR(200),
    request_hash    VARCHAR(64),
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT photos_clinic_idempotency UNIQUE (clinic_id, idempotency_key)
);

CREATE INDEX photos_area ON photos (area_id);
CREATE INDEX photos_session ON photos (session_id);

-- The analysis queue. state: queued -> running -> done | failed. A running job whose lease has
-- expired (its worker died) is claimed again, up to the service's attempt limit.
CREATE TABLE analyses (
    id              VARCHAR(36)  PRIMARY KEY,
    clinic_id       VARCHAR(36)  NOT NULL REFERENCES clinics (id),
    photo_id        VARCHAR(36)  NOT NULL REFERENCES photos (id),
    state           VARCHAR(16)  NOT NULL,
    attempts        INTEGER      NOT NULL DEFAULT 0,
    worker          VARCHAR(100),
    lease_until     TIMESTAMP WITH TIME ZONE,
    queued_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at      TIMESTAMP WITH TIME ZONE,
    finished_at     TIMESTAMP WITH TIME ZONE,
    failure_code    VARCHAR(64),
    failure_message VARCHAR(4000),
    -- JSON: the analysis result (score, alignment, change) or, for a failure, its details.
    result_json     TEXT
);

CREATE INDEX analyses_state_queued ON analyses (state, queued_at);
CREATE INDEX analyses_photo ON analyses (photo_id);
