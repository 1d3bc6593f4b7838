package org.dermatrend.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dermatrend.domain.EventType;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Each area's trend verdicts as last seen, and the areas whose trend must be looked at again
 * ({@code trend_checks}, written by the {@link Outbox} with each analysis result). Settling a check
 * compares the verdicts, stores the new ones and writes a {@code trend.verdict_changed} event in one
 * transaction, under a lock on the area on PostgreSQL, so two processes settling the same area tell a
 * change once.
 */
public final class TrendVerdicts {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, String>> VERDICTS = new TypeReference<>() {
    };

    private final Jdbi jdbi;
    private final Dialect dialect;

    public TrendVerdicts(Database db) {
        this.jdbi = db.jdbi();
        this.dialect = db.dialect();
    }

    /** An area to look at again, as requested at {@code requestedAt}. */
    public record Check(String areaId, String clinicId, Instant requestedAt) {
    }

    /** One metric whose verdict changed. */
    public record Change(String metric, String from, String to) {
    }

    /** The oldest requests made by {@code now}, at most {@code limit}. */
    public List<Check> due(Instant now, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM trend_checks WHERE requested_at <= :now ORDER BY requested_at, area_id "
                        + "LIMIT :limit").bind("now", Database.utc(now))
                .bind("limit", limit).map((rs, ctx) -> new Check(rs.getString("area_id"), rs.getString("clinic_id"),
                        Rows.instant(rs, "requested_at"))).list());
    }

    /** Puts a request that could not be settled (its trend could not be computed) back, to be tried at {@code later}. */
    public void postpone(Check check, Instant later) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE trend_checks SET requested_at = :later WHERE area_id = :area AND requested_at = :at")
                .bind("later", Database.utc(later)).bind("area", check.areaId()).bind("at", Database.utc(check.requestedAt()))
                .execute());
    }

    /**
     * Settles a check: the metrics whose verdict differs from the one last seen (a metric seen for the first
     * time is not a change), the new verdicts stored, an event with {@code eventData} plus the changes written
     * when there is any, and the request removed unless a newer one came meanwhile.
     *
     * @param verdicts the area's verdicts now (metric key → verdict), or null to leave the stored ones (the trend
     *                 is passing through a state nobody should be told about, e.g. analyses being redone)
     */
    public List<Change> settle(Check check, Map<String, String> verdicts, Map<String, Object> eventData, Instant now) {
        return jdbi.inTransaction(h -> {
            RecordEdits.lock(h, dialect, "verdicts|" + check.areaId());
            // The request first: when it is gone or newer (another process settled it, or an analysis finished since this
            // trend was computed), these verdicts may be stale and nothing is stored or told; the newer request is settled
            // with a newer trend. Taking trend_checks before trend_verdicts is also the order erasures take them in.
            int mine = h.createUpdate("DELETE FROM trend_checks WHERE area_id = :area AND requested_at = :at")
                    .bind("area", check.areaId()).bind("at", Database.utc(check.requestedAt())).execute();
            List<Change> changes = new ArrayList<>();
            if (mine == 1 && verdicts != null) {
                Optional<String> stored = h.createQuery("SELECT verdicts FROM trend_verdicts WHERE area_id = :area")
                        .bind("area", check.areaId()).mapTo(String.class).findOne();
                Map<String, String> before = stored.isEmpty() ? Map.of() : read(stored.get());
                for (Map.Entry<String, String> v : verdicts.entrySet()) {
                    String was = before.get(v.getKey());
                    if (was != null && !was.equals(v.getValue())) {
                        changes.add(new Change(v.getKey(), was, v.getValue()));
                    }
                }
                String text = write(verdicts);
                int updated = h.createUpdate("UPDATE trend_verdicts SET verdicts = :v, updated_at = :at WHERE area_id = :area")
                        .bind("v", text).bind("at", Database.utc(now)).bind("area", check.areaId()).execute();
                if (updated == 0) {
                    h.createUpdate("INSERT INTO trend_verdicts (area_id, clinic_id, verdicts, updated_at) VALUES (:area, :clinic, :v, :at)")
                            .bind("area", check.areaId()).bind("clinic", check.clinicId()).bind("v", text)
                            .bind("at", Database.utc(now)).execute();
                }
                if (!changes.isEmpty()) {
                    Map<String, Object> data = new LinkedHashMap<>(eventData);
                    List<Map<String, String>> listed = new ArrayList<>();
                    for (Change c : changes) {
                        listed.add(Map.of("metric", c.metric(), "from", c.from(), "to", c.to()));
                    }
                    data.put("changes", listed);
                    Outbox.write(h, dialect, check.clinicId(), EventType.TREND_VERDICT_CHANGED, data, now, null);
                }
            }
            return changes;
        });
    }

    /** The area is gone: its request and its verdicts go too. */
    public void drop(Check check) {
        jdbi.useTransaction(h -> forget(h, check.areaId()));
    }

    static void forget(Handle h, String areaId) {
        h.createUpdate("DELETE FROM trend_checks WHERE area_id = :area").bind("area", areaId).execute();
        h.createUpdate("DELETE FROM trend_verdicts WHERE area_id = :area").bind("area", areaId).execute();
    }

    private static Map<String, String> read(String text) {
        try {
            return JSON.readValue(text, VERDICTS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("trend_verdicts holds text that is not a verdict map: " + e.getOriginalMessage(), e);
        }
    }

    private static String write(Map<String, String> verdicts) {
        try {
            return JSON.writeValueAsString(verdicts);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
