-- Corrections, erasure, the audit log and share links as records (SQLite, H2 and PostgreSQL alike).

-- One photo per session and area: slot = session_id|area_id, unique. A photo moved to another session
-- takes that session's slot. Photos stored before this rule that share a slot keep a NULL slot, the
-- first of each pair keeps its slot; they are listed as before, and when one is erased the other takes the slot.
ALTER TABLE photos ADD COLUMN slot VARCHAR(80);
UPDATE photos SET slot = session_id || '|' || area_id
    WHERE NOT EXISTS (SELECT 1 FROM photos q WHERE q.session_id = photos.session_id AND q.area_id = photos.area_id
        AND (q.created_at < photos.created_at OR (q.created_at = photos.created_at AND q.id < photos.id)));
CREATE UNIQUE INDEX photos_slot ON photos (slot);

-- Why an analysis was queued again after a correction (baseline_changed, scale_changed, roi_changed,
-- gray_ref_changed); null for a photo's first analysis.
ALTER TABLE analyses ADD COLUMN redo_reason VARCHAR(64);

-- Photo bytes to remove from the store once no record needs them: written in the transaction that deletes
-- the records, removed once the file is gone, so an erasure cut short by a crash is finished at the next start.
CREATE TABLE pending_erasures (
    clinic_id   VARCHAR(36)  NOT NULL,
    sha256      VARCHAR(64)  NOT NULL,
    queued_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pending_erasures_pk PRIMARY KEY (clinic_id, sha256)
);

-- Shared report links. The token is 32 random bytes shown once; only its SHA-256 is stored. snapshot is
-- the report as it was when the link was made (JSON: trend and pictures), dropped when the link is revoked.
CREATE TABLE report_links (
    id              VARCHAR(36)  PRIMARY KEY,
    clinic_id       VARCHAR(36)  NOT NULL REFERENCES clinics (id),
    area_id         VARCHAR(36)  NOT NULL REFERENCES areas (id),
    token_hash      VARCHAR(64)  NOT NULL UNIQUE,
    created_by      VARCHAR(36)  NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at      TIMESTAMP WITH TIME ZONE,
    revoked_reason  VARCHAR(64),
    snapshot        TEXT
);
CREATE INDEX report_links_area ON report_links (area_id);

-- Who read or wrote which patient record, when, from where, and how it ended. Append-only: the service
-- never updates or deletes a row (an erased patient's rows keep its id, never its reference).
CREATE TABLE audit_log (
    id              VARCHAR(36)  PRIMARY KEY,
    at              TIMESTAMP WITH TIME ZONE NOT NULL,
    clinic_id       VARCHAR(36),
    actor_type      VARCHAR(16)  NOT NULL,
    actor_id        VARCHAR(64),
    action          VARCHAR(16)  NOT NULL,
    resource_type   VARCHAR(32)  NOT NULL,
    resource_id     VARCHAR(64),
    patient_id      VARCHAR(36),
    route           VARCHAR(200) NOT NULL,
    client_address  VARCHAR(64),
    status          INTEGER      NOT NULL,
    outcome         VARCHAR(16)  NOT NULL
);
CREATE INDEX audit_clinic_at ON audit_log (clinic_id, at);
CREATE INDEX audit_patient ON audit_log (patient_id);
