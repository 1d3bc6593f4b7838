package org.dermatrend.store;

import org.dermatrend.domain.Role;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import org.dermatrend.cv.PixelRect;
import org.dermatrend.domain.Records.Analysis;
import org.dermatrend.domain.Records.AnalysisState;
import org.dermatrend.domain.Records.ApiKey;
import org.dermatrend.domain.Records.Area;
import org.dermatrend.domain.Records.Clinic;
import org.dermatrend.domain.Records.Patient;
import org.dermatrend.domain.Records.Photo;
import org.dermatrend.domain.Records.TreatmentSession;

/** Row mappers, one per record; column names as in the migrations. */
final class Rows {
    private Rows() {
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Object value = rs.getObject(column);
        if (value == null) {
            return null;
        }
        // One read per column: SQLite gives text, H2 an OffsetDateTime, PostgreSQL a Timestamp (the instant
        // is right whatever the JVM's zone); another driver is asked for an OffsetDateTime.
        if (value instanceof String text) {
            return Instant.parse(text);
        }
        if (value instanceof OffsetDateTime t) {
            return t.toInstant();
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    static Double nullableDouble(ResultSet rs, String column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }

    static Integer nullableInt(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    static PixelRect rect(String text) {
        return text == null ? null : PixelRect.parse(text);
    }

    static String rectText(PixelRect r) {
        return r == null ? null : r.x() + "," + r.y() + "," + r.width() + "," + r.height();
    }

    static Clinic clinic(ResultSet rs) throws SQLException {
        return new Clinic(rs.getString("id"), rs.getString("name"), rs.getBoolean("operator"), instant(rs, "created_at"));
    }

    static ApiKey apiKey(ResultSet rs) throws SQLException {
        return new ApiKey(rs.getString("id"), rs.getString("clinic_id"), Role.parse(rs.getString("role")).orElseThrow(),
                rs.getString("label"), instant(rs, "created_at"), instant(rs, "revoked_at"), instant(rs, "expires_at"),
                instant(rs, "last_used_at"));
    }

    static Patient patient(ResultSet rs) throws SQLException {
        return new Patient(rs.getString("id"), rs.getString("clinic_id"), rs.getString("reference"), instant(rs, "created_at"));
    }

    static Area area(ResultSet rs) throws SQLException {
        return new Area(rs.getString("id"), rs.getString("clinic_id"), rs.getString("patient_id"), rs.getString("name"),
                rect(rs.getString("roi")), nullableDouble(rs, "mm_per_px"), instant(rs, "created_at"));
    }

    static TreatmentSession session(ResultSet rs) throws SQLException {
        return new TreatmentSession(rs.getString("id"), rs.getString("clinic_id"), rs.getString("patient_id"),
                LocalDate.parse(rs.getString("session_date")), rs.getString("device"), nullableDouble(rs, "needle_depth_mm"),
                nullableInt(rs, "passes"), rs.getString("notes"), instant(rs, "created_at"));
    }

    static Photo photo(ResultSet rs) throws SQLException {
        return new Photo(rs.getString("id"), rs.getString("clinic_id"), rs.getString("session_id"), rs.getString("area_id"),
                rs.getString("sha256"), rs.getLong("byte_size"), rs.getString("format"), rs.getInt("width"), rs.getInt("height"),
                rect(rs.getString("gray_ref")), rs.getString("idempotency_key"), rs.getString("request_hash"),
                instant(rs, "created_at"));
    }

    static Analysis analysis(ResultSet rs) throws SQLException {
        return new Analysis(rs.getString("id"), rs.getString("clinic_id"), rs.getString("photo_id"),
                AnalysisState.valueOf(rs.getString("state").toUpperCase(java.util.Locale.ROOT)), rs.getInt("attempts"),
                rs.getString("worker"), instant(rs, "lease_until"), instant(rs, "queued_at"), instant(rs, "started_at"),
                instant(rs, "finished_at"), rs.getString("failure_code"), rs.getString("failure_message"),
                rs.getString("result_json"), rs.getString("redo_reason"));
    }
}
