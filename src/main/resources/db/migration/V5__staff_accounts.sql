-- Staff accounts for the web app (SQLite, H2 and PostgreSQL alike). A person signs in with an email address
-- (stored lower-case; one account per address across clinics, so sign-in needs no clinic) and a password,
-- stored only as its Argon2id hash (PHC string). An account is made by an admin's invitation: until it is
-- accepted it has no password and an invitation token, stored only as its SHA-256, that expires.
CREATE TABLE staff (
    id                 VARCHAR(36)  PRIMARY KEY,
    clinic_id          VARCHAR(36)  NOT NULL REFERENCES clinics (id),
    email              VARCHAR(254) NOT NULL UNIQUE,
    name               VARCHAR(200),
    role               VARCHAR(16)  NOT NULL,
    password_hash      VARCHAR(200),
    invite_hash        VARCHAR(64)  UNIQUE,
    invite_expires_at  TIMESTAMP WITH TIME ZONE,
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    password_changed_at TIMESTAMP WITH TIME ZONE,
    disabled_at        TIMESTAMP WITH TIME ZONE
);
CREATE INDEX staff_clinic ON staff (clinic_id);

-- Signed-in browsers: the cookie carries 32 random bytes, stored only as their SHA-256; the CSRF token every
-- form and htmx request must echo; an absolute expiry and an idle one (last_seen_at, written at most once a
-- minute). Kept in the database so that every process behind one database knows every sign-in.
CREATE TABLE staff_sessions (
    token_hash    VARCHAR(64)  PRIMARY KEY,
    staff_id      VARCHAR(36)  NOT NULL REFERENCES staff (id),
    csrf_token    VARCHAR(64)  NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX staff_sessions_staff ON staff_sessions (staff_id);
